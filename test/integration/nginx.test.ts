/**
 * deploy/nginx.conf in front of two Lede instances on one content folder,
 * with a real nginx: cache hits, revalidation with Lede's ETags, edits and
 * deletions reaching readers once the cached copy expires, and encodings
 * kept apart. Measurements (hit ratio, staleness) are printed at the end;
 * how long nginx takes is a measurement, not an assertion (a busy machine
 * moves it), and every wait for nginx's clock is a poll with a deadline.
 *
 *
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../../src/app.js';
import { get, localise, Nginx, readDeployConfig, sandbox, type Reply } from '../helpers/nginx.js';
import { listen, type Upstream } from '../helpers/listen.js';
import { eventually, TempContent, testConfig } from '../helpers/site.js';

/** Short lifetimes keep the test quick; the production default is s-maxage=10, stale-while-revalidate=30. */
const S_MAXAGE = 1;
const SWR = 2;
const CACHE_CONTROL = `public, max-age=0, s-maxage=${S_MAXAGE}, stale-while-revalidate=${SWR}`;
/** nginx keeps lifetimes in whole seconds, so an entry may live up to a second longer. */
const NGINX_CLOCK_MS = 1000;
/** How often a test asks nginx again while it waits for a cached copy to expire. */
const POLL_MS = 100;

const content = new TempContent();
const nginx = new Nginx();
const upstreams: Upstream[] = [];
const measured: Record<string, number | string> = {};

function post(name: string, title: string, date: string, body: string): void {
  content.post(
    `${name}.md`,
    { title, publish_date: date, author: 'Test Author' },
    `${body}\n\n${'A paragraph that makes the page long enough to compress. '.repeat(40)}\n`,
  );
}

beforeAll(async () => {
  post('alpha', 'Alpha', '2024-01-01', 'Alpha body.');
  post('bravo', 'Bravo', '2024-01-02', 'Bravo body.');
  post('edited', 'Edited', '2024-01-03', 'The first version.');
  post('doomed', 'Doomed', '2024-01-04', 'Soon deleted.');
  post('cookies', 'Cookies', '2024-01-05', 'Key test.');
  post('steady', 'Steady', '2024-01-07', 'Never changes.');
  content.copySample();
  content.write('gallery/index.md', '---\ntitle: Gallery\npublish_date: 2024-01-06\n---\n\n![a dot](dot.png)\n');
  content.write(
    'gallery/dot.png',
    Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2b8a30000000049454e44ae426082',
      'hex',
    ),
  );
  for (let i = 0; i < 2; i++) {
    upstreams.push(await listen(createApp(testConfig(content.dir, { env: 'production', cacheControl: CACHE_CONTROL }))));
  }
  await nginx.start((paths) =>
    sandbox(
      localise(readDeployConfig('nginx.conf'), [
        [/proxy_cache_path \/var\/lib\/nginx\/lede-cache /, `proxy_cache_path ${paths.dir}/cache `],
        [/server 127\.0\.0\.1:3000 /, `server 127.0.0.1:${upstreams[0]!.port} `],
        [/server 127\.0\.0\.1:3001 /, `server 127.0.0.1:${upstreams[1]!.port} `],
      ]),
      paths,
    ),
  );
});

afterAll(async () => {
  if (Object.keys(measured).length) console.log(`nginx measurements: ${JSON.stringify(measured)}`);
  await nginx.stop();
  await Promise.all(upstreams.map((u) => u.close()));
  content.cleanup();
});

const viaNginx = (urlPath: string, headers: Record<string, string> = {}): Promise<Reply> => get(nginx.port, urlPath, headers);
const rendersAt = (urlPath: string): number => upstreams.reduce((n, u) => n + u.seen.filter((s) => s.url === urlPath && s.status === 200).length, 0);
const pause = (): Promise<void> => new Promise((r) => setTimeout(r, POLL_MS));

/** Asks nginx for `urlPath` until its answer is not a cache HIT (its copy expired), and returns that answer. */
async function firstAnswerAfterExpiry(urlPath: string, headers: Record<string, string>): Promise<Reply> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = await viaNginx(urlPath, headers);
    if (reply.headers['x-cache-status'] !== 'HIT') return reply;
    if (Date.now() > deadline) throw new Error(`nginx still answered ${urlPath} from a fresh copy after 20 s`);
    await pause();
  }
}

