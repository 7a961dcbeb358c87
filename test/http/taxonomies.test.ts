import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { taxonomiesOf } from '../../src/content/taxonomy.js';
import { discoveryApp, HIDDEN, writeDiscoverySite } from '../helpers/discovery.js';
import { countingParser, eventually, TempContent, testApp } from '../helpers/site.js';

const load = async (app: LedeApp, url: string) => cheerio.load((await request(app).get(url)).text);
const cardTitles = ($: cheerio.CheerioAPI) =>
  $('.card__title a')
    .toArray()
    .map((a) => $(a).text());

describe('tags and authors', () => {
  const content = new TempContent();
  let app: LedeApp;
  const parser = countingParser();
  beforeAll(() => {
    writeDiscoverySite(content);
    app = discoveryApp(content, { posts_per_page: 5 }, { parse: parser.parse });
  });
  afterAll(() => content.cleanup());

  describe('GET /tags', () => {
    it('should list every tag with its count, alphabetically, linking to its page', async () => {
      const res = await request(app).get('/tags');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const $ = cheerio.load(res.text);
      const tags = $('.tag-index li')
        .toArray()
        .map((li) => [$(li).find('a').text(), $(li).find('a').attr('href'), $(li).find('.tag-index__count').text()]);
      expect(tags).toEqual([
        ['AI', '/tags/ai', '1 post'],
        ['Odd', '/tags/odd', '11 posts'],
        ['Open source', '/tags/open-source', '1 post'],
        ['Weekly', '/tags/weekly', '21 posts'],
      ]);
      expect($('title').text()).toBe('Tags | Test Blog');
    });
    it('should leave out the tags of drafts, future and broken posts', async () => {
      const res = await request(app).get('/tags');
      for (const name of HIDDEN) expect(res.text).not.toContain(name);
    });
  });

  describe('GET /tags/:tag', () => {
    it('should list the posts of the tag, newest first, a page at a time', async () => {
      const $ = await load(app, '/tags/odd');
      expect($('h1').text()).toBe('Posts tagged “Odd”');
      expect($('.listing__intro').text()).toBe('11 posts');
      expect(cardTitles($)).toEqual(['Post 21', 'Post 19', 'Post 17', 'Post 15', 'Post 13']);
      expect($('.pagination a[rel="next"]').attr('href')).toBe('/tags/odd/page/2');
      expect($('link[rel="canonical"]').attr('href')).toBe('https://blog.example.com/tags/odd');
    });
    it('should serve further pages, and the last one', async () => {
      const res = await request(app).get('/tags/odd/page/3');
      expect(res.status).toBe(200);
      const $ = cheerio.load(res.text);
      expect(cardTitles($)).toEqual(['Post 01']);
      expect($('.pagination a[rel="prev"]').attr('href')).toBe('/tags/odd/page/2');
      expect($('.pagination a[rel="next"]').length).toBe(0);
      expect($('title').text()).toBe('Posts tagged “Odd”: page 3 | Test Blog');
    });
    it('should redirect page 1 to the tag page', async () => {
      const res = await request(app).get('/tags/odd/page/1');
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/tags/odd');
    });
    it.each(['/tags/odd/page/4', '/tags/odd/page/0', '/tags/odd/page/x', '/tags/nope', '/tags/Odd', '/tags/secret', '/tags/tomorrow', '/tags/brokentag'])(
      'should answer %s with 404',
      async (url) => {
        expect((await request(app).get(url)).status).toBe(404);
      },
    );
  });

  describe('GET /authors/:author', () => {
    it("should list the author's posts, newest first, a page at a time", async () => {
      const $ = await load(app, '/authors/ann-lee');
      expect($('h1').text()).toBe('Posts by Ann Lee');
      expect($('.listing__intro').text()).toBe('12 posts');
      expect(cardTitles($)).toEqual(['A bundle & <friends>', 'Post 21', 'Post 19', 'Post 17', 'Post 15']);
      expect((await request(app).get('/authors/ann-lee/page/3')).status).toBe(200);
      expect((await request(app).get('/authors/ann-lee/page/4')).status).toBe(404);
    });
    it('should redirect page 1 to the author page', async () => {
      const res = await request(app).get('/authors/bob-smith/page/1');
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/authors/bob-smith');
    });
    it.each(['/authors/nobody', '/authors/dana-draft', '/authors/fred-future', '/authors/bruno-broken'])('should answer %s with 404', async (url) => {
      expect((await request(app).get(url)).status).toBe(404);
    });
  });

  describe('links', () => {
    it('should link the author in bylines and on cards', async () => {
      const article = await load(app, '/posts/deepseek-rising-challenger');
      expect(article('.byline a.author').attr('href')).toBe('/authors/david-jenkins');
      expect(article('.byline a.author').text()).toBe('David Jenkins');
      const index = await load(app, '/');
      expect(index('.card .meta__author').first().attr('href')).toBe('/authors/ann-lee');
    });
    it("should link an article's tags to their pages", async () => {
      const $ = await load(app, '/posts/bundle');
      const tags = $('.tags a')
        .toArray()
        .map((a) => [$(a).text(), $(a).attr('href')]);
      expect(tags).toEqual([
        ['AI', '/tags/ai'],
        ['Open source', '/tags/open-source'],
      ]);
      for (const [, href] of tags) expect((await request(app).get(href!)).status).toBe(200);
    });
    it('should link the previous and next posts at the end of an article', async () => {
      const $ = await load(app, '/posts/deepseek-rising-challenger');
      expect($('.post-nav a[rel="prev"]').attr('href')).toBe('/posts/post-21');
      expect($('.post-nav a[rel="next"]').attr('href')).toBe('/posts/bundle');
      // The neighbours skip drafts and future posts.
      const newest = await load(app, '/posts/bundle');
      expect(newest('.post-nav a[rel="next"]').length).toBe(0);
    });
  });

  it('should group posts once per site view and parse nothing per request', async () => {
    await request(app).get('/tags/weekly/page/2').expect(200);
    const parses = parser.count();
    const view = await app.store.view();
    expect(taxonomiesOf(view)).toBe(taxonomiesOf(view));
    for (const url of ['/tags', '/tags/ai', '/tags/weekly/page/2', '/authors/ann-lee', '/authors/bob-smith/page/2']) await request(app).get(url).expect(200);
    expect(parser.count()).toBe(parses);
  });

  it('should list the draft outside production (so the checks above are not empty)', async () => {
    const dev = testApp(content, { env: 'development' });
    const $ = await load(dev, '/tags');
    expect(
      $('.tag-index a')
        .toArray()
        .map((a) => $(a).text()),
    ).toContain('Secret');
    expect((await request(dev).get('/authors/dana-draft')).status).toBe(200);
    expect((await request(dev).get('/authors/fred-future')).status).toBe(404);
    const health = (await request(dev).get('/healthz')).body as { errors: number };
    expect(health.errors).toBe(1);
  });
});

describe('tags when the posts change', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should list a new tag and its post within a second', async () => {
    content.post('one.md', { title: 'One', publish_date: '2024-01-01', tags: ['First'] });
    const app = discoveryApp(content);
    expect((await request(app).get('/tags/second')).status).toBe(404);
    await request(app).get('/tags').expect(200);
    content.post('two.md', { title: 'Two', publish_date: '2024-01-02', tags: ['First', 'Second'], author: 'New Writer' });
    await eventually(async () => {
      const $ = await load(app, '/tags');
      expect(
        $('.tag-index a')
          .toArray()
          .map((a) => $(a).text()),
      ).toEqual(['First', 'Second']);
      expect(cardTitles(await load(app, '/tags/first'))).toEqual(['Two', 'One']);
      expect((await request(app).get('/authors/new-writer')).status).toBe(200);
    });
  });
});
