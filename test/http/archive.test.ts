import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('/archive', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('a.md', { title: 'Oldest', publish_date: '2022-12-31' });
    content.post('b.md', { title: 'Early 2024', publish_date: '2024-01-05' });
    content.post('c.md', { title: 'Later Jan 2024', publish_date: '2024-01-20' });
    content.post('d.md', { title: 'March 2024', publish_date: '2024-03-01' });
    content.post('e.md', { title: 'Draft', publish_date: '2024-03-02', draft: true });
    content.post('f.md', { title: 'Future', publish_date: '2999-01-01' });
    content.post('pages/about.md', { title: 'About page' });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('lists every published post, grouped by year and month, newest first, one line each', async () => {
    const res = await request(app).get('/archive');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Archive');
    const years = $('.archive__year')
      .map((_, y) => $(y).find('h2').text())
      .get();
    expect(years).toEqual(['2024', '2022']);
    const months = $('.archive__year')
      .first()
      .find('.archive__month')
      .map((_, m) => $(m).text())
      .get();
    expect(months).toEqual(['March', 'January']);
    const lines = $('.archive__list li')
      .map((_, li) => `${$(li).find('time').attr('datetime')} ${$(li).find('a').text()} ${$(li).find('a').attr('href')}`)
      .get();
    expect(lines).toEqual([
      '2024-03-01 March 2024 /posts/d',
      '2024-01-20 Later Jan 2024 /posts/c',
      '2024-01-05 Early 2024 /posts/b',
      '2022-12-31 Oldest /posts/a',
    ]);
    expect(res.text).not.toContain('Draft');
    expect(res.text).not.toContain('Future');
    expect(res.text).not.toContain('About page');
  });

  it('is linked from the footer of every page', async () => {
    for (const url of ['/', '/posts/a', '/about', '/archive']) {
      const $ = cheerio.load((await request(app).get(url)).text);
      expect($('footer a[href="/archive"]').length).toBe(1);
    }
  });

  it('is in the sitemap and cached like any page', async () => {
    expect((await request(app).get('/sitemap.xml')).text).toContain('<loc>http://localhost:3000/archive</loc>');
    const first = await request(app).get('/archive');
    expect(first.headers.etag).toBeDefined();
    expect((await request(app).get('/archive').set('If-None-Match', first.headers.etag!)).status).toBe(304);
    expect(first.headers['surrogate-key']).toBe('index');
  });

  it('shows a new post on the next request', async () => {
    content.post('g.md', { title: 'Brand new', publish_date: '2024-04-01' });
    await eventually(async () => expect((await request(app).get('/archive')).text).toContain('Brand new'));
  });
});
