import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { completeRepresentation, makeRepresentation } from '../../src/cache/representation.js';
import { negotiateEncoding, prepare } from '../../src/cache/send.js';
import { articleRenders, TempContent, testApp } from '../helpers/site.js';

const ARTICLE = '/posts/deepseek-rising-challenger';

/** The bytes as sent (supertest would decompress them), over a real socket. */
async function raw(app: LedeApp, path: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('HTTP caching', () => {
  const content = new TempContent();
  let app: LedeApp;
  let identity: Buffer;
  beforeAll(async () => {
    content.copySample();
    app = testApp(content);
    identity = (await raw(app, ARTICLE, { 'Accept-Encoding': 'identity' })).body;
  });
  afterAll(() => content.cleanup());

  describe('ETag and Last-Modified', () => {
    it('should send a strong ETag from a hash of the bytes, the same on every request', async () => {
      const a = await request(app).get(ARTICLE).set('Accept-Encoding', 'identity');
      const b = await request(app).get(ARTICLE).set('Accept-Encoding', 'identity');
      expect(a.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(b.headers.etag).toBe(a.headers.etag);
      expect(a.headers.etag).toBe(`"${makeRepresentation(identity, 'text/html; charset=utf-8').hash}"`);
    });

    it('should give two apps on the same folder the same ETag', async () => {
      const other = testApp(content);
      const a = await request(app).get(ARTICLE);
      const b = await request(other).get(ARTICLE);
      expect(b.headers.etag).toBe(a.headers.etag);
    });

    it('should send Last-Modified from the file', async () => {
      const res = await request(app).get(ARTICLE);
      expect(new Date(res.headers['last-modified']!).getTime()).toBeLessThanOrEqual(Date.now());
    });

    it('should give another encoding its own ETag', async () => {
      const gz = await request(app).get(ARTICLE).set('Accept-Encoding', 'gzip');
      const br = await request(app).get(ARTICLE).set('Accept-Encoding', 'br');
      const plain = await request(app).get(ARTICLE).set('Accept-Encoding', 'identity');
      expect(gz.headers.etag).toBe(plain.headers.etag!.replace(/"$/, '-gz"'));
      expect(br.headers.etag).toBe(plain.headers.etag!.replace(/"$/, '-br"'));
    });
  });

  describe('conditional GET', () => {
    it('should answer 304 with no body to a matching If-None-Match', async () => {
      const first = await request(app).get(ARTICLE);
      const res = await request(app).get(ARTICLE).set('If-None-Match', first.headers.etag!);
      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(first.headers.etag);
      expect(res.headers['cache-control']).toBe(first.headers['cache-control']);
      expect(res.headers.vary).toBe('Accept-Encoding');
    });

    it('should match any encoding of the same bytes, and weak tags, and lists', async () => {
      const plain = (await request(app).get(ARTICLE).set('Accept-Encoding', 'identity')).headers.etag!;
      const br = plain.replace(/"$/, '-br"');
      for (const tag of [br, `W/${plain}`, `"other", ${plain}`, '*']) {
        expect((await request(app).get(ARTICLE).set('Accept-Encoding', 'gzip').set('If-None-Match', tag)).status).toBe(304);
      }
    });

    it('should answer 200 to a stale ETag', async () => {
      expect((await request(app).get(ARTICLE).set('If-None-Match', '"stale"')).status).toBe(200);
    });

    it('should honour If-Modified-Since only without If-None-Match', async () => {
      const lastModified = (await request(app).get(ARTICLE)).headers['last-modified']!;
      expect((await request(app).get(ARTICLE).set('If-Modified-Since', lastModified)).status).toBe(304);
      expect((await request(app).get(ARTICLE).set('If-Modified-Since', lastModified).set('If-None-Match', '"x"')).status).toBe(200);
      expect((await request(app).get(ARTICLE).set('If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT')).status).toBe(200);
    });

    it('should answer 200 with the new ETag once the post changes', async () => {
      const tmp = new TempContent();
      tmp.post('p.md', { title: 'One' });
      const local = testApp(tmp);
      const old = (await request(local).get('/posts/p')).headers.etag!;
      tmp.post('p.md', { title: 'Two' });
      const res = await request(local).get('/posts/p').set('If-None-Match', old);
      expect(res.status).toBe(200);
      expect(res.headers.etag).not.toBe(old);
      tmp.cleanup();
    });
  });

  describe('HEAD and methods', () => {
    it('should answer HEAD like GET without a body', async () => {
      const get = await request(app).get(ARTICLE).set('Accept-Encoding', 'gzip');
      const head = await request(app).head(ARTICLE).set('Accept-Encoding', 'gzip');
      expect(head.status).toBe(200);
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text ?? '').toBe('');
    });

    it.each(['/', ARTICLE, '/healthz', '/nope'])('should answer HEAD %s with the status of GET', async (url) => {
      const get = await request(app).get(url);
      expect((await request(app).head(url)).status).toBe(get.status);
    });

    it.each(['post', 'put', 'delete', 'patch', 'options'] as const)('should answer %s with 405 and Allow', async (method) => {
      const res = await request(app)[method](ARTICLE);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    });
  });

  describe('compression', () => {
    it('should send brotli, gzip or identity as asked, each decoding to the same page', async () => {
      const br = await raw(app, ARTICLE, { 'Accept-Encoding': 'br' });
      const gz = await raw(app, ARTICLE, { 'Accept-Encoding': 'gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(brotliDecompressSync(br.body).equals(identity)).toBe(true);
      expect(gunzipSync(gz.body).equals(identity)).toBe(true);
      expect(br.body.length).toBeLessThan(identity.length / 2);
      expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    });

    it('should send Vary: Accept-Encoding on every encoding', async () => {
      for (const enc of ['br', 'gzip', 'identity']) {
        expect((await request(app).get(ARTICLE).set('Accept-Encoding', enc)).headers.vary).toBe('Accept-Encoding');
      }
    });

    it('should honour q-values', async () => {
      expect((await request(app).get(ARTICLE).set('Accept-Encoding', 'br;q=0.5, gzip;q=0.9')).headers['content-encoding']).toBe('gzip');
      expect((await request(app).get(ARTICLE).set('Accept-Encoding', 'br;q=0, gzip;q=0')).headers['content-encoding']).toBeUndefined();
      expect((await request(app).get(ARTICLE).set('Accept-Encoding', 'gzip, br')).headers['content-encoding']).toBe('br');
      expect((await request(app).get(ARTICLE).set('Accept-Encoding', '*')).headers['content-encoding']).toBe('br');
    });

    it('should count a page’s prepared heads in the bytes the cache holds, not its bodies alone', () => {
      const rep = makeRepresentation('<p>hi</p>', 'text/html; charset=utf-8');
      const plain = prepare(rep, { cacheControl: 'no-cache' });
      const big = prepare(rep, { cacheControl: 'no-cache', headers: { 'X-Big': 'a'.repeat(4000) } });
      expect(plain.size).toBeGreaterThan(rep.size);
      // The header is in the 200's head and the 304's, each held twice (a list and a block).
      expect(big.size - plain.size).toBe(4 * ('X-Big'.length + 4000));
    });

    it('should leave tiny responses uncompressed', () => {
      const tiny = makeRepresentation('<p>hi</p>', 'text/html; charset=utf-8');
      expect(tiny.gzip).toBeUndefined();
      expect(tiny.br).toBeUndefined();
    });

    it('should make only the encoding the first reader asked for, then the other right after it is answered', async () => {
      const body = identity.toString('utf8');
      const eager = makeRepresentation(body, 'text/html; charset=utf-8');
      const first = makeRepresentation(body, 'text/html; charset=utf-8', undefined, ['br']);
      expect(first.gzip).toBeUndefined();
      // Brotli at its fastest quality for the first reader: the same bytes decoded, not those of quality 6.
      expect(brotliDecompressSync(first.br!).equals(identity)).toBe(true);
      expect(first.br!.equals(eager.br!)).toBe(false);
      expect(first.complete).toBe(false);
      const complete = completeRepresentation(first);
      expect(complete.complete).toBe(true);
      expect(complete.br!.equals(eager.br!)).toBe(true);
      expect(complete.gzip?.equals(eager.gzip!)).toBe(true);
      // gzip first: made at its one setting, kept as it is.
      const gzFirst = makeRepresentation(body, 'text/html; charset=utf-8', undefined, ['gzip']);
      expect(gzFirst.gzip!.equals(eager.gzip!)).toBe(true);
      expect(completeRepresentation(gzFirst).gzip).toBe(gzFirst.gzip);
      expect(complete.size).toBe(eager.size);
      expect(completeRepresentation(complete)).toBe(complete);

      const fresh = testApp(content);
      const br = await raw(fresh, ARTICLE, { 'Accept-Encoding': 'br' });
      await new Promise((resolve) => setImmediate(resolve));
      // The page is held with both encodings now (its bodies, and its heads, counted too).
      expect(fresh.cache.size.pages).toBe(1);
      expect(fresh.cache.size.bytes).toBeGreaterThan(eager.size);
      expect(fresh.cache.size.bytes - eager.size).toBeLessThan(eager.size);
      const renders = articleRenders(fresh);
      const gz = await raw(fresh, ARTICLE, { 'Accept-Encoding': 'gzip' });
      expect(renders()).toBe(0);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(identity)).toBe(true);
      // The quick bytes had a tag of their own; the next br reader gets quality 6 under the usual one.
      expect(br.headers.etag).toMatch(/-br1"$/);
      expect(brotliDecompressSync(br.body).equals(identity)).toBe(true);
      expect(gz.headers.etag).toBe(br.headers.etag!.replace(/-br1"$/, '-gz"'));
      expect(gz.headers.vary).toBe('Accept-Encoding');
      const again = await raw(fresh, ARTICLE, { 'Accept-Encoding': 'br' });
      expect(again.headers.etag).toBe(br.headers.etag!.replace(/-br1"$/, '-br"'));
      expect(again.body.equals(eager.br!)).toBe(true);
      // A client holding the quick bytes has the same page: 304.
      expect((await request(fresh).get(ARTICLE).set('Accept-Encoding', 'br').set('If-None-Match', br.headers.etag!)).status).toBe(304);
    });

    it('should compress once per change, not per request', async () => {
      const renders = articleRenders(app);
      for (const enc of ['br', 'gzip', 'identity', 'br']) await request(app).get(ARTICLE).set('Accept-Encoding', enc);
      expect(renders()).toBe(0);
    });
  });

  describe('negotiateEncoding()', () => {
    it('should prefer br, then gzip, on ties', () => {
      expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
      expect(negotiateEncoding('gzip')).toBe('gzip');
      expect(negotiateEncoding(undefined)).toBe('identity');
      expect(negotiateEncoding('identity;q=0')).toBeUndefined();
    });
  });

  describe('Cache-Control', () => {
    it('should let browsers revalidate and CDNs keep the page briefly', async () => {
      const res = await request(app).get(ARTICLE);
      expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    });

    it('should be configurable', async () => {
      const custom = testApp(content, { cacheControl: 'public, max-age=60' });
      expect((await request(custom).get('/')).headers['cache-control']).toBe('public, max-age=60');
    });

    it('should never cache health or error answers', async () => {
      expect((await request(app).get('/healthz')).headers['cache-control']).toBe('no-store');
      expect((await request(app).get('/nope')).headers['cache-control']).toBe('no-store');
    });
  });

  describe('the page cache', () => {
    it('should stay within its byte budget and still serve every page', async () => {
      const many = new TempContent();
      for (let i = 0; i < 30; i++) many.post(`p${i}.md`, { title: `Post ${i}`, publish_date: '2024-01-01' }, 'word '.repeat(2000));
      const small = testApp(many, { cacheMaxBytes: 64 * 1024 });
      for (let i = 0; i < 30; i++) expect((await request(small).get(`/posts/p${i}`)).status).toBe(200);
      expect(small.cache.size.bytes).toBeLessThanOrEqual(64 * 1024);
      expect(small.cache.size.pages).toBeLessThan(30);
      many.cleanup();
      // 60 renders on the render threads: more than jest's 5 s on a loaded machine.
    });

    it('should key pages by path alone: a request header cannot poison another client', async () => {
      const evil = await request(app).get(ARTICLE).set('X-Forwarded-Host', 'evil.example').set('Host', 'evil.example');
      expect(evil.text).not.toContain('evil.example');
      const res = await request(app).get(ARTICLE);
      expect(res.text).not.toContain('evil.example');
    });
  });
});
