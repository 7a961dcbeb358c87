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
