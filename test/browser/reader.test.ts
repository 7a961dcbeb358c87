/**
 * The reader's view, checked in Debian's Chromium: pages load cleanly, fit a
 * phone, keep the CTA reachable, switch to dark, pass axe's WCAG A/AA rules in
 * both schemes, and do not shift while images load. Screenshots of each page
 * at 1280 px and 375 px go to test-artifacts/ for a human to look at.
 *
 * @requires chromium
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axeCore from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { STAND_IN, launchChromium, listen, recordProblems, standInForRemoteHosts } from '../helpers/browser.js';
import { ROOT, TempContent, testApp } from '../helpers/site.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const GUIDE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'field-guide-to-caching.md'), 'utf8');
const PAGES = {
  index: '/',
  article: '/posts/deepseek-rising-challenger',
  guide: '/posts/field-guide-to-caching',
  archive: '/archive',
  about: '/about',
  search: '/search?q=caching+layers',
} as const;
const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
} as const;

type Scheme = 'light' | 'dark';

describe('in Chromium', () => {
  const content = new TempContent();
  let browser: Browser;
  let origin: string;
  let close: () => Promise<void>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    content.copySample();
    content.write('field-guide-to-caching.md', GUIDE);
    content.post(
      'pages/about.md',
      { title: 'About this blog', subtitle: 'Who writes it, and why' },
      'We write about **AI** and the web.\n\n![The logo](/img/logo.svg)\n',
    );
    content.write(
      'static/img/logo.svg',
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#a4262c"/></svg>\n',
    );
    const app = testApp(content, {
      site: {
        logo: '/img/logo.svg',
        nav: [
          { label: 'Home', url: '/' },
          { label: 'About', url: '/about' },
          { label: 'Feed', url: '/feed.xml' },
        ],
      },
    });
    ({ origin, close } = await listen(app));
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await close?.();
    content.cleanup();
  });

  /** A page in a fresh context, recording console errors and failed requests to our own server. */
  async function open(url: string, viewport: { width: number; height: number }, colorScheme: Scheme = 'light', status = 200) {
    const context = await browser.newContext({ viewport, colorScheme });
    contexts.push(context);
    await standInForRemoteHosts(context, origin);
    const page = await context.newPage();
    const problems = recordProblems(page, (url) => url.startsWith(origin));
    const response = await page.goto(origin + url, { waitUntil: 'load' });
    expect(response?.status()).toBe(status);
    return { page, problems };
  }

  describe.each(Object.entries(VIEWPORTS))('at %s width', (_name, viewport) => {
    it.each(Object.entries(PAGES))('should load the %s page with no console error and no failed request', async (pageName, url) => {
      const { page, problems } = await open(url, viewport);
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
      // A full-page screenshot does not scroll, so images never scrolled into view would show as gaps.
      for (const img of await page.locator('img').all()) await img.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
      await page.screenshot({ path: path.join(ARTIFACTS, `${pageName}-${viewport.width}.png`), fullPage: true });
    });

    it.each(Object.entries(PAGES))('should not scroll sideways on the %s page', async (_pageName, url) => {
      const { page } = await open(url, viewport);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });

    it('should show the whole CTA, standing out from the page, after scrolling to the end of an article', async () => {
      const { page } = await open(PAGES.article, viewport);
      await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
      const cta = page.locator('aside.cta');
      await expect(cta.isVisible()).resolves.toBe(true);
      const box = await cta.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return {
          top: r.top,
          bottom: r.bottom,
          height: window.innerHeight,
          bg: getComputedStyle(el).backgroundColor,
          page: getComputedStyle(document.body).backgroundColor,
        };
      });
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(box.height);
      expect(box.bg).not.toBe(box.page);
      await page.screenshot({ path: path.join(ARTIFACTS, `article-end-${viewport.width}.png`) });
    });

    it("should keep the hero image box while the image loads (no layout shift), at the image's own ratio", async () => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Images wait until the page has been measured without them: the sample's hero is in its bundle, remote ones get a stand-in.
      await context.route(
        () => true,
        async (route) => {
          if (route.request().resourceType() !== 'image') return route.continue();
          await held;
          if (new URL(route.request().url()).origin === origin) return route.continue();
          await route.fulfill({ status: 200, contentType: 'image/png', body: STAND_IN });
        },
      );
      const page = await context.newPage();
      await page.goto(origin + PAGES.article, { waitUntil: 'domcontentloaded' });
      // DOMContentLoaded does not wait for the stylesheet; the reserved box comes from it and the width/height attributes.
      await page.waitForFunction(() => [...document.styleSheets].some((sheet) => /\/_lede\/style-[0-9a-f]{10}\/style\.css$/.test(sheet.href ?? '')));
      // The bundled faces swap in when they arrive (docs/themes.md, "Type"), which may move lines on a busy machine:
      // the hero is measured, and shifts are counted, from the frame after every face is in.
      const fontsIn = await page.evaluate(async () => {
        await Promise.all(
          ['1em "Source Serif 4"', '600 1em "Source Serif 4"', '1em "Source Sans 3"', '600 1em "Source Sans 3"'].map((f) => document.fonts.load(f)),
        );
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return performance.now();
      });
      const heroBox = () =>
        page.evaluate(() => {
          const img = document.querySelector<HTMLImageElement>('.article__hero img')!;
          const r = img.getBoundingClientRect();
          const text = document.querySelector('.prose')!.getBoundingClientRect();
          return { loaded: img.complete && img.naturalWidth > 0, top: r.top, width: r.width, height: r.height, textTop: text.top };
        });
      const before = await heroBox();
      expect(before.loaded).toBe(false);
      // The sample's hero is 3:2 (1800 x 1200): its box keeps that shape, not the 16:9 box that cut off its bottom.
      expect(before.width / before.height).toBeCloseTo(3 / 2, 2);
      release();
      // The same condition as `loaded`: naturalWidth can be known before the image is complete.
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.article__hero img')!;
        return img.complete && img.naturalWidth > 0;
      });
      const after = await heroBox();
      // Within a pixel: a resized variant's height is rounded (1600 x 1067 for 1800 x 1200), a fraction of a pixel off the reserved box.
      expect(after.loaded).toBe(true);
      expect([after.top, after.width]).toEqual([before.top, before.width]);
      expect(Math.abs(after.height - before.height)).toBeLessThan(1);
      expect(Math.abs(after.textTop - before.textTop)).toBeLessThan(1);
      const natural = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('.article__hero img')!;
        return img.naturalWidth / img.naturalHeight;
      });
      // Shown whole: the box has the ratio of the picture drawn in it.
      expect(after.width / after.height).toBeCloseTo(natural, 2);
      // Two frames after the image completed: the frame that drew it has been laid out, and any shift it
      // caused is in the page's buffer, which an observer with `buffered` hands over at once (takeRecords).
      const shifts = await page.evaluate(
        (since) =>
          new Promise<number>((resolve) => {
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const observer = new PerformanceObserver(() => undefined);
                observer.observe({ type: 'layout-shift', buffered: true });
                const entries = observer.takeRecords() as unknown as { value: number; startTime: number }[];
                observer.disconnect();
                resolve(entries.filter((e) => e.startTime > since).reduce((sum, e) => sum + e.value, 0));
              }),
            );
          }),
        fontsIn,
      );
      expect(shifts).toBeLessThan(0.01);
    });
  });

  it('should search from the header form with JavaScript turned off', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false });
    contexts.push(context);
    await standInForRemoteHosts(context, origin);
    const page = await context.newPage();
    await page.goto(origin + PAGES.article, { waitUntil: 'load' });
    await page.getByRole('search').getByLabel('Search posts').fill('invalidation');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=invalidation$/);
    expect(await page.locator('.search-result__title a').first().getAttribute('href')).toBe(PAGES.guide);
    expect(await page.locator('.search-result mark').first().textContent()).toMatch(/^invalidation$/i);
  });

  it('should fit a 320 px screen without sideways scrolling', async () => {
    for (const url of Object.values(PAGES)) {
      const { page } = await open(url, { width: 320, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    }
  });

  it('should keep the text to a readable measure on a wide screen', async () => {
    const { page } = await open(PAGES.article, { width: 1920, height: 1000 });
    const charsPerLine = await page.evaluate(() => {
      const p = [...document.querySelectorAll('.prose p')].sort((a, b) => b.textContent!.length - a.textContent!.length)[0]!;
      // The paragraph's own text on one line gives the average width of a character, spaces included.
      const probe = document.createElement('span');
      probe.textContent = p.textContent;
      probe.style.whiteSpace = 'nowrap';
      p.appendChild(probe);
      const perChar = probe.getBoundingClientRect().width / probe.textContent!.length;
      probe.remove();
      return p.getBoundingClientRect().width / perChar;
    });
    expect(charsPerLine).toBeGreaterThanOrEqual(60);
    expect(charsPerLine).toBeLessThanOrEqual(80);
  });

  it('should apply the dark scheme when the reader prefers it', async () => {
    const backgrounds: Record<Scheme, string> = { light: '', dark: '' };
    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await open(PAGES.guide, VIEWPORTS.phone, scheme);
      backgrounds[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: path.join(ARTIFACTS, `guide-375-${scheme}.png`), fullPage: true });
    }
    expect(backgrounds.light).toBe('rgb(251, 250, 247)');
    expect(backgrounds.dark).toBe('rgb(19, 19, 22)');
  });

  describe.each(['light', 'dark'] as const)('in the %s scheme', (scheme) => {
    it.each(Object.entries(PAGES).flatMap(([name, url]) => Object.keys(VIEWPORTS).map((vp) => [name, vp, url] as const)))(
      'should pass the WCAG A and AA checks of axe on the %s page at %s width',
      async (_pageName, vp, url) => {
        const { page } = await open(url, VIEWPORTS[vp as keyof typeof VIEWPORTS], scheme);
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
      },
    );
  });

  it.each(['light', 'dark'] as const)('should pass axe on the 404 page in the %s scheme', async (scheme) => {
    const { page } = await open('/no-such-page', VIEWPORTS.phone, scheme, 404);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.locator('h1').count()).toBe(1);
  });

  it('should print the article without the site chrome, in black on white', async () => {
    const { page } = await open(PAGES.guide, VIEWPORTS.desktop, 'dark');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector('.site-header')!).display,
      toc: getComputedStyle(document.querySelector('.toc')!).display,
      nav: getComputedStyle(document.querySelector('.post-nav')!).display,
      background: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.querySelector('.prose p')!).color,
      cta: getComputedStyle(document.querySelector('.cta')!).display,
    }));
    expect(printed).toEqual({ header: 'none', toc: 'none', nav: 'none', background: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)', cta: 'block' });
    await page.pdf({ path: path.join(ARTIFACTS, 'guide-print.pdf') });
  });

  it('should show a skip link with a visible focus ring on the first Tab', async () => {
    const { page } = await open(PAGES.article, VIEWPORTS.phone);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { href: el.getAttribute('href'), top: el.getBoundingClientRect().top, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focused.href).toBe('#main');
    expect(focused.top).toBeGreaterThanOrEqual(0);
    expect(focused.outline).not.toBe('none');
    expect(focused.width).not.toBe('0px');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('should follow the CTA link from a click anywhere on a one-link CTA panel', async () => {
    const { page } = await open(PAGES.guide, VIEWPORTS.phone);
    const panel = page.locator('aside.cta');
    await panel.scrollIntoViewIfNeeded();
    const box = (await panel.boundingBox())!;
    // The top-left corner holds the envelope mark, not the link text.
    await Promise.all([page.waitForURL(`${origin}/feed.xml`), page.mouse.click(box.x + 12, box.y + 12)]);
  });

  it('should jump to a section from the table of contents', async () => {
    const { page } = await open(PAGES.guide, VIEWPORTS.desktop);
    await page.click('nav.toc a[href="#measuring-it"]');
    await page.waitForFunction(() => location.hash === '#measuring-it');
    await page.waitForFunction(() => Math.abs(document.getElementById('measuring-it')!.getBoundingClientRect().top) < 60);
  });
});

/** axe-core's WCAG 2 A and AA rules, as "rule: target" lines (empty when the page passes). */
async function axeViolations(page: Page): Promise<string[]> {
  // evaluate() goes through the DevTools protocol, so a Content-Security-Policy cannot block it.
  await page.evaluate(axeCore.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axeCore }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary ?? ''})`));
}
