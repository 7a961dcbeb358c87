/**
 * Math and diagrams as a reader sees them, in Debian's Chromium: KaTeX's
 * formulas laid out by its stylesheet and fonts with no script and no CSP
 * complaint; mermaid drawing a diagram from its fence; a broken diagram
 * keeping its source with an error; the source alone without JavaScript; and
 * axe's WCAG A/AA rules (contrast included) in the light and dark schemes.
 *
 * @requires chromium
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axeCore from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, listen, recordProblems } from '../helpers/browser.js';
import { TempContent, testApp } from '../helpers/site.js';

const MATH = [
  'The mass–energy relation $E = mc^2$ costs nothing, unlike $5 and $10.',
  '',
  '$$',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '$$',
  '',
  'A typo: $\\frac{1}{$ shows as source.',
  '',
].join('\n');
const DIAGRAM = [
  'Requests flow:',
  '',
  '```mermaid',
  'graph LR',
  '  Reader --> Cache',
  '  Cache --> Server',
  '```',
  '',
  'And a broken one:',
  '',
  '```mermaid',
  'graph LR',
  '  A -->',
  '```',
  '',
].join('\n');

type Scheme = 'light' | 'dark';

describe('math and diagrams in Chromium', () => {
  const content = new TempContent();
  let browser: Browser;
  let origin: string;
  let close: () => Promise<void>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    content.post('math.md', { title: 'Sums', publish_date: '2024-01-02' }, MATH);
    content.post('flow.md', { title: 'Flow', publish_date: '2024-01-01' }, DIAGRAM);
    content.post(
      'far.md',
      { title: 'Far', publish_date: '2023-12-31' },
      `${'A paragraph of text before the diagram, long enough to fill lines.\n\n'.repeat(200)}${DIAGRAM}`,
    );
    ({ origin, close } = await listen(testApp(content)));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await close?.();
    content.cleanup();
  });

  /** A page in a fresh context, recording console errors (CSP violations among them) and failed requests. */
  async function open(url: string, options: { colorScheme?: Scheme; javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: { width: 800, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
      javaScriptEnabled: options.javaScriptEnabled ?? true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems = recordProblems(page);
    const response = await page.goto(origin + url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    return { page, problems };
  }

  describe('a page with math', () => {
    it("should lay formulas out with KaTeX's stylesheet and fonts, with no CSP complaint and no script", async () => {
      const { page, problems } = await open('/posts/math');
      await page.evaluate(() => document.fonts.ready);
      const layout = await page.evaluate(() => ({
        scripts: document.scripts.length - document.querySelectorAll('script[type="application/ld+json"]').length,
        // KaTeX's stylesheet hides the MathML copy visually (it stays for screen readers).
        mathmlHidden: getComputedStyle(document.querySelector('.katex-mathml')!).position === 'absolute',
        fraction: document.querySelector('.katex-display .mfrac') !== null,
        displayHeight: document.querySelector('.katex-display')!.getBoundingClientRect().height,
        mainFont: getComputedStyle(document.querySelector('.katex')!).fontFamily,
        fontLoaded: document.fonts.check('1em KaTeX_Main'),
        error: document.querySelector('code.math-error')?.textContent,
      }));
      expect(layout).toEqual({
        scripts: 0,
        mathmlHidden: true,
        fraction: true,
        displayHeight: expect.any(Number),
        mainFont: expect.stringMatching(/KaTeX_Main/),
        fontLoaded: true,
        error: '$\\frac{1}{$',
      });
      // A fraction with a sum is taller than a line of text when KaTeX's inline styles apply.
      expect(layout.displayHeight).toBeGreaterThan(40);
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
    });
  });

  describe('a page with diagrams', () => {
    it('should draw the diagram as an SVG in place of its source', async () => {
      const { page, problems } = await open('/posts/flow');
      const figure = page.locator('figure.diagram svg');
      await figure.waitFor({ state: 'visible' });
      const drawn = await page.evaluate(() => {
        const svg = document.querySelector('figure.diagram svg')!;
        return { text: svg.textContent, width: svg.getBoundingClientRect().width, sources: document.querySelectorAll('pre > code.language-mermaid').length };
      });
      expect(drawn.text).toMatch(/Reader[\s\S]*Cache[\s\S]*Server/);
      expect(drawn.width).toBeGreaterThan(100);
      // Only the broken one keeps its source.
      expect(drawn.sources).toBe(1);
      expect(problems).toEqual([]);
    });
    it('should keep the source of a diagram that does not parse, with an error under it', async () => {
      const { page } = await open('/posts/flow');
      const error = page.locator('p.diagram-error');
      await error.waitFor({ state: 'visible' });
      expect(await error.textContent()).toMatch(/^This diagram could not be drawn: /);
      expect(await page.locator('pre.diagram-source code.language-mermaid').textContent()).toBe('graph LR\n  A -->\n');
      expect(await page.locator('svg[aria-roledescription="error"], #ddiagram-2').count()).toBe(0);
    });
    it("should load mermaid's script only once a diagram comes near the viewport", async () => {
      const { page, problems } = await open('/posts/far');
      await page.waitForLoadState('networkidle');
      const mermaidLoaded = (): Promise<boolean> =>
        page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/mermaid.min.js')));
      expect(await mermaidLoaded()).toBe(false);
      expect(await page.locator('figure.diagram').count()).toBe(0);
      await page.locator('pre > code.language-mermaid').first().scrollIntoViewIfNeeded();
      await page.locator('figure.diagram svg').waitFor({ state: 'visible' });
      expect(await mermaidLoaded()).toBe(true);
      await page.locator('p.diagram-error').waitFor();
      expect(problems).toEqual([]);
    });
    it('should show the sources as code blocks without JavaScript', async () => {
      const { page } = await open('/posts/flow', { javaScriptEnabled: false });
      expect(await page.locator('pre > code.language-mermaid').count()).toBe(2);
      expect(await page.locator('figure.diagram').count()).toBe(0);
    });
  });

  describe.each(['light', 'dark'] as const)('in the %s scheme', (scheme) => {
    it.each(['/posts/math', '/posts/flow'])('should pass the WCAG A and AA checks of axe on %s', async (url) => {
      const { page } = await open(url, { colorScheme: scheme });
      if (url === '/posts/flow') await page.locator('p.diagram-error').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    });
  });
});

/** axe-core's WCAG 2 A and AA rules, as "rule: target" lines (empty when the page passes). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeCore.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axeCore }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary ?? ''})`));
}
