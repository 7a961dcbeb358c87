/** The purge hook against a local HTTP endpoint standing in for a CDN's purge API. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PageStore } from '../../src/content/page-store.js';
import { ContentStore } from '../../src/content/store.js';
import { PurgeHook } from '../../src/cdn/purge.js';
import { eventually, TempContent } from '../helpers/site.js';

interface Received {
  keys: string[];
  surrogateKey: string | undefined;
  contentType: string | undefined;
}

describe('PurgeHook (PURGE_URL)', () => {
  let content: TempContent;
  let store: ContentStore;
  let hook: PurgeHook;
  let endpoint: Server;
  let url: string;
  let received: Received[];
  /** Status the endpoint answers with next. */
  let answer: number;
  /** Purges the endpoint answered with an error. */
  let failed: number;

  beforeEach(async () => {
    content = new TempContent();
    content.post('first.md', { title: 'First', publish_date: '2024-01-01', tags: ['Go'], author: 'Ann Author' });
    content.post('second.md', { title: 'Second', publish_date: '2024-01-02' });
    content.post('third.md', { title: 'Third', publish_date: '2024-01-03' });
    content.post('pages/about.md', { title: 'About' });
    received = [];
    answer = 200;
    failed = 0;
    endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && answer === 200) {
          received.push({
            keys: (JSON.parse(body) as { keys: string[] }).keys,
            surrogateKey: req.headers['surrogate-key'] as string | undefined,
            contentType: req.headers['content-type'],
          });
        }
        if (req.method === 'POST' && answer !== 200) failed += 1;
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/purge`;
    // A short rescan interval keeps the test quick; the server uses the store's default (1 s).
    store = new ContentStore({ contentDir: content.dir, defaults: { author: 'Site Author', timezone: 'UTC' }, showDrafts: false, maxAgeMs: 100 });
    const pages = new PageStore({ contentDir: content.dir, defaults: { author: 'Site Author', timezone: 'UTC' }, showDrafts: false, maxAgeMs: 100 });
    hook = new PurgeHook({ url, store, pages, intervalMs: 50 });
    await hook.start();
  });

  afterEach(async () => {
    hook.stop();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    content.cleanup();
  });

  const allKeys = (): string[] => received.flatMap((r) => r.keys);

  it('should send nothing for the site as it was at start, nor while nothing changes', async () => {
    for (let i = 0; i < 3; i++) await hook.check();
    expect(received).toEqual([]);
    // A change after the quiet: its purge is the first the endpoint gets, and holds its keys alone.
    content.post('third.md', { title: 'Third, edited', publish_date: '2024-01-03' });
    await eventually(async () => expect(received.length).toBeGreaterThan(0));
    expect(received[0]!.keys).toContain('post:third');
    expect(received[0]!.keys).not.toContain('post:first');
  });

  it('should purge an edited post, its neighbours, tags, author, the index and the feeds', async () => {
    content.post('first.md', { title: 'First, edited', publish_date: '2024-01-01', tags: ['Go'], author: 'Ann Author' });
    await eventually(async () => expect(received.length).toBeGreaterThan(0));
    expect(received[0]!.keys.sort()).toEqual(['author:ann-author', 'feed', 'index', 'post:first', 'post:second', 'tag:go', 'tags']);
    expect(received[0]!.contentType).toBe('application/json');
    expect(received[0]!.surrogateKey!.split(' ').sort()).toEqual(received[0]!.keys.sort());
  });

  it('should purge an edited, a new and a deleted standalone page, and the sitemap, and no post', async () => {
    content.post('pages/about.md', { title: 'About us' });
    await eventually(async () => expect(allKeys()).toContain('page:about'));
    expect(received[0]!.keys.sort()).toEqual(['feed', 'page:about']);
    content.post('pages/contact.md', { title: 'Contact' });
    await eventually(async () => expect(allKeys()).toContain('page:contact'));
    content.remove('pages/about.md');
    await eventually(async () => expect(received.filter((r) => r.keys.includes('page:about')).length).toBe(2));
    expect(allKeys().filter((k) => k.startsWith('post:'))).toEqual([]);
  });

  it('should purge a new post and the post it now sits beside', async () => {
    content.post('fourth.md', { title: 'Fourth', publish_date: '2024-01-04' });
    await eventually(async () => expect(allKeys()).toContain('post:fourth'));
    expect(allKeys()).toEqual(expect.arrayContaining(['post:fourth', 'post:third', 'index', 'feed']));
    expect(allKeys()).not.toContain('post:first');
  });

  it('should purge a deleted post and both its former neighbours', async () => {
    content.remove('second.md');
    await eventually(async () => expect(allKeys()).toContain('post:second'));
    expect(allKeys()).toEqual(expect.arrayContaining(['post:second', 'post:first', 'post:third', 'index', 'feed']));
  });

  it('should purge a scheduled post when it goes live, with no file changing', async () => {
    hook.stop();
    let clock = Date.parse('2030-01-01T00:00:00Z');
    content.post('scheduled.md', { title: 'Scheduled', publish_date: '2030-01-02' });
    const timed = new ContentStore({ contentDir: content.dir, defaults: { author: 'Site Author', timezone: 'UTC' }, showDrafts: false, now: () => clock });
    const scheduledHook = new PurgeHook({ url, store: timed, intervalMs: 60_000 });
    await scheduledHook.start();
    await scheduledHook.check();
    expect(received).toEqual([]);
    clock = Date.parse('2030-01-02T00:00:01Z');
    await scheduledHook.check();
    scheduledHook.stop();
    expect(allKeys()).toEqual(expect.arrayContaining(['post:scheduled', 'post:third', 'index', 'feed']));
  });

  it('should send the keys again when the endpoint failed', async () => {
    answer = 503;
    content.remove('third.md');
    await eventually(async () => expect(failed).toBeGreaterThan(0));
    expect(received).toEqual([]);
    answer = 200;
    await eventually(async () => expect(allKeys()).toContain('post:third'));
    expect(allKeys()).toEqual(expect.arrayContaining(['post:third', 'post:second', 'index', 'feed']));
  });
});
