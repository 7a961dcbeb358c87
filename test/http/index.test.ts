import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('GET / and /page/:n', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    // 23 posts, one a day in January 2024, written in shuffled order.
    const days = Array.from({ length: 23 }, (_, i) => i + 1).sort((a, b) => ((a * 7) % 23) - ((b * 7) % 23));
    for (const day of days) {
      const d = String(day).padStart(2, '0');
      content.post(`post-${d}.md`, { title: `Post ${d}`, publish_date: `2024-01-${d}`, description: `About day ${d}` });
    }
    content.post('future.md', { title: 'Future', publish_date: '2999-01-01' });
    content.post('draft.md', { title: 'Draft', publish_date: '2024-01-30', draft: true });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  const titles = async (url: string) =>
    cheerio
      .load((await request(app).get(url)).text)('.card__title a')
      .toArray()
      .map((a) => cheerio.load(a).text());

  it('should list the newest 10 published posts first', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await titles('/')).toEqual(['Post 23', 'Post 22', 'Post 21', 'Post 20', 'Post 19', 'Post 18', 'Post 17', 'Post 16', 'Post 15', 'Post 14']);
  });

  it('should show a card with title, summary, author, date and read time', async () => {
    const $ = cheerio.load((await request(app).get('/')).text);
    const card = $('.card').first();
    expect(card.find('.card__title a').attr('href')).toBe('/posts/post-23');
    expect(card.find('.card__summary').text()).toBe('About day 23');
    expect(card.find('.meta__author').text()).toBe('Anonymous');
    expect(card.find('time').attr('datetime')).toBe('2024-01-23');
    expect(card.find('.meta__read').text()).toBe('1 min read');
  });

  it('should continue on /page/2 and /page/3', async () => {
    expect(await titles('/page/2')).toEqual(['Post 13', 'Post 12', 'Post 11', 'Post 10', 'Post 09', 'Post 08', 'Post 07', 'Post 06', 'Post 05', 'Post 04']);
    expect(await titles('/page/3')).toEqual(['Post 03', 'Post 02', 'Post 01']);
  });

  it('should link the pages', async () => {
    const $ = cheerio.load((await request(app).get('/page/2')).text);
    expect($('.pagination a[rel="prev"]').attr('href')).toBe('/');
    expect($('.pagination a[rel="next"]').attr('href')).toBe('/page/3');
  });

  it('should redirect /page/1 to /', async () => {
    const res = await request(app).get('/page/1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/');
  });

  it.each(['/page/4', '/page/0', '/page/x', '/page/-1', '/page/99999999999'])('should answer 404 for %s', async (url) => {
    expect((await request(app).get(url)).status).toBe(404);
  });

  it('should leave out drafts and future posts in production', async () => {
    const all = [...(await titles('/')), ...(await titles('/page/2')), ...(await titles('/page/3'))];
    expect(all).toHaveLength(23);
    expect(all).not.toContain('Future');
    expect(all).not.toContain('Draft');
    expect((await request(app).get('/posts/future')).status).toBe(404);
    expect((await request(app).get('/posts/draft')).status).toBe(404);
  });

  it('should show drafts outside production', async () => {
    const dev = testApp(content, { env: 'development' });
    const $ = cheerio.load((await request(dev).get('/')).text);
    expect($('.card__title').first().text()).toMatch(/Draft/);
    expect((await request(dev).get('/posts/draft')).status).toBe(200);
  });
});
