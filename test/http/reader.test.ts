import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { ROOT, TempContent, testApp } from '../helpers/site.js';

const GUIDE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'field-guide-to-caching.md'), 'utf8');

describe('reader experience (HTML)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.copySample();
    // An image written with no alt text at the end of the guide: it must still get an alt attribute (empty).
    content.write('field-guide-to-caching.md', `${GUIDE.trimEnd()}\n\n![](/img/rule.svg)\n`);
    content.write(
      'no-toc.md',
      GUIDE.replace('title: "A Field Guide to Caching Rendered Pages"', 'title: "No TOC"\ntoc: false').replace('2024-01-15', '2023-06-01'),
    );
    content.post('short.md', { title: 'Short', publish_date: '2023-01-01' }, '## Only\n\ntext\n\n## Two\n\nmore');
    app = testApp(content, { site: { nav: [{ label: 'Home', url: '/' }] } });
  });
  afterAll(() => content.cleanup());

  async function load(url: string): Promise<cheerio.CheerioAPI> {
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    return cheerio.load(res.text);
  }

  describe.each(['/', '/posts/deepseek-rising-challenger', '/posts/field-guide-to-caching'])('the page %s', (url) => {
    let $: cheerio.CheerioAPI;
    beforeAll(async () => {
      $ = await load(url);
    });

    it('should have the header, nav, main and footer landmarks', () => {
      expect($('body > header.site-header')).toHaveLength(1);
      expect($('header nav[aria-label]')).toHaveLength(1);
      expect($('body > main#main')).toHaveLength(1);
      expect($('body > footer.site-footer')).toHaveLength(1);
    });

    it('should start with a skip link to the main content', () => {
      expect($('body > a').first().attr('href')).toBe('#main');
      expect($('body > a').first().hasClass('skip-link')).toBe(true);
    });

    it('should have exactly one h1', () => {
      expect($('h1')).toHaveLength(1);
    });

    it('should give every image an alt attribute', () => {
      const images = $('img').toArray();
      // Not vacuous: each of these pages shows images (heroes, the listing's thumbnails, the post's own).
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter((img) => typeof $(img).attr('alt') !== 'string').map((img) => $.html(img))).toEqual([]);
    });

    it('should load the stylesheet and the favicon from /_lede only, with no inline style or executable script', () => {
      // The page stylesheet, the fonts' rules folded in, from a content-hashed folder (src/http/vendor-assets.ts).
      expect($('link[rel=stylesheet]').attr('href')).toMatch(/^\/_lede\/style-[0-9a-f]{10}\/style\.css$/);
      expect($('link[rel=icon]').attr('href')).toMatch(/^\/_lede\//);
      // JSON-LD blocks are data, never run.
      expect($('script:not([type="application/ld+json"])')).toHaveLength(0);
      expect($('style')).toHaveLength(0);
      expect($('[style]')).toHaveLength(0);
    });
  });

  describe('an article', () => {
    it("should wrap the post in an article with its hero from its bundle, at the image's own size", async () => {
      const $ = await load('/posts/deepseek-rising-challenger');
      expect($('main > article.article')).toHaveLength(1);
      const hero = $('.article__hero img');
      expect(hero.attr('src')).toBe('/posts/deepseek-rising-challenger/hero.webp');
      expect(hero.attr('alt')).toBe('Points of light joined by fine lines, a network drawn on a deep teal gradient');
      expect(hero.attr('width')).toBe('1800');
      expect(hero.attr('height')).toBe('1200');
      expect(hero.hasClass('article__hero-own')).toBe(true);
      expect(hero.attr('loading')).toBeUndefined();
    });

    it('should show the reading time in the byline', async () => {
      const $ = await load('/posts/field-guide-to-caching');
      expect($('.byline__read').text()).toMatch(/^\d+ min read$/);
    });

    it('should highlight fenced code at render time', async () => {
      const $ = await load('/posts/field-guide-to-caching');
      expect($('pre code.hljs.language-ts .hljs-keyword').first().text()).toBe('export');
      expect($('pre code.language-python .hljs-keyword').length).toBeGreaterThan(0);
      expect($('pre code.language-sh')).toHaveLength(1);
    });

    it('should link every heading to itself', async () => {
      const $ = await load('/posts/field-guide-to-caching');
      const h2 = $('.prose h2').first();
      expect(h2.attr('id')).toBe('choosing-the-key');
      expect(h2.find('a.anchor').attr('href')).toBe('#choosing-the-key');
    });

    it('should list the sections in a table of contents before the body', async () => {
      const $ = await load('/posts/field-guide-to-caching');
      const toc = $('nav.toc');
      expect(toc.attr('aria-labelledby')).toBe('toc-title');
      expect(
        toc
          .find('> ol > li > a')
          .map((_, a) => $(a).attr('href'))
          .get(),
      ).toEqual(['#choosing-the-key', '#knowing-when-it-is-stale', '#measuring-it', '#what-it-buys-the-reader']);
      expect(toc.find('ol ol a').text()).toBe('What not to put in the key');
      for (const href of toc
        .find('a')
        .map((_, a) => $(a).attr('href'))
        .get())
        expect($(href)).toHaveLength(1);
      expect($('.article__content > nav.toc + .article__body')).toHaveLength(1);
    });

    it('should show no table of contents with toc: false, or for a post with two sections', async () => {
      expect((await load('/posts/no-toc'))('nav.toc')).toHaveLength(0);
      expect((await load('/posts/short'))('nav.toc')).toHaveLength(0);
    });

    it('should make a CTA with one link a single click target', async () => {
      const $ = await load('/posts/field-guide-to-caching');
      expect($('aside.cta').hasClass('cta--action')).toBe(true);
      expect($('aside.cta a').attr('href')).toBe('/feed.xml');
      const sample = await load('/posts/deepseek-rising-challenger');
      expect(sample('aside.cta').hasClass('cta--action')).toBe(false);
    });
  });

  describe('the index', () => {
    it('should lead with the newest post, its image loaded eagerly, and show reading times on cards', async () => {
      const $ = await load('/');
      const cards = $('.card');
      expect(cards.first().hasClass('card--lead')).toBe(true);
      expect(cards.first().find('img').attr('fetchpriority')).toBe('high');
      expect(cards.first().find('img').attr('loading')).toBeUndefined();
      expect($('.card--lead')).toHaveLength(1);
      cards.each((_, card) => {
        expect($(card).find('.meta__read').text()).toMatch(/min/);
      });
    });
  });

  describe('GET /_lede/style.css', () => {
    it('should carry a dark scheme, print styles, a measure and highlight colours', async () => {
      const res = await request(app).get('/_lede/style.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.text).toMatch(/@media \(prefers-color-scheme: dark\)/);
      expect(res.text).toMatch(/@media print/);
      expect(res.text).toMatch(/--measure: /);
      expect(res.text).toMatch(/\.hljs-keyword/);
    });
  });

  describe('GET /_lede/favicon.svg', () => {
    it('should serve the favicon as SVG', async () => {
      const res = await request(app).get('/_lede/favicon.svg');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    });
  });
});
