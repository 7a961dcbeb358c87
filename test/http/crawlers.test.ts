import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { discoveryApp, HIDDEN, SITE_URL, writeDiscoverySite } from '../helpers/discovery.js';
import { TempContent } from '../helpers/site.js';

interface SitemapUrl {
  loc: string;
  lastmod?: string;
}

describe('crawlers', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    writeDiscoverySite(content);
    app = discoveryApp(content, { posts_per_page: 10 });
  });
  afterAll(() => content.cleanup());

  describe('GET /sitemap.xml', () => {
    let res: request.Response;
    let urls: SitemapUrl[];
    let byLoc: Map<string, SitemapUrl>;
    beforeAll(async () => {
      res = await request(app).get('/sitemap.xml');
      const parsed = new XMLParser({ isArray: (name) => name === 'url' }).parse(res.text) as { urlset: { url: SitemapUrl[] } };
      urls = parsed.urlset.url;
      byLoc = new Map(urls.map((u) => [u.loc, u]));
    });

    it('should answer 200 as well-formed XML in the sitemap namespace', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(res.headers.etag).toBeDefined();
      expect(XMLValidator.validate(res.text)).toBe(true);
      expect(res.text).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    });
    it('should list every published post with its lastmod', () => {
      const posts = urls.filter((u) => u.loc.startsWith(`${SITE_URL}/posts/`));
      expect(posts.length).toBe(23);
      expect(byLoc.get(`${SITE_URL}/posts/deepseek-rising-challenger`)?.lastmod).toBe('2024-02-09T00:00:00+01:00');
      // The updated date wins over the publish date.
      expect(byLoc.get(`${SITE_URL}/posts/bundle`)?.lastmod).toBe('2024-03-05T00:00:00+01:00');
      expect(byLoc.get(`${SITE_URL}/posts/post-01`)?.lastmod).toBe('2023-01-01T00:00:00+01:00');
    });
    it('should list every index page, the tag index, and every page of each tag and author', () => {
      const listings = urls.map((u) => u.loc).filter((loc) => !loc.startsWith(`${SITE_URL}/posts/`));
      expect(listings).toEqual([
        `${SITE_URL}/`,
        `${SITE_URL}/page/2`,
        `${SITE_URL}/page/3`,
        `${SITE_URL}/tags`,
        `${SITE_URL}/tags/ai`,
        `${SITE_URL}/tags/odd`,
        `${SITE_URL}/tags/odd/page/2`,
        `${SITE_URL}/tags/open-source`,
        `${SITE_URL}/tags/weekly`,
        `${SITE_URL}/tags/weekly/page/2`,
        `${SITE_URL}/tags/weekly/page/3`,
        `${SITE_URL}/authors/ann-lee`,
        `${SITE_URL}/authors/ann-lee/page/2`,
        `${SITE_URL}/authors/bob-smith`,
        `${SITE_URL}/authors/david-jenkins`,
        `${SITE_URL}/archive`,
      ]);
    });
    it('should date each listing by its newest post', () => {
      expect(byLoc.get(`${SITE_URL}/`)?.lastmod).toBe('2024-03-05T00:00:00+01:00');
      expect(byLoc.get(`${SITE_URL}/page/3`)?.lastmod).toBe('2023-01-03T00:00:00+01:00');
      expect(byLoc.get(`${SITE_URL}/authors/bob-smith`)?.lastmod).toBe('2023-01-20T00:00:00+01:00');
      expect(byLoc.get(`${SITE_URL}/archive`)?.lastmod).toBe(byLoc.get(`${SITE_URL}/`)?.lastmod);
      for (const url of urls) expect(url.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    });
    it('should leave out drafts, future and broken posts, and their tags and authors', () => {
      for (const name of HIDDEN) expect(res.text).not.toContain(name);
      expect(res.text).not.toMatch(/draft|future|broken/);
    });
    it('should answer every URL it lists with 200', async () => {
      for (const url of urls) {
        const path = url.loc.slice(SITE_URL.length);
        expect([path, (await request(app).get(path)).status]).toEqual([path, 200]);
      }
    });
  });

  describe('GET /robots.txt', () => {
    it('should allow crawling and name the sitemap', async () => {
      const res = await request(app).get('/robots.txt');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toMatch(/^User-agent: \*$/m);
      expect(res.text).toMatch(new RegExp(`^Sitemap: ${SITE_URL}/sitemap.xml$`, 'm'));
      expect(res.text).not.toMatch(/^Disallow: \/$/m);
    });
  });
});
