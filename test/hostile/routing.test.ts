/**
 * "URLs ignore letter case" and the absolute-form redirect: every router is
 * case-sensitive and strict, and a redirect never takes its path from the
 * wrong part of the request target.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { RawServer } from '../helpers/raw-http.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('letter case in URLs', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('x.md', { title: 'X', publish_date: '2024-01-01', tags: ['ai'], author: 'Ann' });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  const variants = [
    '/POSTS/x',
    '/Posts/x',
    '/FEED.XML',
    '/Atom.xml',
    '/FEED.json',
    '/Tags',
    '/Tags/ai',
    '/tags/ai/PAGE/2',
    '/AUTHORS/ann',
    '/SITEMAP.xml',
    '/Robots.txt',
    '/HEALTHZ',
    '/PAGE/2',
  ];

  it('should answer 404 for every other spelling of a route, and render nothing for it', async () => {
    for (const url of variants) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 404]);
    }
  });

  it('should keep the real spellings working', async () => {
    for (const url of ['/posts/x', '/feed.xml', '/atom.xml', '/tags', '/tags/ai', '/authors/ann', '/sitemap.xml', '/healthz']) {
      expect([url, (await request(app).get(url)).status]).toEqual([url, 200]);
    }
  });

  it('should not let case variants fill the page cache', async () => {
    await request(app).get('/posts/x');
    const before = app.cache.size.pages;
    for (let i = 0; i < 127; i++) {
      const variant = [...'/atom.xml'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
      await request(app).get(variant);
    }
    expect(app.cache.size.pages).toBeLessThanOrEqual(before + 1); // `/atom.xml` itself, once
    expect(app.cache.get('/posts/x')).toBeDefined();
  });
});

describe('absolute-form request targets (RFC 9112 §3.2.2)', () => {
  const content = new TempContent();
  let server: RawServer;
  beforeAll(async () => {
    content.post('x.md', { title: 'X', publish_date: '2024-01-01' });
    server = await RawServer.start(testApp(content, { env: 'production' }));
  });
  afterAll(async () => {
    await server.close();
    content.cleanup();
  });

  it('should redirect a trailing slash to the path alone, keeping the query', async () => {
    const res = await server.get('http://evil.test/posts/x/?a=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/x?a=1');
  });

  it('should redirect needless percent-encoding to the path alone', async () => {
    const res = await server.get('http://evil.test/posts/%78');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/x');
  });
});
