/**
 * A site past 50,000 URLs (sitemaps.org's limit for one file) gets a
 * sitemap index at /sitemap.xml and its parts at /sitemap-1.xml, … ; a
 * smaller one keeps its one urlset (docs/urls-and-feeds.md).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { routeClaiming, ROUTES } from '../../src/content/urls.js';
import { buildSitemap, SITEMAP_MAX_BYTES } from '../../src/render/sitemap.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

const SITE_URL = 'https://blog.example.com';

const locsOf = (xml: string): string[] => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);

describe('the sitemap past its limit (injected small: the split at the real limit is test/unit/sitemap-split)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    for (let i = 0; i < 4; i += 1) content.post(`post-${i}.md`, { title: `Post ${i}`, publish_date: `2024-01-0${i + 1}`, tags: ['Go'] });
    content.post('pages/about.md', { title: 'About' });
    app = testApp(content, { siteUrl: SITE_URL });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('should make an index of parts that list, in order, every URL of the one urlset', async () => {
    const [view, pages] = await Promise.all([app.store.view(), app.pages.view()]);
    const whole = buildSitemap(view, testConfig(content.dir, { siteUrl: SITE_URL }), pages);
    expect(whole.parts).toEqual([]);
    expect(whole.main).toBe((await request(app).get('/sitemap.xml')).text);
    const split = buildSitemap(view, testConfig(content.dir, { siteUrl: SITE_URL }), pages, { maxUrls: 3, maxBytes: SITEMAP_MAX_BYTES });
    expect(split.main).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">\n/);
    const count = Math.ceil(locsOf(whole.main).length / 3);
    expect(locsOf(split.main)).toEqual(Array.from({ length: count }, (_, i) => `${SITE_URL}/sitemap-${i + 1}.xml`));
    expect(split.parts).toHaveLength(count);
    for (const part of split.parts) {
      expect(part).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
      expect(locsOf(part).length).toBeLessThanOrEqual(3);
    }
    expect(split.parts.flatMap(locsOf)).toEqual(locsOf(whole.main));
  });
});

describe('the sitemap of a smaller site', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    content.write('static/sitemap-1.xml', '<not-a-sitemap/>');
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('should stay one urlset, with no parts, and the part addresses reserved for the route', async () => {
    const res = await request(app).get('/sitemap.xml');
    expect(res.text).toContain('<urlset');
    expect((await request(app).get('/sitemap-1.xml')).status).toBe(404);
    expect(routeClaiming('/sitemap-1.xml')).toBe(ROUTES.sitemapPart);
    expect(routeClaiming('/sitemap-1.xml/x')).toBeUndefined();
  });
});
