import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Parser from 'rss-parser';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { discoveryApp, HIDDEN, SITE_URL, writeDiscoverySite } from '../helpers/discovery.js';
import { eventually, frontCacheHits, TempContent, testApp } from '../helpers/site.js';

type Item = { id?: string; 'content:encoded'?: string; 'dc:creator'?: string; category?: unknown; author?: string };
const parser = new Parser<Record<string, unknown>, Item>({ customFields: { item: ['dc:creator', 'category', 'author'] } });

/** The newest 20 of the fixture: the bundle, the sample, then posts 21 down to 04. */
const NEWEST_20 = [
  `${SITE_URL}/posts/bundle`,
  `${SITE_URL}/posts/deepseek-rising-challenger`,
  ...Array.from({ length: 18 }, (_, i) => `${SITE_URL}/posts/post-${String(21 - i).padStart(2, '0')}`),
];
/** Matches an ISO 8601 moment with a time zone (`Z` or an offset). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('feeds', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    writeDiscoverySite(content);
    app = discoveryApp(content);
  });
  afterAll(() => content.cleanup());

  describe('GET /feed.xml (RSS 2.0)', () => {
    let res: request.Response;
    let feed: Awaited<ReturnType<typeof parser.parseString>>;
    beforeAll(async () => {
      res = await request(app).get('/feed.xml');
      feed = await parser.parseString(res.text);
    });

    it('should answer 200 as application/rss+xml with caching headers', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
      expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(res.headers['last-modified']).toBeDefined();
      expect(res.headers['cache-control']).toMatch(/max-age=0/);
      expect(res.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<rss version="2.0"/);
    });
    it('should describe the site with absolute links', () => {
      expect(feed.title).toBe('Test Blog');
      expect(feed.description).toBe('A blog for tests.');
      expect(feed.link).toBe(`${SITE_URL}/`);
      expect(feed.feedUrl).toBe(`${SITE_URL}/feed.xml`);
    });
    it('should carry the newest 20 published posts, newest first', () => {
      expect(feed.items.map((i) => i.link)).toEqual(NEWEST_20);
    });
    it('should give each post its title, date with zone, author, summary and categories', () => {
      const item = feed.items[0]!;
      expect(item.title).toBe('A bundle & <friends>');
      expect(item.pubDate).toBe('Fri, 01 Mar 2024 09:00:00 GMT');
      expect(item.isoDate).toBe('2024-03-01T09:00:00.000Z');
      expect(item['dc:creator']).toBe('Ann Lee');
      expect(item.contentSnippet).toBe('A post with its images beside it.');
      expect(item.categories).toEqual(['AI', 'Open source']);
      expect(item.guid).toBe(`${SITE_URL}/posts/bundle`);
    });
    it('should carry the full HTML with absolute URLs', () => {
      const html = feed.items[0]!['content:encoded']!;
      expect(html).toContain(`<img src="${SITE_URL}/posts/bundle/chart.png" alt="the chart"`);
      expect(html).toContain(`<a href="${SITE_URL}/posts/deepseek-rising-challenger">the sample</a>`);
      expect(html).not.toMatch(/(src|href)="\//);
      const sample = feed.items[1]!['content:encoded']!;
      expect(sample).toContain('When Liang Wenfeng and his team set out to create DeepSeek');
      expect(sample).toContain('the AI revolution is no longer a one-company show.');
    });
    it('should attach the hero image, absolute, as an enclosure and above the content', () => {
      expect(feed.items[0]!.enclosure).toEqual({ url: `${SITE_URL}/posts/bundle/hero.jpg`, length: '0', type: 'image/jpeg' });
      expect(feed.items[0]!['content:encoded']).toMatch(
        new RegExp(`^<figure><img src="${SITE_URL}/posts/bundle/hero.jpg" alt="A hero" width="8" height="6"></figure>`),
      );
      expect(feed.items[1]!.enclosure).toEqual({ url: `${SITE_URL}/posts/deepseek-rising-challenger/hero.webp`, length: '0', type: 'image/webp' });
    });
    it('should leave out drafts, future and broken posts', () => {
      for (const name of HIDDEN) expect(res.text).not.toContain(name);
    });
  });

  describe('GET /atom.xml (Atom 1.0)', () => {
    let res: request.Response;
    let feed: Awaited<ReturnType<typeof parser.parseString>>;
    beforeAll(async () => {
      res = await request(app).get('/atom.xml');
      feed = await parser.parseString(res.text);
    });

    it('should answer 200 as application/atom+xml', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(res.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    });
    it('should describe the site with absolute links', () => {
      expect(feed.title).toBe('Test Blog');
      expect(feed.link).toBe(`${SITE_URL}/`);
      expect(feed.feedUrl).toBe(`${SITE_URL}/atom.xml`);
    });
    it('should carry the newest 20 published posts with ids, dates, authors and summaries', () => {
      expect(feed.items.map((i) => i.link)).toEqual(NEWEST_20);
      expect(feed.items.map((i) => i.id)).toEqual(NEWEST_20);
      const item = feed.items[0]!;
      // Atom titles are HTML text: the reader decodes them back to what the author wrote.
      expect(item.title).toBe('A bundle &amp; &lt;friends&gt;');
      expect(item.author).toBe('Ann Lee');
      expect(item.summary).toBe('A post with its images beside it.');
      // `published` is the publish date; `updated` (the updated_date) is later.
      expect(item.isoDate).toBe('2024-03-01T09:00:00.000Z');
      expect(res.text).toContain('<updated>2024-03-04T23:00:00.000Z</updated>');
    });
    it('should carry the full HTML with absolute URLs and the hero image', () => {
      expect(feed.items[0]!.content).toContain(`<img src="${SITE_URL}/posts/bundle/chart.png" alt="the chart"`);
      expect(res.text).toContain(`<link rel="enclosure" href="${SITE_URL}/posts/bundle/hero.jpg" type="image/jpeg"/>`);
      expect(res.text).toContain(`<category label="Open source" scheme="${SITE_URL}/tags/" term="open-source"/>`);
    });
    it('should leave out drafts, future and broken posts', () => {
      for (const name of HIDDEN) expect(res.text).not.toContain(name);
    });
  });

  describe('GET /feed.json (JSON Feed 1.1)', () => {
    let res: request.Response;
    interface JsonFeed {
      version: string;
      title: string;
      home_page_url: string;
      feed_url: string;
      language: string;
      authors: { name: string }[];
      items: {
        id: string;
        url: string;
        title: string;
        content_html: string;
        summary: string;
        image?: string;
        date_published: string;
        date_modified: string;
        authors: { name: string; url: string }[];
        tags: string[];
      }[];
    }
    let feed: JsonFeed;
    beforeAll(async () => {
      res = await request(app).get('/feed.json');
      feed = JSON.parse(res.text) as JsonFeed;
    });

    it('should answer 200 as application/feed+json', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    });
    it('should have the JSON Feed 1.1 top level', () => {
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.title).toBe('Test Blog');
      expect(feed.home_page_url).toBe(`${SITE_URL}/`);
      expect(feed.feed_url).toBe(`${SITE_URL}/feed.json`);
      expect(feed.language).toBe('en-GB');
      expect(feed.authors).toEqual([{ name: 'Anonymous' }]);
    });
    it('should have items with id, url, content_html, date_published and authors', () => {
      expect(feed.items.map((i) => i.url)).toEqual(NEWEST_20);
      for (const item of feed.items) {
        expect(typeof item.id).toBe('string');
        expect(item.id).toBe(item.url);
        expect(item.content_html.length).toBeGreaterThan(0);
        expect(item.date_published).toMatch(ISO_WITH_ZONE);
        expect(item.date_modified).toMatch(ISO_WITH_ZONE);
        expect(item.authors.length).toBe(1);
        expect(item.authors[0]!.url).toMatch(new RegExp(`^${SITE_URL}/authors/`));
      }
    });
    it('should keep the site offset in dates and give the summary, image and tags', () => {
      const item = feed.items[0]!;
      expect(item.title).toBe('A bundle & <friends>');
      expect(item.date_published).toBe('2024-03-01T10:00:00+01:00');
      expect(item.date_modified).toBe('2024-03-05T00:00:00+01:00');
      expect(item.summary).toBe('A post with its images beside it.');
      expect(item.image).toBe(`${SITE_URL}/posts/bundle/hero.jpg`);
      expect(item.tags).toEqual(['AI', 'Open source']);
      expect(item.authors).toEqual([{ name: 'Ann Lee', url: `${SITE_URL}/authors/ann-lee` }]);
      expect(feed.items[1]!.date_published).toBe('2024-02-09T00:00:00+01:00');
    });
    it('should leave out drafts, future and broken posts', () => {
      for (const name of HIDDEN) expect(res.text).not.toContain(name);
    });
  });

  describe('caching', () => {
    it.each(['/feed.xml', '/atom.xml', '/feed.json'])('should answer %s from the cache, and 304 to a matching If-None-Match', async (url) => {
      const first = await request(app).get(url);
      const hits = frontCacheHits(app);
      const second = await request(app).get(url);
      expect(hits()).toBe(1);
      expect(second.headers.etag).toBe(first.headers.etag);
      const revalidated = await request(app).get(url).set('If-None-Match', first.headers.etag!);
      expect(revalidated.status).toBe(304);
    });

    it('should compress the feeds for clients that accept it', async () => {
      const res = await request(app).get('/feed.xml').set('Accept-Encoding', 'br');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers.vary).toBe('Accept-Encoding');
    });
  });
});

describe('feeds when the posts change', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('first.md', { title: 'First', publish_date: '2024-01-01' });
    app = discoveryApp(content);
  });
  afterAll(() => content.cleanup());

  it('should list a new post within a second, and drop a deleted one', async () => {
    const before = await request(app).get('/feed.json');
    content.post('second.md', { title: 'Second', publish_date: '2024-01-02' });
    await eventually(async () => {
      const res = await request(app).get('/feed.json');
      expect((JSON.parse(res.text) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(['Second', 'First']);
      expect(res.headers.etag).not.toBe(before.headers.etag);
    });
    content.remove('second.md');
    await eventually(async () => {
      const feed = await parser.parseString((await request(app).get('/feed.xml')).text);
      expect(feed.items.map((i) => i.title)).toEqual(['First']);
    });
  });

  it('should add a future-dated post, its tag and its author to the feeds, sitemap and listings when its moment comes', async () => {
    const later = new TempContent();
    try {
      later.post('now.md', { title: 'Now', publish_date: '2030-01-01' });
      later.post('later.md', { title: 'Later', publish_date: '2030-01-02T09:00:00Z', tags: ['Soon'], author: 'Lou Later' });
      let now = Date.UTC(2030, 0, 1, 12);
      const clocked = testApp(later, { env: 'production', siteUrl: SITE_URL }, { now: () => now });
      const look = async () => ({
        feed: (JSON.parse((await request(clocked).get('/feed.json')).text) as { items: { title: string }[] }).items.map((i) => i.title),
        sitemap: (await request(clocked).get('/sitemap.xml')).text,
        tag: (await request(clocked).get('/tags/soon')).status,
        author: (await request(clocked).get('/authors/lou-later')).status,
      });
      const before = await look();
      expect(before.feed).toEqual(['Now']);
      expect(before.sitemap).not.toContain('/posts/later');
      expect([before.tag, before.author]).toEqual([404, 404]);
      now = Date.UTC(2030, 0, 2, 9, 0, 1);
      const after = await look();
      expect(after.feed).toEqual(['Later', 'Now']);
      expect(after.sitemap).toContain(`<loc>${SITE_URL}/posts/later</loc>`);
      expect([after.tag, after.author]).toEqual([200, 200]);
    } finally {
      later.cleanup();
    }
  });

  it('should answer HEAD with the headers of GET and no body', async () => {
    const get = await request(app).get('/atom.xml').set('Accept-Encoding', 'gzip');
    const head = await request(app).head('/atom.xml').set('Accept-Encoding', 'gzip');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.text ?? '').toBe('');
  });

  it('should answer an empty but valid feed when there are no posts', async () => {
    const empty = new TempContent();
    try {
      const emptyApp = discoveryApp(empty);
      const rss = await parser.parseString((await request(emptyApp).get('/feed.xml')).text);
      expect(rss.items).toEqual([]);
      const atom = await parser.parseString((await request(emptyApp).get('/atom.xml')).text);
      expect(atom.items).toEqual([]);
      const json = JSON.parse((await request(emptyApp).get('/feed.json')).text) as { items: unknown[] };
      expect(json.items).toEqual([]);
    } finally {
      empty.cleanup();
    }
  });
});
