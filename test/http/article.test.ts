import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('GET /posts/:slug', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.copySample();
    content.post('plain.md', { title: 'Plain', publish_date: '2023-01-01' }, 'Body of the **plain** post.');
    content.post('no-cta.md', { title: 'Quiet', publish_date: '2023-01-02', cta: false });
    app = testApp(content, { site: { title: 'Test Blog', cta: 'Read more at [our site](https://example.com).', timezone: 'Pacific/Kiritimati' } });
  });
  afterAll(() => content.cleanup());

  describe('the sample article', () => {
    let $: cheerio.CheerioAPI;
    let res: request.Response;
    beforeAll(async () => {
      res = await request(app).get('/posts/deepseek-rising-challenger');
      $ = cheerio.load(res.text);
    });

    it('should answer 200 with HTML and caching headers', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(res.headers['cache-control']).toMatch(/max-age=0/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
    it('should show the title as the one h1 and in <title>', () => {
      expect($('h1').length).toBe(1);
      expect($('h1').text()).toBe("DeepSeek: The Rising Challenger Reshaping AI's Competitive Landscape");
      expect($('title').text()).toBe("DeepSeek: The Rising Challenger Reshaping AI's Competitive Landscape | Test Blog");
    });
    it('should show the subtitle', () => {
      expect($('.article__subtitle').text()).toBe('How a Chinese startup is disrupting AI development with efficient innovation');
    });
    it('should use the description as the meta description', () => {
      expect($('meta[name="description"]').attr('content')).toMatch(/^In the rapidly evolving world of artificial intelligence, a new contender/);
    });
    it('should show the author, the read time as written and the calendar date', () => {
      expect($('.byline .author').text()).toBe('David Jenkins');
      expect($('.byline__read').text()).toBe('8 mins');
      expect($('.byline time').attr('datetime')).toBe('2024-02-09');
      expect($('.byline time').text()).toBe('9 February 2024');
    });
    it('should show the created date', () => {
      expect($('.article__dates time').attr('datetime')).toBe('2025-02-09');
      expect($('.article__dates time').text()).toBe('9 February 2025');
    });
    it('should show the hero image with alt text and a reserved size', () => {
      const hero = $('.article__hero img');
      // In the sample's bundle: a new site shows it offline.
      expect(hero.attr('src')).toBe('/posts/deepseek-rising-challenger/hero.webp');
      expect(hero.attr('alt')).toBe('Points of light joined by fine lines, a network drawn on a deep teal gradient');
      expect(hero.attr('width')).toBeDefined();
      expect(hero.attr('height')).toBeDefined();
    });
    it('should render the markdown body with lazy images', () => {
      const img = $('.article__body img').first();
      expect(img.attr('alt')).toBe('A web of glowing nodes on an amber and plum gradient');
      expect(img.attr('loading')).toBe('lazy');
      expect($('.article__body p').length).toBeGreaterThan(8);
    });
    it("should end with the post's own CTA, after the body", () => {
      const cta = $('aside.cta');
      expect(cta.length).toBe(1);
      expect(cta.text().trim()).toMatch(/^Want to stay ahead of the AI revolution\? Follow us on LinkedIn/);
      const order = $('.article__body, aside.cta')
        .toArray()
        .map((el) => $(el).attr('class'));
      // The sample opens with a long paragraph: it has the drop cap.
      expect(order).toEqual(['article__body prose prose--drop-cap', 'cta']);
    });
    it('should have a canonical link under SITE_URL', () => {
      expect($('link[rel="canonical"]').attr('href')).toBe('http://localhost:3000/posts/deepseek-rising-challenger');
    });
  });

  it('should show the site CTA as inline markdown when the post has none', async () => {
    const $ = cheerio.load((await request(app).get('/posts/plain')).text);
    expect($('aside.cta a').attr('href')).toBe('https://example.com');
    expect($('aside.cta').text().trim()).toBe('Read more at our site.');
    expect($('.article__body strong').text()).toBe('plain');
  });

  it('should hide the CTA with cta: false', async () => {
    const $ = cheerio.load((await request(app).get('/posts/no-cta')).text);
    expect($('aside.cta').length).toBe(0);
  });

  it('should link the previous and next posts', async () => {
    const $ = cheerio.load((await request(app).get('/posts/no-cta')).text);
    expect($('.post-nav a[rel="prev"]').attr('href')).toBe('/posts/plain');
    expect($('.post-nav a[rel="next"]').attr('href')).toBe('/posts/deepseek-rising-challenger');
  });

  it('should escape HTML in frontmatter', async () => {
    content.post('xss.md', { title: '<b>Bold</b> & co', subtitle: '"><script>x</script>', publish_date: '2020-01-01' });
    const res = await request(app).get('/posts/xss');
    expect(res.text).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co');
    expect(res.text).not.toContain('<script>x</script>');
  });
});
