import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { signatureOf } from '../../src/content/find-posts.js';
import { makeRepresentation } from '../../src/cache/representation.js';
import { ResponseCache, type CachedPage } from '../../src/cache/response-cache.js';
import { prepare } from '../../src/cache/send.js';

/** The next turn of the event loop: the cache's `stat`s are shared within one. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// While the site view changes, one request makes a page again and the others get its last version,
// unless a file it was made from changed (docs/security.md, "Churn under load").
describe('ResponseCache: the last version while one request makes the next', () => {
  let dir: string;
  let file: string;
  let viewKey: string;
  let cache: ResponseCache;
  let page: CachedPage;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-stale-'));
    file = path.join(dir, 'a.md');
    writeFileSync(file, 'first');
    viewKey = 'v1';
    cache = new ResponseCache(1 << 20, () => viewKey);
    const rep = makeRepresentation('<p>listing</p>', 'text/html; charset=utf-8');
    page = {
      page: prepare(rep, { cacheControl: 'public, max-age=0' }),
      deps: { viewKey: 'v1', files: [{ path: file, signature: signatureOf(statSync(file)) }] },
    };
    cache.set('/', page);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should answer the last version only while it is being made again', async () => {
    expect(cache.get('/')).toBe(page);
    viewKey = 'v2';
    expect(cache.get('/')).toBeUndefined();
    // No one is making it: the next request makes it, and gets the new version.
    expect(cache.stale('/')).toBeUndefined();
    let done!: () => void;
    const making = new Promise<void>((resolve) => (done = resolve));
    cache.makeOnce('/', making);
    expect(cache.stale('/')).toBe(page);
    expect(cache.makingOf('/')).toBeDefined();
    done();
    await cache.makingOf('/');
    expect(cache.makingOf('/')).toBeUndefined();
    expect(cache.stale('/')).toBeUndefined();
  });

  it('should never answer it when a file it was made from changed', async () => {
    viewKey = 'v2';
    cache.makeOnce('/', new Promise<void>(() => undefined));
    expect(cache.stale('/')).toBe(page);
    writeFileSync(file, 'second, longer');
    await nextTurn();
    expect(cache.stale('/')).toBeUndefined();
  });

  it('should keep a page whose part of the view is unchanged, asking once per new key', () => {
    let asked = 0;
    const shown: CachedPage = { page: page.page, deps: { ...page.deps, stillShown: () => ++asked > 0 } };
    cache.set('/posts/a', shown);
    viewKey = 'v2';
    expect(cache.get('/posts/a')).toBe(shown);
    expect(cache.get('/posts/a')).toBe(shown);
    expect(asked).toBe(1);
    viewKey = 'v3';
    expect(cache.get('/posts/a')).toBe(shown);
    expect(asked).toBe(2);
  });
});

// In production a listing that a writer's saves keep replacing is answered for a moment though the view
// changed since: made at most twice a second, and a new post still listed within a second (docs/urls-and-feeds.md).
describe('ResponseCache: a listing made moments ago, while the view keeps changing', () => {
  let dir: string;
  let file: string;
  let viewKey: string;
  let clock: number;
  const cacheWith = (listingGraceMs: number): ResponseCache => new ResponseCache(1 << 20, () => viewKey, { listingGraceMs, now: () => clock });
  const version = (key: string, files?: string[]): CachedPage => ({
    page: prepare(makeRepresentation(`<p>listing ${key}</p>`, 'text/html; charset=utf-8'), { cacheControl: 'public, max-age=0' }),
    deps: { viewKey: key, files: (files ?? [file]).map((f) => ({ path: f, signature: signatureOf(statSync(f)) })) },
  });
  /** The listing made for v1, then made again for v2 a moment later: a writer is saving. */
  const churned = (cache: ResponseCache): CachedPage => {
    cache.set('/', version('v1'));
    clock += 100;
    viewKey = 'v2';
    const second = version('v2');
    cache.set('/', second);
    return second;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-grace-'));
    file = path.join(dir, 'a.md');
    writeFileSync(file, 'first');
    viewKey = 'v1';
    clock = 1000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should answer a churning listing for the grace after it was made, then make it again', () => {
    const cache = cacheWith(500);
    const second = churned(cache);
    viewKey = 'v3';
    clock += 499;
    expect(cache.get('/')).toBe(second);
    viewKey = 'v4';
    expect(cache.get('/')).toBe(second);
    clock += 1;
    expect(cache.get('/')).toBeUndefined();
  });

  it('should make a listing again at the first change after a quiet moment', () => {
    const cache = cacheWith(500);
    const first = version('v1');
    cache.set('/', first);
    viewKey = 'v2';
    expect(cache.get('/')).toBeUndefined();
    // Replaced after more than a second: no writer is saving, so its next change shows at once too.
    clock += 1500;
    cache.set('/', version('v2'));
    viewKey = 'v3';
    expect(cache.get('/')).toBeUndefined();
  });

  it('should not count the time from when its other encodings were added', () => {
    const cache = cacheWith(500);
    const second = churned(cache);
    clock += 400;
    cache.set('/', { page: second.page, deps: second.deps });
    viewKey = 'v3';
    clock += 100;
    expect(cache.get('/')).toBeUndefined();
  });

  it('should never answer it once a file it was made from changed', async () => {
    const cache = cacheWith(500);
    churned(cache);
    viewKey = 'v3';
    writeFileSync(file, 'second, longer');
    await nextTurn();
    expect(cache.get('/')).toBeUndefined();
  });

  it('should make it again at once with no grace, as in development', () => {
    const cache = cacheWith(0);
    churned(cache);
    viewKey = 'v3';
    expect(cache.get('/')).toBeUndefined();
  });

  it('should never answer an article by the grace: its part of the view decides', () => {
    const cache = cacheWith(500);
    cache.set('/posts/a', version('v1'));
    clock += 100;
    viewKey = 'v2';
    const article: CachedPage = { ...version('v2'), deps: { ...version('v2').deps, stillShown: () => false } };
    cache.set('/posts/a', article);
    viewKey = 'v3';
    expect(cache.get('/posts/a')).toBeUndefined();
  });

  it('should not be fooled by a clock that went back', () => {
    const cache = cacheWith(500);
    churned(cache);
    viewKey = 'v3';
    clock -= 10_000;
    expect(cache.get('/')).toBeUndefined();
  });
});
