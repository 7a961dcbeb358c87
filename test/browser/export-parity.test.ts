/**
 * The exported site is the same site (issue 30): a site with math, a
 * diagram and ordinary posts, exported and served by nginx with
 * deploy/nginx-static.conf (only its folder, port and logs swapped), and the
 * same content served live, compared page by page in Chromium: the same
 * visible text, no CSP violation and no console error, KaTeX laid out (a
 * numerator above its line, the line above its denominator) and mermaid
 * drawn as an SVG whose labels can be read against their shapes.
 *
 * Other checks of the same two sites (search, for one) belong in files of
 * their own built on test/helpers/export-site.ts.
 *
 * @requires chromium
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { exportAndServe, exportedPages, openSettled, richSite, type ServedBothWays } from '../helpers/export-site.js';
import { TempContent } from '../helpers/site.js';

/** Exporting renders and compresses every page; on a machine as busy as npm run test:stress makes it, over a minute. */
const SETUP_TIMEOUT_MS = 180_000;
const PAGE_TIMEOUT_MS = 120_000;

const content = richSite(new TempContent());
let served: ServedBothWays;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  served = await exportAndServe(content);
  browser = await launchChromium();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await served?.close();
  content.cleanup();
});

/** The text a reader sees, with runs of white space as one space. */
function visibleText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what layout shows is the point (hidden text left out)
  return page.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').trim());
}

/** Each display fraction's boxes: its numerator, its line and its denominator, top to bottom, as drawn. */
function fractions(page: Page): Promise<{ numerator: DOMRect; line: DOMRect; denominator: DOMRect }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.katex-display .mfrac')].map((frac) => {
      // KaTeX stacks a fraction as one vlist: denominator, line, numerator, each row placed by a
      // `top` style and holding a strut, then its content.
      // Its own vlist, not one of a fraction inside it.
      const rows = [...frac.querySelector(':scope > .vlist-t > .vlist-r > .vlist')!.children];
      const box = (el: Element): DOMRect => el.getBoundingClientRect().toJSON() as DOMRect;
      return {
        denominator: box(rows[0]!.lastElementChild!),
        line: box(rows[1]!.querySelector('.frac-line')!),
        numerator: box(rows[rows.length - 1]!.lastElementChild!),
      };
    }),
  );
}

/** For each label of each diagram: its text, its colour and its shape's fill, and the contrast between the two. */
function diagramLabels(page: Page): Promise<{ text: string; color: string; fill: string; contrast: number }[]> {
  return page.evaluate(() => {
    const rgb = (css: string): number[] => (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const luminance = (css: string): number => {
      const [r, g, b] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    return [...document.querySelectorAll('figure.diagram svg g.node')].map((node) => {
      const shape = node.querySelector('rect, polygon, circle, path')!;
      const label = node.querySelector('.nodeLabel, text')!;
      const fill = getComputedStyle(shape).fill;
      const color = label instanceof SVGElement ? getComputedStyle(label).fill : getComputedStyle(label).color;
      const [a, b] = [luminance(fill), luminance(color)].sort((x, y) => y - x);
      return { text: label.textContent ?? '', color, fill, contrast: (a! + 0.05) / (b! + 0.05) };
    });
  });
}

describe('an exported site next to the live one, in Chromium', () => {
  it('should export every page the test looks at', () => {
    expect(exportedPages(served.outDir)).toEqual(expect.arrayContaining(['/', '/posts/sums', '/posts/flow', '/posts/plain', '/about', '/archive']));
  });

  it(
    'should show every exported page as the live one: the same text, no CSP violation, no error',
    async () => {
      const pages = exportedPages(served.outDir);
      expect(pages.length).toBeGreaterThan(8);
      for (const urlPath of pages) {
        const [live, exported] = await Promise.all([
          openSettled(browser, served.live, urlPath, contexts),
          openSettled(browser, served.exported, urlPath, contexts),
        ]);
        expect({ urlPath, text: await visibleText(exported.page) }).toEqual({ urlPath, text: await visibleText(live.page) });
        for (const [side, opened] of [
          ['live', live],
          ['exported', exported],
        ] as const) {
          expect({ urlPath, side, violations: await opened.violations(), problems: opened.problems }).toEqual({ urlPath, side, violations: [], problems: [] });
        }
        await Promise.all([live.page.context().close(), exported.page.context().close()]);
      }
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'should lay out math in the export as live: each numerator above its line, the line above its denominator',
    async () => {
      for (const origin of [served.live, served.exported]) {
        const { page, problems } = await openSettled(browser, origin, '/posts/sums', contexts);
        const found = await fractions(page);
        // Gauss's sum, and a fraction within a fraction.
        expect({ origin, count: found.length }).toEqual({ origin, count: 3 });
        for (const { numerator, line, denominator } of found) {
          const middle = (box: DOMRect): number => (box.top + box.bottom) / 2;
          // Three rows top to bottom (without KaTeX's inline styles they sit at one height, over
          // each other). A small fraction's font boxes may touch its line: their middles may not.
          expect({
            origin,
            order: middle(numerator) < middle(line) && middle(line) < middle(denominator),
            outside: numerator.top < line.top && denominator.bottom > line.bottom,
          }).toEqual({ origin, order: true, outside: true });
          expect(numerator.height).toBeGreaterThan(5);
        }
        // The sum's limits sit above and below its sign, not on it.
        const sum = await page.evaluate(() => {
          const op = document.querySelector('.katex-display .op-limits')!;
          const rows = [...op.querySelector(':scope > .vlist-t > .vlist-r > .vlist')!.children].map((el) => el.lastElementChild!.getBoundingClientRect());
          const middle = (box: DOMRect): number => (box.top + box.bottom) / 2;
          return { below: middle(rows[0]!) > middle(rows[1]!), above: middle(rows[rows.length - 1]!) < middle(rows[1]!) };
        });
        expect({ origin, sum }).toEqual({ origin, sum: { below: true, above: true } });
        expect(problems).toEqual([]);
      }
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'should draw the diagram in the export as live: an SVG whose labels stand out from their shapes',
    async () => {
      const drawn: Record<string, unknown> = {};
      for (const origin of [served.live, served.exported]) {
        const { page, problems } = await openSettled(browser, origin, '/posts/flow', contexts);
        const labels = await diagramLabels(page);
        expect(labels.map((l) => l.text)).toEqual(['Reader', 'Cache', 'Server']);
        for (const label of labels) {
          expect({ origin, label: label.text, readable: label.color !== label.fill && label.contrast >= 4.5 }).toEqual({
            origin,
            label: label.text,
            readable: true,
          });
        }
        expect(problems).toEqual([]);
        drawn[origin === served.live ? 'live' : 'exported'] = labels;
      }
      // The same colours both ways.
      expect(drawn.exported).toEqual(drawn.live);
    },
    PAGE_TIMEOUT_MS,
  );
});
