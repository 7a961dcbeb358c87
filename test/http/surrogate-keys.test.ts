import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { setSurrogateKeys } from '../../src/cdn/surrogate-keys.js';
import { frontCacheHits, TempContent, testApp } from '../helpers/site.js';

describe('Surrogate-Key and Cache-Tag', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('oldest.md', { title: 'Oldest', publish_date: '2024-01-01' });
    content.post('middle.md', { title: 'Middle', publish_date: '2024-01-02' });
    content.post('newest.md', { title: 'Newest', publish_date: '2024-01-03' });
    content.write('bundle/index.md', '---\ntitle: Bundle\npublish_date: 2023-06-01\n---\n\n![x](pic.png)\n');
    content.write('bundle/pic.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    app = testApp(content, { site: { posts_per_page: 2 } });
  });
  afterAll(() => content.cleanup());

  describe('GET /posts/:slug', () => {
    it('should name the post and the neighbours it links to, in both conventions', async () => {
      const res = await request(app).get('/posts/middle');
      expect(res.status).toBe(200);
      expect(res.headers['surrogate-key']).toBe('post:middle post:newest post:oldest');
      expect(res.headers['cache-tag']).toBe('post:middle,post:newest,post:oldest');
    });
    it('should keep the keys when the page comes from the response cache', async () => {
      await request(app).get('/posts/newest');
      const hits = frontCacheHits(app);
      const res = await request(app).get('/posts/newest');
      expect(hits()).toBe(1);
      expect(res.headers['surrogate-key']).toBe('post:newest post:middle');
      expect(res.headers['cache-tag']).toBe('post:newest,post:middle');
    });
    it('should keep the keys when the route answers from the cache after the folder is listed again', async () => {
      let clock = Date.now();
      const timed = testApp(content, { site: { posts_per_page: 2 } }, { now: () => clock });
      const first = await request(timed).get('/posts/middle');
      clock += 5000; // the front door cannot vouch for the page now; the route checks and reuses it
      const res = await request(timed).get('/posts/middle');
      expect(res.headers.etag).toBe(first.headers.etag);
      expect(res.headers['surrogate-key']).toBe('post:middle post:newest post:oldest');
    });
    it('should keep the keys on a 304', async () => {
      const first = await request(app).get('/posts/oldest');
      const res = await request(app).get('/posts/oldest').set('If-None-Match', first.headers.etag!);
      expect(res.status).toBe(304);
      expect(res.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
    });
  });

  describe('GET / and /page/:n', () => {
    it('should name the listing and every post it shows', async () => {
      const first = await request(app).get('/');
      expect(first.headers['surrogate-key']).toBe('index post:newest post:middle');
      const second = await request(app).get('/page/2');
      expect(second.headers['surrogate-key']).toBe('index post:oldest post:bundle');
      expect(second.headers['cache-tag']).toBe('index,post:oldest,post:bundle');
    });
  });

  describe('GET /posts/:slug/:file', () => {
    it('should name the post the file belongs to', async () => {
      const res = await request(app).get('/posts/bundle/pic.png');
      expect(res.status).toBe(200);
      expect(res.headers['surrogate-key']).toBe('post:bundle');
      expect(res.headers['cache-tag']).toBe('post:bundle');
    });
  });

  describe('a 404', () => {
    it('should carry no keys (it is never cached)', async () => {
      const res = await request(app).get('/posts/missing');
      expect(res.status).toBe(404);
      expect(res.headers['surrogate-key']).toBeUndefined();
      expect(res.headers['cache-tag']).toBeUndefined();
    });
  });

  describe('feeds, the sitemap, the tag index, tag and author pages', () => {
    const site = new TempContent();
    let taxed: LedeApp;
    beforeAll(() => {
      site.post('go-one.md', { title: 'Go one', publish_date: '2024-01-01', tags: ['Go', 'Web Dev'], author: 'Ann Author' });
      site.post('go-two.md', { title: 'Go two', publish_date: '2024-01-02', tags: ['Go'] });
      taxed = testApp(site);
    });
    afterAll(() => site.cleanup());

    it.each([
      ['/feed.xml', 'feed'],
      ['/atom.xml', 'feed'],
      ['/feed.json', 'feed'],
      ['/sitemap.xml', 'feed'],
      ['/tags', 'tags'],
      ['/tags/go', 'tag:go post:go-two post:go-one'],
      ['/tags/web-dev', 'tag:web-dev post:go-one'],
      ['/authors/ann-author', 'author:ann-author post:go-one'],
    ])('%s should carry %s', async (urlPath, keys) => {
      const res = await request(taxed).get(urlPath);
      expect(res.status).toBe(200);
      expect(res.headers['surrogate-key']).toBe(keys);
      expect(res.headers['cache-tag']).toBe(keys.replace(/ /g, ','));
      const again = await request(taxed).get(urlPath);
      expect(again.headers['surrogate-key']).toBe(keys);
    });
  });

  describe('setSurrogateKeys()', () => {
    const fakeResponse = (): ServerResponse & { set: Record<string, unknown> } => {
      const set: Record<string, unknown> = {};
      return { set, setHeader: (name: string, value: unknown) => (set[name] = value) } as unknown as ServerResponse & { set: Record<string, unknown> };
    };
    it('should drop duplicates and keep the order', () => {
      const res = fakeResponse();
      setSurrogateKeys(res, ['feed', 'index', 'feed']);
      expect(res.set).toEqual({ 'Surrogate-Key': 'feed index', 'Cache-Tag': 'feed,index' });
    });
    it('should throw a TypeError for a key with a space or a comma', () => {
      expect(() => setSurrogateKeys(fakeResponse(), ['tag:two words'])).toThrow(TypeError);
      expect(() => setSurrogateKeys(fakeResponse(), ['a,b'])).toThrow(TypeError);
      expect(() => setSurrogateKeys(fakeResponse(), [''])).toThrow(TypeError);
    });
    it('should set nothing for no keys', () => {
      const res = fakeResponse();
      setSurrogateKeys(res, []);
      expect(res.set).toEqual({});
    });
  });
});
