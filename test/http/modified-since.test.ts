/**
 * An If-Modified-Since later than now is invalid (RFC 9110 §13.1.3) and
 * ignored: every kind of answer sends the whole body, while a real date
 * after the last change still gets a 304 (docs/deploying.md, "Behind a CDN").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { validModifiedSince } from '../../src/cache/send.js';
import { TempContent, testApp } from '../helpers/site.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('If-Modified-Since later than now', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    content.write('hello/notes.txt', 'bundle notes\n');
    content.write('static/small.txt', 'a small static file\n');
    content.write('static/large.txt', 'x'.repeat(600 * 1024));
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  // Pages and feeds (through the page cache, then from the front cache), a post's bundle file,
  // small and large files of content/static/, the built-in theme's assets.
  const urls = ['/posts/hello', '/posts/hello', '/feed.xml', '/sitemap.xml', '/posts/hello/notes.txt', '/small.txt', '/large.txt', '/_lede/style.css'];

  it('should answer 200 with the body for a date a day ahead, for every kind of answer', async () => {
    const ahead = new Date(Date.now() + DAY_MS).toUTCString();
    const answers: { url: string; status: number; length: number }[] = [];
    for (const url of urls) {
      const res = await request(app).get(url).set('If-Modified-Since', ahead);
      answers.push({ url, status: res.status, length: Number(res.headers['content-length'] ?? 0) });
    }
    expect(answers.map(({ url, status }) => ({ url, status }))).toEqual(urls.map((url) => ({ url, status: 200 })));
    for (const answer of answers) expect(answer.length).toBeGreaterThan(0);
  });

  it('should still answer 304 for the Last-Modified it sent (the control)', async () => {
    for (const url of urls) {
      const first = await request(app).get(url);
      const lastModified = first.headers['last-modified'];
      expect({ url, lastModified: typeof lastModified }).toEqual({ url, lastModified: 'string' });
      expect({ url, status: (await request(app).get(url).set('If-Modified-Since', lastModified!)).status }).toEqual({ url, status: 304 });
    }
  });

  it('should take a date as it is read: invalid ones and those ahead of the clock are ignored', () => {
    const now = Date.parse('2024-06-01T12:00:00Z');
    expect(validModifiedSince('Sat, 01 Jun 2024 12:00:00 GMT', now)).toBe(now);
    expect(validModifiedSince('Sat, 01 Jun 2024 12:00:01 GMT', now)).toBeUndefined();
    expect(validModifiedSince('yesterday', now)).toBeUndefined();
    expect(validModifiedSince(undefined, now)).toBeUndefined();
  });
});
