/**
 * Purge batches go out in parallel, a bounded number at a time, each with
 * its own time limit: a receiver that hangs on one batch does not hold the
 * batches behind it (docs/deploying.md, "Behind a CDN").
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContentStore } from '../../src/content/store.js';
import { PURGE_CONCURRENCY, PurgeHook, type PurgeOptions } from '../../src/cdn/purge.js';
import { eventually, TempContent } from '../helpers/site.js';

interface Held {
  keys: string[];
  res: ServerResponse;
}

// The first read of a post loads and compiles the parsers: before the loop is watched, like Jest's own compiling.
beforeAll(async () => {
  const warm = new TempContent();
  warm.post('warm.md', { title: 'Warm', publish_date: '2024-01-01' });
  const warmStore = new ContentStore({ contentDir: warm.dir, defaults: { author: 'A', timezone: 'UTC' }, showDrafts: false });
  await warmStore.view();
  warmStore.close();
  // Node loads fetch's implementation (undici) on its first call: 75 ms of the main thread on a quiet
  // machine, 387 ms seen in CI at load 8. A one-time cost of the process, paid here, before the watch.
  await (await fetch('data:,warm')).text();
  warm.cleanup();
});

describe('PurgeHook batches in parallel', () => {
  let content: TempContent;
  let store: ContentStore;
  let hook: PurgeHook | undefined;
  let endpoint: Server;
  let url: string;
  /** Requests the endpoint holds without answering, in order of arrival. */
  let held: Held[];
  /** Keys answered 200, and what happened, in order. */
  let received: string[];
  let events: string[];
  let inFlight: number;
  let maxInFlight: number;
  /** Which requests the endpoint holds; the rest are answered at once. */
  let hang: (keys: string[]) => boolean;

  beforeEach(async () => {
    content = new TempContent();
    content.post('first.md', { title: 'First', publish_date: '2024-01-01', tags: ['Go', 'Rust'], author: 'Ann Author' });
    content.post('second.md', { title: 'Second', publish_date: '2024-01-02' });
    held = [];
    received = [];
    events = [];
    inFlight = 0;
    maxInFlight = 0;
    hang = () => true;
    endpoint = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const keys = (JSON.parse(body) as { keys: string[] }).keys;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        res.on('close', () => {
          inFlight -= 1;
          if (!res.writableFinished) events.push(`cut ${keys.join(' ')}`);
        });
        if (hang(keys)) held.push({ keys, res });
        else answer({ keys, res });
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/purge`;
    store = new ContentStore({ contentDir: content.dir, defaults: { author: 'Site Author', timezone: 'UTC' }, showDrafts: false, maxAgeMs: 100 });
  });

  afterEach(async () => {
    hook?.stop();
    endpoint.closeAllConnections();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    store.close();
    content.cleanup();
  });

  function answer(request: Held): void {
    received.push(...request.keys);
    events.push(`purged ${request.keys.join(' ')}`);
    request.res.end();
  }

  /** A hook that looks only when told to, one key a batch (tiny batches), on the test's clock. */
  async function startHook(options: Partial<PurgeOptions> = {}): Promise<PurgeHook> {
    hook = new PurgeHook({ url, store, intervalMs: 3_600_000, batchBytes: 1, ...options });
    await hook.start();
    return hook;
  }

  /** An edit that purges 9 keys: the post, its neighbour, two tags, its author, index, feed, tags. */
  async function editFirstPost(): Promise<void> {
    content.post('first.md', { title: 'First, edited', publish_date: '2024-01-01', tags: ['Go', 'Rust'], author: 'Ann Author' });
    await eventually(async () => expect((await store.view()).bySlug.get('first')?.title).toBe('First, edited'));
  }

  it(`should have ${PURGE_CONCURRENCY} batches in flight at once, and never more`, async () => {
    await startHook();
    await editFirstPost();
    const look = hook!.check();
    await eventually(async () => expect(held).toHaveLength(PURGE_CONCURRENCY));
    expect(maxInFlight).toBe(PURGE_CONCURRENCY);
    // Each answer lets the next batch in.
    answer(held.shift()!);
    await eventually(async () => expect(held).toHaveLength(PURGE_CONCURRENCY));
    hang = () => false;
    for (const request of held.splice(0)) answer(request);
    await look;
    expect(received.sort()).toEqual(['author:ann-author', 'feed', 'index', 'post:first', 'post:second', 'tag:go', 'tag:rust', 'tags']);
    expect(maxInFlight).toBe(PURGE_CONCURRENCY);
  });

  it('should purge the batches behind one the receiver hangs on, cut that one at its time limit, and retry it alone', async () => {
    let clock = 1_000_000;
    const warned: string[][] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (fields: object) => void warned.push((fields as { keys: string[] }).keys) };
    await startHook({ timeoutMs: 1000, retryBaseMs: 60_000, now: () => clock, logger });
    // The first batch the hook sends hangs.
    hang = (keys) => keys.includes('post:first');
    await editFirstPost();
    await hook!.check();
    const others = ['author:ann-author', 'feed', 'index', 'post:second', 'tag:go', 'tag:rust', 'tags'];
    expect(received.sort()).toEqual(others);
    // Every other batch went through before the hanging one was cut (the receiver hears of the cut a moment later).
    await eventually(async () => expect(events).toContain('cut post:first'));
    const cut = events.indexOf('cut post:first');
    expect(events.slice(0, cut).sort()).toEqual(others.map((key) => `purged ${key}`));
    expect(warned).toEqual([['post:first']]);
    // Not before its retry is due, on the hook's clock; then alone.
    hang = () => false;
    await hook!.check();
    expect(received).toHaveLength(others.length);
    clock += 60_000;
    await hook!.check();
    expect(received.slice(others.length)).toEqual(['post:first']);
  });
});
