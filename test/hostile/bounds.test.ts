/**
 * "Size without bounds": what a post may hold is bounded, a long name cannot
 * break a header, and purges go in bounded batches that fail on their own.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { MAX_ALIASES, MAX_FRONTMATTER_BYTES, MAX_TAGS } from '../../src/content/bounds.js';
import { MAX_SLUG_LENGTH } from '../../src/content/slug.js';
import { ContentStore } from '../../src/content/store.js';
import { batchKeys, PURGE_BATCH_BYTES, PurgeHook } from '../../src/cdn/purge.js';
import { MAX_KEY_BYTES, MAX_KEYS_HEADER_BYTES, postKey, tagKey } from '../../src/cdn/surrogate-keys.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('bounds on a post', () => {
  const content = new TempContent();
  let app: LedeApp;
  const longName = `${'a'.repeat(248)}.md`;
  beforeAll(() => {
    content.post('ok.md', { title: 'Fine', publish_date: '2024-01-01' });
    content.post('many-tags.md', { title: 'Tags', publish_date: '2024-01-02', tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) });
    content.post('huge-tags.md', { title: 'Tags', publish_date: '2024-01-02', tags: Array.from({ length: 150_000 }, (_, i) => `t${i}`) });
    content.post('many-aliases.md', { title: 'Aliases', publish_date: '2024-01-02', aliases: Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `/old/${i}`) });
    content.post('long-tag.md', { title: 'Long tag', publish_date: '2024-01-02', tags: ['x'.repeat(101)] });
    content.post('long-title.md', { title: 'T'.repeat(501), publish_date: '2024-01-02' });
    content.post(longName, { title: 'Long name', publish_date: '2024-01-02' });
    content.post('huge-head.md', { title: 'Head', publish_date: '2024-01-02', note: 'n'.repeat(MAX_FRONTMATTER_BYTES) });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should report each post over a bound as a content error naming the file and the limit', async () => {
    const errors = await app.store.errors();
    const about = (file: string) => errors.find((e) => e.file === file)?.message;
    expect(about('many-tags.md')).toMatch(new RegExp(`${MAX_TAGS + 1} tags, over the limit of ${MAX_TAGS}`));
    expect(about('huge-tags.md')).toMatch(/frontmatter is \d+ KB, over the 64 KB limit/);
    expect(about('many-aliases.md')).toMatch(/aliases, over the limit/);
    expect(about('long-tag.md')).toMatch(/a tag of 101 characters/);
    expect(about('long-title.md')).toMatch(/`title` is 501 characters/);
    expect(about(longName)).toMatch(new RegExp(`slug of 248 characters, over the limit of ${MAX_SLUG_LENGTH}`));
    expect(about('huge-head.md')).toMatch(/frontmatter is \d+ KB, over the 64 KB limit/);
  });

  it('should serve the rest of the site, small, and count the errors in /healthz', async () => {
    const tags = await request(app).get('/tags');
    expect(tags.status).toBe(200);
    expect(tags.text.length).toBeLessThan(50_000);
    expect((await request(app).get('/feed.xml')).text.length).toBeLessThan(50_000);
    for (const url of ['/', '/posts/ok', '/sitemap.xml']) expect((await request(app).get(url)).status).toBe(200);
    expect((await request(app).get('/healthz')).body).toMatchObject({ posts: 1, errors: 7 });
  });
});

describe('surrogate keys', () => {
  it('should keep every key within 256 bytes, the same for the page and the purge', () => {
    const slug = 'a'.repeat(400);
    expect(Buffer.byteLength(postKey(slug))).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(postKey(slug)).toBe(postKey(slug));
    expect(postKey(slug)).not.toBe(postKey(`${slug}b`));
    expect(tagKey('go')).toBe('tag:go');
  });

  it('should answer a page whose keys would be long without an error, its header bounded', async () => {
    const content = new TempContent();
    try {
      content.post('a.md', { title: 'A', publish_date: '2024-01-01', slug: 's'.repeat(MAX_SLUG_LENGTH) });
      content.post('b.md', { title: 'B', publish_date: '2024-01-02' });
      const app = testApp(content, { env: 'production' });
      for (const url of ['/', `/posts/${'s'.repeat(MAX_SLUG_LENGTH)}`, '/posts/b', '/authors/anonymous']) {
        const res = await request(app).get(url);
        expect([url, res.status, res.status === 200 ? '' : res.text.slice(0, 300)]).toEqual([url, 200, '']);
        expect(Buffer.byteLength(String(res.headers['surrogate-key']))).toBeLessThanOrEqual(MAX_KEYS_HEADER_BYTES);
      }
    } finally {
      content.cleanup();
    }
  });

  it('should split purge keys into batches of at most PURGE_BATCH_BYTES', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => tagKey(`tag-number-${i}`));
    const batches = batchKeys(keys);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(batch.join(' '))).toBeLessThanOrEqual(PURGE_BATCH_BYTES);
    expect(batches.flat()).toEqual(keys);
  });
});

describe('a purge batch the receiver refuses', () => {
  let content: TempContent;
  let endpoint: Server;
  let hook: PurgeHook;
  let received: string[][];
  /** Batches refused so far. */
  let refusals: number;
  /** Batches that hold this key are refused (413), as a receiver refuses a header too big for it. */
  let refuseKey: string | undefined;

  beforeEach(async () => {
    content = new TempContent();
    content.post('first.md', { title: 'First', publish_date: '2024-01-01' });
    received = [];
    refusals = 0;
    refuseKey = undefined;
    endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const keys = (JSON.parse(body) as { keys: string[] }).keys;
        const refused = refuseKey !== undefined && keys.includes(refuseKey);
        if (refused) refusals += 1;
        else received.push(keys);
        res.statusCode = refused ? 413 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/`;
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'A', timezone: 'UTC' }, showDrafts: false, maxAgeMs: 50 });
    hook = new PurgeHook({ url, store, intervalMs: 30, retryBaseMs: 100 });
    await hook.start();
  });

  afterEach(async () => {
    hook.stop();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    content.cleanup();
  });

  it('should keep purging later changes while it retries the refused batch on its own', async () => {
    refuseKey = 'tag:poison';
    content.post('bad.md', { title: 'Bad', publish_date: '2024-01-03', tags: ['poison'] });
    await eventually(async () => expect(refusals).toBeGreaterThan(0));
    content.post('good.md', { title: 'Good', publish_date: '2024-01-02' });
    await eventually(async () => expect(received.flat()).toContain('post:good'));
    // The refused keys never travel with later batches.
    expect(received.flat()).not.toContain('tag:poison');
    refuseKey = undefined;
    await eventually(async () => expect(received.flat()).toContain('tag:poison'));
  });
});
