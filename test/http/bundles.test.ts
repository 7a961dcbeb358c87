import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TINY_JPEG } from '../helpers/png.js';
import { TempContent, testApp } from '../helpers/site.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1d9b50000000049454e44ae426082',
  'hex',
);

describe('page bundles', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.write(
      'my-trip/index.md',
      [
        '---',
        'title: My trip',
        'heroImage: ./cover.jpg',
        'publish_date: 2024-01-01',
        '---',
        '![Beach](beach.png "At noon")',
        '',
        '![Map](images/map.svg) and [the route](route.gpx#start) and [notes](./notes.txt?v=2).',
        '',
        '![Up](../secret.png) [out](../../etc/passwd) [sneaky](%2e%2e/secret.png) [inner](images/../beach.png)',
        '',
        '[site](/about) [web](https://example.com/x.png) [anchor](#top) [mail](mailto:a@example.com)',
        '',
        '[ref]: beach.png',
        'And [a reference][ref].',
      ].join('\n'),
    );
    content.write('my-trip/cover.jpg', TINY_JPEG);
    content.write('my-trip/beach.png', PNG);
    content.write('my-trip/images/map.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    content.write('my-trip/notes.txt', 'Notes.');
    content.write('my-trip/photo.webp', Buffer.from('RIFF....WEBP'));
    content.write('my-trip/.hidden.png', PNG);
    content.write('my-trip/draft.md', '# not served');
    content.write('secret.png', PNG);
    content.write('escape/index.md', '---\ntitle: Escape\nheroImage: ../secret.png\npublish_date: 2024-01-03\n---\nText.');
    content.post('single.md', { title: 'Single', publish_date: '2024-01-02' }, '![x](local.png)');
    app = testApp(content);
  });
  afterAll(() => content.cleanup());

  describe('GET /posts/<slug>', () => {
    let $: cheerio.CheerioAPI;
    const link = (text: string): string | undefined =>
      $('a')
        .filter((_, el) => $(el).text() === text)
        .attr('href');
    beforeAll(async () => {
      const res = await request(app).get('/posts/my-trip');
      expect(res.status).toBe(200);
      $ = cheerio.load(res.text);
    });

    it('should resolve relative images to the bundle', () => {
      expect($('img[alt="Beach"]').attr('src')).toBe('/posts/my-trip/beach.png');
      expect($('img[alt="Map"]').attr('src')).toBe('/posts/my-trip/images/map.svg');
    });
    it('should resolve relative links, keeping fragments and queries', () => {
      expect(link('the route')).toBe('/posts/my-trip/route.gpx#start');
      expect(link('notes')).toBe('/posts/my-trip/notes.txt?v=2');
      expect(link('a reference')).toBe('/posts/my-trip/beach.png');
      expect(link('inner')).toBe('/posts/my-trip/beach.png');
    });
    it("should resolve ../ targets from the bundle's folder, as GitHub does, and never out of the content folder", () => {
      expect($('img[alt="Up"]').attr('src')).toBe('/secret.png');
      expect(link('out')).toBe('#');
      expect(link('sneaky')).toBe('/secret.png');
      expect($('main').html()).not.toContain('passwd');
    });
    it('should leave absolute URLs, site paths, fragments and other schemes alone', () => {
      expect(link('site')).toBe('/about');
      expect(link('web')).toBe('https://example.com/x.png');
      expect(link('anchor')).toBe('#top');
      expect(link('mail')).toBe('mailto:a@example.com');
    });
    it('should resolve a relative heroImage', () => {
      expect($('img[src="/posts/my-trip/cover.jpg"]').length).toBeGreaterThan(0);
    });
    it('should drop a heroImage that climbs out of the bundle', async () => {
      const res = await request(app).get('/posts/escape');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('secret.png');
      expect(cheerio.load(res.text)('main img').length).toBe(0);
    });
    it('should show the hero image on the index card too', async () => {
      const index = await request(app).get('/');
      expect(cheerio.load(index.text)('img[src="/posts/my-trip/cover.jpg"]').length).toBe(1);
    });
  });

  describe('GET /posts/<slug>/<file>', () => {
    it.each([
      ['beach.png', 'image/png'],
      ['cover.jpg', 'image/jpeg'],
      ['images/map.svg', 'image/svg+xml'],
      ['photo.webp', 'image/webp'],
      ['notes.txt', 'text/plain; charset=utf-8'],
    ])('should serve %s as %s', async (file, type) => {
      const res = await request(app).get(`/posts/my-trip/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers.etag).toBeDefined();
      expect(res.headers['last-modified']).toBeDefined();
    });

    it('should serve the exact bytes', async () => {
      const res = await request(app)
        .get('/posts/my-trip/beach.png')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    });

    it.each([
      '/posts/my-trip/.hidden.png',
      '/posts/my-trip/draft.md',
      '/posts/my-trip/index.md',
      '/posts/my-trip/nope.png',
      '/posts/single/local.png',
      '/posts/nope/beach.png',
    ])('should answer 404 for %s', async (url) => {
      expect((await request(app).get(url)).status).toBe(404);
    });

    // Encoded traversal is refused before any route runs (src/http/url-guard.ts; test/http/hostile-urls).
    it.each(['/posts/my-trip/..%2fsecret.png', '/posts/my-trip/%2e%2e/secret.png'])('should answer 400 for %s', async (url) => {
      expect((await request(app).get(url)).status).toBe(400);
    });
  });

  it('should serve a changed image fresh, with a new validator', async () => {
    const first = await request(app).get('/posts/my-trip/notes.txt');
    expect(first.text).toBe('Notes.');
    const etag = first.headers.etag!;
    expect((await request(app).get('/posts/my-trip/notes.txt').set('If-None-Match', etag)).status).toBe(304);
    content.write('my-trip/notes.txt', 'Notes, revised.');
    content.touch('my-trip/notes.txt');
    const res = await request(app).get('/posts/my-trip/notes.txt').set('If-None-Match', etag);
    expect(res.status).toBe(200);
    expect(res.text).toBe('Notes, revised.');
    expect(res.headers.etag).not.toBe(etag);
    expect(res.headers['cache-control']).toMatch(/max-age=0/);
  });
});