/** Headers that may differ between encodings of one page (or between two answers in time). */
const PER_ANSWER = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'etag',
  'x-cache-status',
  'accept-ranges',
  'x-request-id',
]);

function headersBesidesEncoding(reply: Reply): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !PER_ANSWER.has(name)));
}

describe('nginx in front of Lede (deploy/nginx.conf)', () => {
  it('should answer the second request for a page from its cache', async () => {
    const first = await viaNginx('/posts/alpha', { 'Accept-Encoding': 'br' });
    const second = await viaNginx('/posts/alpha', { 'Accept-Encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(second.status).toBe(200);
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.body.toString()).toContain('Alpha body.');
    expect(rendersAt('/posts/alpha')).toBe(1);
  });

  it("should pass Lede's caching headers and surrogate keys through to readers", async () => {
    const reply = await viaNginx('/posts/alpha', { 'Accept-Encoding': 'gzip' });
    expect(reply.headers['cache-control']).toBe(CACHE_CONTROL);
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers.etag).toMatch(/^"[\w-]{27}-gz"$/);
    expect(reply.headers['last-modified']).toBeDefined();
    expect(reply.headers['surrogate-key']).toContain('post:alpha');
  });

  it('should keep cookies, user agents and languages out of the cache key and away from Lede', async () => {
    const first = await viaNginx('/posts/cookies', { 'Accept-Encoding': 'gzip', Cookie: 'session=one', 'User-Agent': 'Reader/1' });
    const second = await viaNginx('/posts/cookies', { 'Accept-Encoding': 'gzip', Cookie: 'session=two', 'User-Agent': 'Other/2', 'Accept-Language': 'fr' });
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(second.headers['x-cache-status']).toBe('HIT');
    const seen = upstreams.flatMap((u) => u.seen.filter((s) => s.url === '/posts/cookies'));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.cookie).toBeUndefined();
    expect(seen[0]!.acceptEncoding).toBe('gzip');
  });

  it('should keep query strings and Host headers out of the cache key, as Lede does', async () => {
    const first = await viaNginx('/posts/cookies?utm_source=feed', { 'Accept-Encoding': 'gzip' });
    const second = await viaNginx('/posts/cookies?nocache=12345', { 'Accept-Encoding': 'gzip', Host: 'made-up.example' });
    expect(first.headers['x-cache-status']).toBe('HIT');
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body.equals(first.body)).toBe(true);
    expect(upstreams.flatMap((u) => u.seen.filter((s) => s.url.startsWith('/posts/cookies')))).toHaveLength(1);
  });

  it('should never keep a search, whose query is not in the key: two queries, two answers', async () => {
    const alpha = await viaNginx('/search?q=alpha');
    const steady = await viaNginx('/search?q=steady');
    const again = await viaNginx('/search.json?q=alpha');
    expect(alpha.status).toBe(200);
    expect(alpha.headers['cache-control']).toBe('private, max-age=0');
    expect(alpha.body.toString()).toContain('href="/posts/alpha"');
    expect(steady.body.toString()).toContain('href="/posts/steady"');
    expect(steady.body.toString()).not.toContain('href="/posts/alpha"');
    expect(JSON.parse(again.body.toString()).results[0].url).toBe('/posts/alpha');
    expect(upstreams.flatMap((u) => u.seen.filter((s) => s.url.startsWith('/search')))).toHaveLength(3);
  });

  it('should never keep a redirect, which carries the query that is not in the key', async () => {
    const first = await viaNginx('/posts/cookies/?from=one');
    const second = await viaNginx('/posts/cookies/?from=two');
    expect(first.status).toBe(301);
    expect(first.headers.location).toBe('/posts/cookies?from=one');
    expect(second.headers.location).toBe('/posts/cookies?from=two');
  });

  it('should keep encodings apart, and no answer differs from another by anything but its encoding', async () => {
    const spellings: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['identity', undefined],
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0', undefined],
      ['GZIP;Q=0.000, BR;q=0.5', 'br'],
      ['brotli, deflate', undefined],
      ['deflate', undefined],
    ];
    for (const urlPath of ['/', '/posts/bravo', '/posts/deepseek-rising-challenger', '/posts/gallery/dot.png', '/_lede/style.css', '/no/such/page']) {
      const headersFor = (ae: string | undefined): Record<string, string> => (ae === undefined ? {} : { 'Accept-Encoding': ae });
      // Warm every variant first, so each compared answer comes from the same place.
      for (const [ae] of spellings) await viaNginx(urlPath, headersFor(ae));
      const replies = await Promise.all(spellings.map(([ae]) => viaNginx(urlPath, headersFor(ae))));
      const direct = await get(upstreams[1]!.port, urlPath);
      const reference = replies[0]!;
      expect(reference.status).toBe(direct.status);
      expect(reference.body.equals(direct.body)).toBe(true);
      replies.forEach((reply, i) => {
        const [ae, encoding] = spellings[i]!;
        const label = `${urlPath} with Accept-Encoding: ${ae ?? '(none)'}`;
        expect({ label, status: reply.status }).toEqual({ label, status: reference.status });
        expect({ label, same: reply.body.equals(reference.body) }).toEqual({ label, same: true });
        expect({ label, headers: headersBesidesEncoding(reply) }).toEqual({ label, headers: headersBesidesEncoding(reference) });
        if (reply.status === 200 && reference.headers.etag?.startsWith('"')) {
          // A compressible page comes in the negotiated encoding; an image or a tiny page never is compressed.
          const compressible = reference.headers.vary === 'Accept-Encoding';
          expect({ label, encoding: reply.headers['content-encoding'] }).toEqual({ label, encoding: compressible ? encoding : undefined });
          // nginx may have stored a first reader's quick brotli (`-br1`) if it
          // asked before Lede made quality 6: a tag of its own, as valid.
          const suffix = !compressible || !encoding ? '' : encoding === 'br' ? '-br1?' : '-gz';
          if (urlPath !== '/posts/gallery/dot.png' && urlPath !== '/_lede/style.css') {
            // The identity tag is a base64url hash: nothing in it needs escaping.
            const tag = new RegExp(`^${reference.headers.etag!.replace(/"$/, `${suffix}"`)}$`);
            expect({ label, etag: reply.headers.etag }).toEqual({ label, etag: expect.stringMatching(tag) });
          }
        }
      });
    }
  });

  it("should revalidate an expired page with Lede's ETag and get a 304 when it did not change", async () => {
    const first = await viaNginx('/posts/steady', { 'Accept-Encoding': 'br' });
    expect(first.headers['x-cache-status']).toBe('MISS');
    // Fresh copies answer HIT without a word to Lede: the first other answer is the expired copy's.
    const stale = await firstAnswerAfterExpiry('/posts/steady', { 'Accept-Encoding': 'br' });
    // stale-while-revalidate: the reader gets the stored copy at once and nginx
    // revalidates in the background (or, on a slow machine past the window, first).
    expect(['STALE', 'REVALIDATED']).toContain(stale.headers['x-cache-status']);
    expect(stale.body.equals(first.body)).toBe(true);
    await eventually(async () => {
      const revalidations = upstreams.flatMap((u) => u.seen.filter((s) => s.url === '/posts/steady' && s.ifNoneMatch === first.headers.etag));
      expect(revalidations.map((s) => s.status)).toContain(304);
    });
    const fresh = await viaNginx('/posts/steady', { 'Accept-Encoding': 'br' });
    expect(fresh.headers['x-cache-status']).toBe('HIT');
    expect(fresh.headers.etag).toBe(first.headers.etag);
  });

  it('should bring an edited post to readers once the cached copy expires', async () => {
    const before = await viaNginx('/posts/edited', { 'Accept-Encoding': 'gzip' });
    expect(before.body.toString()).toContain('The first version.');
    post('edited', 'Edited', '2024-01-03', 'The second version.');
    const editedAt = Date.now();
    let stale = 0;
    await eventually(async () => {
      const reply = await viaNginx('/posts/edited', { 'Accept-Encoding': 'gzip' });
      if (!reply.body.toString().includes('The second version.')) stale++;
      expect(reply.body.toString()).toContain('The second version.');
    });
    // Expired after s-maxage; the first reader then gets the old page once while nginx refetches.
    measured['edit staleness ms'] = Date.now() - editedAt;
    measured['stale answers after the edit'] = stale;
    const after = await viaNginx('/posts/edited', { 'Accept-Encoding': 'gzip' });
    expect(after.body.toString()).toContain('The second version.');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('should stop serving a deleted post once the cached copy expires', async () => {
    const before = await viaNginx('/posts/doomed');
    expect(before.status).toBe(200);
    content.remove('doomed.md');
    const deletedAt = Date.now();
    await eventually(async () => {
      expect((await viaNginx('/posts/doomed')).status).toBe(404);
    });
    // Lede's 404 is never stored, so nginx serves the old page for the whole
    // stale-while-revalidate window: s-maxage + stale-while-revalidate at most.
    measured['delete staleness ms'] = Date.now() - deletedAt;
    // Lede's 404 is `no-store`: nginx keeps asking Lede, and Lede keeps saying 404.
    expect((await viaNginx('/posts/doomed')).status).toBe(404);
  });

  it('should answer most reader requests from its cache, spread over both instances', async () => {
    const paths = ['/', '/posts/alpha', '/posts/bravo', '/posts/deepseek-rising-challenger', '/posts/gallery'];
    const encodings = ['gzip, deflate, br', 'gzip', ''];
    const counts: Record<string, number> = {};
    const before = upstreams.map((u) => u.seen.length);
    const started = Date.now();
    let total = 0;
    // Readers for about 2.5 s, so every page expires and is refreshed more than once.
    while (Date.now() - started < 2500) {
      const batch = Array.from({ length: 10 }, (_, i) => {
        const urlPath = paths[(total + i) % paths.length]!;
        const ae = encodings[(total + i) % encodings.length]!;
        return viaNginx(urlPath, ae ? { 'Accept-Encoding': ae, 'User-Agent': `reader-${i}` } : {});
      });
      for (const reply of await Promise.all(batch)) {
        expect(reply.status).toBe(200);
        const status = String(reply.headers['x-cache-status']);
        counts[status] = (counts[status] ?? 0) + 1;
      }
      total += batch.length;
    }
    const fromCache = (counts.HIT ?? 0) + (counts.STALE ?? 0) + (counts.UPDATING ?? 0) + (counts.REVALIDATED ?? 0);
    const atLede = upstreams.map((u, i) => u.seen.length - before[i]!);
    measured['reader requests'] = total;
    measured['hit ratio (HIT+STALE+UPDATING+REVALIDATED)'] = Number((fromCache / total).toFixed(3));
    measured['HIT only'] = Number(((counts.HIT ?? 0) / total).toFixed(3));
    measured['requests reaching Lede'] = atLede.reduce((a, b) => a + b, 0);
    const ledeStatuses = upstreams.flatMap((u, i) => u.seen.slice(before[i]).map((r) => r.status));
    measured['of which 304'] = ledeStatuses.filter((status) => status === 304).length;
    measured['cache statuses'] = JSON.stringify(counts);
    expect(fromCache / total).toBeGreaterThan(0.8);
    expect(atLede[0]).toBeGreaterThan(0);
    expect(atLede[1]).toBeGreaterThan(0);
  });

  it('should send health checks to Lede every time, never to the cache', async () => {
    const before = upstreams.reduce((n, u) => n + u.seen.filter((r) => r.url === '/healthz').length, 0);
    for (let i = 0; i < 3; i++) {
      const reply = await viaNginx('/healthz');
      expect(reply.status).toBe(200);
      expect(reply.headers['x-cache-status']).toBeUndefined();
    }
    const after = upstreams.reduce((n, u) => n + u.seen.filter((r) => r.url === '/healthz').length, 0);
    expect(after - before).toBe(3);
  });

  // Last: it stops both Lede instances.
  it('should keep serving cached pages while Lede is down', async () => {
    const cached = await viaNginx('/posts/alpha', { 'Accept-Encoding': 'br' });
    expect(cached.status).toBe(200);
    await Promise.all(upstreams.map((u) => u.close()));
    // Readers ask all through the outage, past even the stale-while-revalidate window (nginx's own
    // clock, which no test can move): every answer is the cached page, fresh (HIT) and then STALE.
    const downAt = Date.now();
    let reply: Reply;
    do {
      reply = await viaNginx('/posts/alpha', { 'Accept-Encoding': 'br' });
      expect({ status: reply.status, cache: reply.headers['x-cache-status'] }).toEqual({ status: 200, cache: expect.stringMatching(/^(HIT|STALE)$/) });
      expect(reply.body.equals(cached.body)).toBe(true);
      await pause();
    } while (Date.now() - downAt < (S_MAXAGE + SWR) * 1000 + NGINX_CLOCK_MS);
    expect(reply.headers['x-cache-status']).toBe('STALE');
    expect((await viaNginx('/posts/never-cached')).status).toBe(502);
  });
});
