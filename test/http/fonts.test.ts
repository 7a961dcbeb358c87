/**
 * The bundled type over HTTP (docs/themes.md, "Type"): every page preloads
 * the body text's and the headlines' faces and links one stylesheet with
 * the `@font-face` rules folded in (not a second render-blocking request),
 * sent compressed and immutable; each face `font-display: swap` and
 * Latin-only, with fallbacks of its width and line metrics; the fonts are
 * served from content-hashed folders as immutable; all the faces an article
 * page can load come to under 120 KB; `fonts: system` leaves every one of
 * them out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { IMMUTABLE_CACHE_CONTROL } from '../../src/http/vendor-assets.js';
import { TempContent, testApp } from '../helpers/site.js';

const ARTICLE = '/posts/deepseek-rising-challenger';
const FONT_BUDGET_BYTES = 120 * 1024;
/** The page stylesheet, in its content-hashed folder (src/http/vendor-assets.ts). */
const PAGE_CSS = /^\/_lede\/style-[0-9a-f]{10}\/style\.css$/;

describe('the bundled fonts', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.copySample();
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('should preload two faces and link one stylesheet, their rules folded in, on every page', async () => {
    for (const url of ['/', ARTICLE, '/archive', '/search']) {
      const $ = cheerio.load((await request(app).get(url)).text);
      const preloads = $('link[rel="preload"][as="font"]');
      expect(preloads).toHaveLength(2);
      preloads.each((_, el) => {
        expect($(el).attr('type')).toBe('font/woff2');
        // Fonts are fetched in CORS mode: a preload without `crossorigin` would be fetched twice.
        expect($(el).attr('crossorigin')).toBe('');
      });
      // One render-blocking request for the theme and the type: the fonts' rules are not a stylesheet of their own.
      expect(
        $('link[rel="stylesheet"]')
          .map((_, el) => $(el).attr('href'))
          .get(),
      ).toEqual([expect.stringMatching(PAGE_CSS)]);
    }
  });

  it('should send that stylesheet compressed, cached for a year', async () => {
    const href = cheerio
      .load((await request(app).get(ARTICLE)).text)('link[rel="stylesheet"]')
      .attr('href')!;
    const identity = await request(app).get(href).set('Accept-Encoding', 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(identity.headers.vary).toBe('Accept-Encoding');
    const size = Number(identity.headers['content-length']);
    expect(size).toBeGreaterThan(20 * 1024);
    for (const coding of ['br', 'gzip']) {
      const res = await request(app).get(href).set('Accept-Encoding', coding).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(res.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
      // supertest decodes the body: the same bytes, a third of the size or less on the wire.
      expect(res.text).toBe(identity.text);
      expect(Number(res.headers['content-length'])).toBeLessThan(size / 3);
    }
    // Each encoding's bytes have their own ETag; a client that has them gets a 304.
    const etags = new Set<string>();
    for (const coding of ['br', 'gzip', 'identity']) {
      const res = await request(app).get(href).set('Accept-Encoding', coding);
      etags.add(res.headers.etag!);
      const again = await request(app).get(href).set('Accept-Encoding', coding).set('If-None-Match', res.headers.etag!);
      expect([coding, again.status]).toEqual([coding, 304]);
    }
    expect(etags.size).toBe(3);
    // The built-in rules and the fonts' rules, in one file.
    expect(identity.text).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(identity.text).toContain('font-family: "Source Serif 4";');
  });

  it('should give every fallback face the width and the line metrics of its bundled face, in the stacks after it', async () => {
    const href = cheerio
      .load((await request(app).get(ARTICLE)).text)('link[rel="stylesheet"]')
      .attr('href')!;
    const css = (await request(app).get(href)).text;
    const fallbacks = (css.match(/@font-face \{[^}]*\}/g) ?? []).filter((rule) => rule.includes('local('));
    // Times New Roman / Arial (or Liberation) and DejaVu, for each of the five faces.
    expect(fallbacks).toHaveLength(10);
    for (const rule of fallbacks) {
      expect(rule).toMatch(/size-adjust: \d+(\.\d+)?%;/);
      // A line of `line-height: normal` (the search box) is as tall before the swap as after.
      expect(rule).toMatch(/ascent-override: \d+(\.\d+)?%;/);
      expect(rule).toMatch(/descent-override: \d+(\.\d+)?%;/);
      expect(rule).toContain('line-gap-override: 0%;');
      // Standing in for the bundled faces where they have glyphs, no further (an envelope keeps its own font).
      expect(rule).toMatch(/unicode-range: U\+0000-00FF,/);
    }
    expect(css).toMatch(/--serif: "Source Serif 4", "Source Serif 4 Fallback", "Source Serif 4 DejaVu",/);
    expect(css).toMatch(/--sans: "Source Sans 3", "Source Sans 3 Fallback", "Source Sans 3 DejaVu",/);
  });

  it('should swap each face in when it arrives, Latin only, from immutable hashed files, under 120 KB in all', async () => {
    const $ = cheerio.load((await request(app).get(ARTICLE)).text);
    const css = await request(app).get($('link[rel="stylesheet"]').attr('href')!);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
    const rules = (css.text.match(/@font-face \{[^}]*\}/g) ?? []).filter((rule) => rule.includes('url('));
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      expect(rule).toContain('font-display: swap;');
      expect(rule).toMatch(/unicode-range: U\+0000-00FF,/);
    }
    const urls = rules.map((rule) => /url\(([^)]+)\)/.exec(rule)![1]!);
    const preloaded = $('link[rel="preload"][as="font"]')
      .map((_, el) => $(el).attr('href'))
      .get();
    expect(urls).toEqual(expect.arrayContaining(preloaded));
    let total = 0;
    for (const url of urls) {
      expect(url).toMatch(/^\/_lede\/source-(serif-4|sans-3)-[0-9a-f]{10}\/[a-z0-9-]+-latin-\d00-(normal|italic)\.woff2$/);
      const font = await request(app).get(url).buffer(true);
      expect(font.status).toBe(200);
      expect(font.headers['content-type']).toBe('font/woff2');
      expect(font.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
      total += Number(font.headers['content-length']);
    }
    expect(total).toBeGreaterThan(50 * 1024);
    expect(total).toBeLessThan(FONT_BUDGET_BYTES);
  });

  it('should serve no other file of the font packages', async () => {
    const $ = cheerio.load((await request(app).get(ARTICLE)).text);
    const folder = $('link[rel="preload"][as="font"]')
      .first()
      .attr('href')!
      .replace(/[^/]+$/, '');
    expect((await request(app).get(`${folder}source-serif-4-cyrillic-400-normal.woff2`)).status).toBe(404);
    // On disk beside the woff2, but not one of the five.
    expect((await request(app).get(`${folder}source-serif-4-latin-400-normal.woff`)).status).toBe(404);
    expect((await request(app).get(`${folder}source-serif-4-latin-700-normal.woff2`)).status).toBe(404);
  });
});

describe('fonts: system', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should link no font and preload none', async () => {
    content.copySample();
    const app = testApp(content, { site: { fonts: 'system' } });
    const html = (await request(app).get(ARTICLE)).text;
    expect(html).not.toContain('woff2');
    expect(html).not.toContain('fonts.css');
    // The page stylesheet without the fonts' rules.
    const href = cheerio.load(html)('link[rel="stylesheet"]').attr('href')!;
    expect(href).toMatch(PAGE_CSS);
    const css = (await request(app).get(href)).text;
    expect(css).toMatch(/--measure: /);
    expect(css).not.toContain('@font-face');
    app.store.close();
    app.pages.close();
  });
});
