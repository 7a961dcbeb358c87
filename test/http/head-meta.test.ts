import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { discoveryApp, SITE_URL, writeDiscoverySite } from '../helpers/discovery.js';
import { TempContent, testApp } from '../helpers/site.js';

const SAMPLE_TITLE = "DeepSeek: The Rising Challenger Reshaping AI's Competitive Landscape";
/** The sample's hero is in its bundle (content/deepseek-rising-challenger/), so it shows offline. */
const SAMPLE_HERO = `${SITE_URL}/posts/deepseek-rising-challenger/hero.webp`;
const SAMPLE_HERO_ALT = 'Points of light joined by fine lines, a network drawn on a deep teal gradient';

describe("every page's head", () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    writeDiscoverySite(content);
    content.post('elsewhere.md', { title: 'First seen elsewhere', publish_date: '2022-06-01', canonical_url: 'https://other.example.org/original' });
    content.post('breakout.md', { title: 'Closing </script><script>alert(1)</script>', description: 'Says </SCRIPT> & <!-- too', publish_date: '2022-05-01' });
    app = discoveryApp(content);
  });
  afterAll(() => content.cleanup());

  const load = async (url: string) => cheerio.load((await request(app).get(url)).text);
  const meta = ($: cheerio.CheerioAPI, key: string) => $(`meta[property="${key}"], meta[name="${key}"]`).attr('content');
  const metas = ($: cheerio.CheerioAPI, key: string) =>
    $(`meta[property="${key}"]`)
      .toArray()
      .map((m) => $(m).attr('content'));
  const jsonLd = ($: cheerio.CheerioAPI) =>
    $('script[type="application/ld+json"]')
      .toArray()
      .map((s) => JSON.parse($(s).text()) as Record<string, unknown>);

  describe('an article (the sample)', () => {
    let $: cheerio.CheerioAPI;
    beforeAll(async () => {
      $ = await load('/posts/deepseek-rising-challenger');
    });

    it('should have the title, meta description and canonical link', () => {
      expect($('title').text()).toBe(`${SAMPLE_TITLE} | Test Blog`);
      expect(meta($, 'description')).toMatch(/^In the rapidly evolving world of artificial intelligence/);
      expect($('link[rel="canonical"]').attr('href')).toBe(`${SITE_URL}/posts/deepseek-rising-challenger`);
    });
    it('should have complete Open Graph data', () => {
      expect(meta($, 'og:type')).toBe('article');
      expect(meta($, 'og:title')).toBe(SAMPLE_TITLE);
      expect(meta($, 'og:description')).toMatch(/^In the rapidly evolving world/);
      expect(meta($, 'og:image')).toBe(SAMPLE_HERO);
      expect(meta($, 'og:image:alt')).toBe(SAMPLE_HERO_ALT);
      expect(meta($, 'og:url')).toBe(`${SITE_URL}/posts/deepseek-rising-challenger`);
      expect(meta($, 'og:site_name')).toBe('Test Blog');
      expect(meta($, 'og:locale')).toBe('en_GB');
      expect(meta($, 'article:published_time')).toBe('2024-02-09T00:00:00+01:00');
      expect(meta($, 'article:author')).toBe(`${SITE_URL}/authors/david-jenkins`);
    });
    it('should have a large-image Twitter card', () => {
      expect(meta($, 'twitter:card')).toBe('summary_large_image');
      expect(meta($, 'twitter:title')).toBe(SAMPLE_TITLE);
      expect(meta($, 'twitter:description')).toMatch(/^In the rapidly evolving world/);
      expect(meta($, 'twitter:image')).toBe(SAMPLE_HERO);
    });
    it('should have a JSON-LD BlogPosting', () => {
      const [data, more] = jsonLd($);
      expect(more).toBeUndefined();
      expect(data).toEqual({
        '@context': 'https://schema.org',
        '@type': 'BlogPosting',
        headline: SAMPLE_TITLE,
        alternativeHeadline: 'How a Chinese startup is disrupting AI development with efficient innovation',
        description: expect.stringMatching(/^In the rapidly evolving world/),
        image: [SAMPLE_HERO],
        datePublished: '2024-02-09T00:00:00+01:00',
        dateModified: '2024-02-09T00:00:00+01:00',
        author: { '@type': 'Person', name: 'David Jenkins', url: `${SITE_URL}/authors/david-jenkins` },
        publisher: { '@type': 'Organization', name: 'Test Blog', url: `${SITE_URL}/`, logo: { '@type': 'ImageObject', url: `${SITE_URL}/_lede/favicon.svg` } },
        mainEntityOfPage: { '@type': 'WebPage', '@id': `${SITE_URL}/posts/deepseek-rising-challenger` },
        url: `${SITE_URL}/posts/deepseek-rising-challenger`,
        wordCount: expect.any(Number),
      });
    });
    it('should link the three feeds for autodiscovery', () => {
      const feeds = $('link[rel="alternate"]')
        .toArray()
        .map((l) => [$(l).attr('type'), $(l).attr('href')]);
      expect(feeds).toEqual([
        ['application/rss+xml', '/feed.xml'],
        ['application/atom+xml', '/atom.xml'],
        ['application/feed+json', '/feed.json'],
      ]);
    });
  });

  describe('an article with tags, a bundle hero image and an updated date', () => {
    it('should give absolute image URLs, the tags, and the modified time', async () => {
      const $ = await load('/posts/bundle');
      expect(meta($, 'og:image')).toBe(`${SITE_URL}/posts/bundle/hero.jpg`);
      expect(meta($, 'twitter:image')).toBe(`${SITE_URL}/posts/bundle/hero.jpg`);
      expect(metas($, 'article:tag')).toEqual(['AI', 'Open source']);
      expect(meta($, 'article:published_time')).toBe('2024-03-01T10:00:00+01:00');
      expect(meta($, 'article:modified_time')).toBe('2024-03-05T00:00:00+01:00');
      const [data] = jsonLd($);
      expect(data).toMatchObject({ image: [`${SITE_URL}/posts/bundle/hero.jpg`], dateModified: '2024-03-05T00:00:00+01:00', keywords: 'AI, Open source' });
    });
  });

  it('should use a large card with the generated social card when the post has no hero image', async () => {
    const $ = await load('/posts/post-01');
    expect(meta($, 'twitter:card')).toBe('summary_large_image');
    expect(meta($, 'og:image')).toMatch(/^https:\/\/blog\.example\.com\/_card\/post-01\/[0-9a-f]{16}\.png$/);
    expect(meta($, 'og:image:width')).toBe('1200');
    expect(meta($, 'og:image:height')).toBe('630');
    expect(jsonLd($)[0]!.image).toEqual([meta($, 'og:image')]);
  });

  it('should let frontmatter canonical_url win for the canonical link, og:url and the JSON-LD', async () => {
    const $ = await load('/posts/elsewhere');
    expect($('link[rel="canonical"]').attr('href')).toBe('https://other.example.org/original');
    expect(meta($, 'og:url')).toBe('https://other.example.org/original');
    expect(jsonLd($)[0]!.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': 'https://other.example.org/original' });
  });

  it('should keep </script> in post data from breaking out of the JSON-LD', async () => {
    const res = await request(app).get('/posts/breakout');
    const head = res.text.slice(0, res.text.indexOf('</head>'));
    // One script element in the head, and it is the JSON-LD data block.
    expect(head.match(/<script/gi)).toEqual(['<script']);
    expect(head).not.toMatch(/<\/script><script>|<\/SCRIPT>|<!--/);
    const $ = cheerio.load(res.text);
    const [data] = jsonLd($);
    expect(data!.headline).toBe('Closing </script><script>alert(1)</script>');
    expect(data!.description).toBe('Says </SCRIPT> & <!-- too');
  });

  describe('listings', () => {
    it('should describe the index as a website, with its canonical URL', async () => {
      const $ = await load('/');
      expect($('title').text()).toBe('Test Blog');
      expect(meta($, 'description')).toBe('A blog for tests.');
      expect(meta($, 'og:type')).toBe('website');
      expect(meta($, 'og:url')).toBe(`${SITE_URL}/`);
      expect(meta($, 'twitter:card')).toBe('summary');
      expect(jsonLd($)).toEqual([]);
      expect($('link[rel="alternate"][type="application/rss+xml"]').attr('href')).toBe('/feed.xml');
    });
    it('should describe a tag page', async () => {
      const $ = await load('/tags/weekly');
      expect($('title').text()).toBe('Posts tagged “Weekly” | Test Blog');
      expect(meta($, 'description')).toBe('21 posts tagged “Weekly” on Test Blog.');
      expect($('link[rel="canonical"]').attr('href')).toBe(`${SITE_URL}/tags/weekly`);
      expect(meta($, 'og:url')).toBe(`${SITE_URL}/tags/weekly`);
    });
  });

  it('should build absolute links from SITE_URL as the canonical link is, keeping a path prefix', async () => {
    const prefixed = testApp(content, { env: 'production', siteUrl: 'https://example.org/blog' });
    const $ = cheerio.load((await request(prefixed).get('/posts/bundle')).text);
    expect($('link[rel="canonical"]').attr('href')).toBe('https://example.org/blog/posts/bundle');
    expect(meta($, 'og:url')).toBe('https://example.org/blog/posts/bundle');
    expect(meta($, 'article:author')).toBe('https://example.org/blog/authors/ann-lee');
    const feed = JSON.parse((await request(prefixed).get('/feed.json')).text) as { items: { url: string }[] };
    expect(feed.items[0]!.url).toBe('https://example.org/blog/posts/bundle');
    expect((await request(prefixed).get('/sitemap.xml')).text).toContain('<loc>https://example.org/blog/posts/bundle</loc>');
  });

  it('should keep the 404 page out of search results and give it no canonical link', async () => {
    const res = await request(app).get('/nope').set('Accept', 'text/html');
    const $ = cheerio.load(res.text);
    expect(res.status).toBe(404);
    expect(meta($, 'robots')).toBe('noindex');
    expect($('link[rel="canonical"]').length).toBe(0);
    expect(meta($, 'og:url')).toBeUndefined();
  });
});
