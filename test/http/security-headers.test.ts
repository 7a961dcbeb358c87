/**
 * Security headers on every kind of answer: pages, files, JSON, errors,
 * redirects, 304s and HEADs, whether Express answered or the front cache did.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { frontCacheHits, TempContent, testApp } from '../helpers/site.js';

function expectSecurityHeaders(headers: Record<string, string | undefined>): void {
  const csp = headers['content-security-policy'];
  expect(csp).toBeDefined();
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("script-src-attr 'none'");
  expect(csp).toContain("img-src 'self' https: data:");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  // No inline script and no nonce: cached pages are replayed byte for byte.
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('nonce-');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['x-powered-by']).toBeUndefined();
  // Nothing for browsers and plugins that are gone, or that the policy's frame-ancestors replaces (X-Frame-Options),
  // or that current browsers do by default (Origin-Agent-Cluster): each header costs bytes and Node's check on every answer.
  for (const legacy of [
    'x-xss-protection',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'x-dns-prefetch-control',
    'x-frame-options',
    'origin-agent-cluster',
  ]) {
    expect(headers[legacy]).toBeUndefined();
  }
  expect(headers['x-request-id']).toMatch(/^[\w.:@-]{1,64}$/);
}

describe('security headers', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello' }, 'Some words.\n');
    content.post('bundle/index.md', { title: 'Bundle' }, '![p](p.png)\n');
    content.write('bundle/p.png', 'PNG');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  describe.each(['/', '/posts/hello'])('GET %s', (url) => {
    it('should carry them when rendered and when replayed from the front cache', async () => {
      const first = await request(app).get(url);
      expect(first.status).toBe(200);
      expectSecurityHeaders(first.headers);
      const hits = frontCacheHits(app);
      const second = await request(app).get(url);
      expect(hits()).toBe(1);
      expect(second.status).toBe(200);
      expectSecurityHeaders(second.headers);
      expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    });

    it('should carry them on a 304 from the front cache', async () => {
      const { headers } = await request(app).get(url);
      const hits = frontCacheHits(app);
      const res = await request(app).get(url).set('If-None-Match', headers.etag!);
      expect(res.status).toBe(304);
      expect(hits()).toBe(1);
      expectSecurityHeaders(res.headers);
    });

    it('should carry them on a HEAD', async () => {
      const res = await request(app).head(url);
      expect(res.status).toBe(200);
      expectSecurityHeaders(res.headers);
    });
  });

  it.each([
    ['/healthz', 200],
    ['/_lede/style.css', 200],
    ['/nope', 404],
    ['/posts/hello/', 301],
    ['/posts/%zz', 400],
    [`/${'x'.repeat(3000)}`, 414],
  ])('GET %s (%d) should carry them', async (url, status) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers);
  });

  // Feeds and crawler files come from another module; whatever they answer carries the headers, cached or not.
  it.each(['/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml', '/robots.txt'])('GET %s should carry them, twice', async (url) => {
    for (let i = 0; i < 2; i++) expectSecurityHeaders((await request(app).get(url)).headers);
  });

  it('should send bundle files with the other headers and a sandboxing policy of their own', async () => {
    const res = await request(app).get('/posts/bundle/p.png');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('should carry them on a 405', async () => {
    const res = await request(app).post('/');
    expect(res.status).toBe(405);
    expectSecurityHeaders(res.headers);
  });

  it('should carry them on a 304 rendered by Express (first request revalidating)', async () => {
    const fresh = testApp(content, { env: 'production' });
    const hits = frontCacheHits(fresh);
    const { headers } = await request(app).get('/posts/hello');
    const res = await request(fresh).get('/posts/hello').set('If-None-Match', headers.etag!);
    expect(res.status).toBe(304);
    expect(hits()).toBe(0);
    expectSecurityHeaders(res.headers);
  });
});
