/**
 * Hostile request targets: traversal in every encoding, NUL, bad escapes and
 * over-long URLs each get their exact 4xx, never a 500, and no byte of a file
 * outside the post's folder (or of a private file inside the content folder)
 * ever reaches the client.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TempContent, testApp } from '../helpers/site.js';
import { RawServer } from '../helpers/raw-http.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-CONTENT-FOLDER';
const PRIVATE = 'PRIVATE-DRAFT-NOT-FOR-READERS';

describe('hostile URLs', () => {
  const content = new TempContent();
  // The secret sits beside the content folder, where `../` from it would land.
  const secretName = `${path.basename(content.dir)}-secret.txt`;
  const secretFile = path.join(path.dirname(content.dir), secretName);
  let server: RawServer;

  beforeAll(async () => {
    writeFileSync(secretFile, SECRET);
    content.post('bundle/index.md', { title: 'A bundle' }, '![photo](ok.png)\n');
    content.write('bundle/ok.png', 'PNG-BYTES');
    content.write('bundle/.secret', SECRET);
    content.write('bundle/evil.html', '<script src="/posts/bundle/evil.js"></script>');
    content.write('bundle/evil.js', 'alert(document.cookie)');
    content.write('bundle/notes.json', '{}');
    content.write('bundle/pic.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    content.post('other/index.md', { title: 'Another bundle' });
    content.write('other/photo.png', PRIVATE);
    content.write('_private.md', `---\ntitle: Private\n---\n${PRIVATE}\n`);
    content.write('_notes/idea.md', `---\ntitle: Notes\n---\n${PRIVATE}\n`);
    // A symlink out of the content folder, one to another post's folder, and a post that is a symlink out.
    symlinkSync(secretFile, path.join(content.dir, 'bundle', 'escape.txt'));
    symlinkSync(path.join(content.dir, 'other', 'photo.png'), path.join(content.dir, 'bundle', 'sibling.png'));
    symlinkSync(secretFile, path.join(content.dir, 'linked.md'));
    mkdirSync(path.join(content.dir, 'bundle', 'sub'));
    content.write('bundle/sub/inner.png', 'INNER-PNG');
    content.write('bundle/sub/inner.html', '<script>alert(1)</script>');
    symlinkSync(secretFile, path.join(content.dir, 'bundle', 'sub', 'deep-escape.png'));
    server = await RawServer.start(testApp(content, { env: 'production' }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(secretFile, { force: true });
    content.cleanup();
  });

  // `{secret}` stands for the name of the file beside the content folder.
  const s = '{secret}';
  const table: ReadonlyArray<readonly [string, number]> = [
    // Plain and encoded traversal.
    ['/posts/../package.json', 400],
    [`/posts/bundle/../../${s}`, 400],
    [`/posts/bundle/..%2f..%2f${s}`, 400],
    [`/posts/bundle/..%2F..%2F${s}`, 400],
    [`/posts/bundle/..%5c..%5c${s}`, 400],
    [`/posts/bundle/..%5C..%5C${s}`, 400],
    [`/posts/bundle/..\\..\\${s}`, 400],
    [`/posts/bundle/%2e%2e/%2e%2e/${s}`, 400],
    [`/posts/bundle/%2E%2E/%2E%2E/${s}`, 400],
    [`/posts/bundle/.%2e/.%2e/${s}`, 400],
    [`/posts/bundle/%2e%2e%2f%2e%2e%2f${s}`, 400],
    [`/posts/bundle/ok.png/..`, 400],
    [`/posts/bundle/./ok.png`, 400],
    [`/%2e%2e/${s}`, 400],
    ['/_lede/../package.json', 400],
    ['/_lede/..%2fpackage.json', 400],
    ['/_lede/%2e%2e/%2e%2e/package.json', 400],
    // Double encoding reaches the route as a literal (and invalid) name.
    [`/posts/bundle/%252e%252e%252f${s}`, 404],
    // Overlong UTF-8 for `.` and `/` (CVE-2000-0884 style) is not valid UTF-8.
    [`/posts/bundle/%c0%ae%c0%ae%c0%af${s}`, 400],
    // A full-width solidus is just a character, not a separator.
    [`/posts/bundle/%EF%BC%8F..%EF%BC%8F${s}`, 404],
    // Non-canonical encodings redirect to the one URL of the page (and never to another host).
    [`/posts/bundle/%ef%bc%8f..%ef%bc%8f${s}`, 301],
    ['/posts/%62undle', 301],
    ['//evil.example/%61', 404],
    // NUL and control characters.
    ['/posts/bundle/ok.png%00.md', 400],
    ['/posts/bundle%00', 400],
    ['/posts/bundle%0a', 400],
    // Bad percent-encoding.
    ['/posts/%E0%A4%A', 400],
    ['/posts/%', 400],
    ['/posts/%zz', 400],
    ['/%', 400],
    // Length.
    [`/${'a'.repeat(2100)}`, 414],
    [`/posts/bundle?q=${'q'.repeat(2100)}`, 414],
    [`/posts/${'a'.repeat(300)}`, 404],
    [`/posts/bundle/${'a'.repeat(300)}.png`, 404],
    // Files that are not for readers.
    ['/posts/bundle/escape.txt', 404],
    ['/posts/bundle/sibling.png', 404],
    ['/posts/bundle/index.md', 404],
    ['/posts/bundle/.secret', 404],
    ['/posts/bundle/sub', 404],
    ['/posts/_private', 404],
    ['/posts/private', 404],
    ['/posts/_notes', 404],
    ['/posts/linked', 404],
    ['//etc/passwd', 404],
    // Bundle files that would run script from this origin are not served at all.
    ['/posts/bundle/evil.html', 404],
    ['/posts/bundle/evil.js', 404],
    ['/posts/bundle/notes.json', 404],
    ['/posts/bundle/ok.png', 200],
    ['/posts/bundle/pic.svg', 200],
    // Sub-folders of a bundle: the same rules for every segment.
    ['/posts/bundle/sub/inner.png', 200],
    ['/posts/bundle/sub/inner.html', 404],
    ['/posts/bundle/sub/deep-escape.png', 404],
    ['/posts/bundle/sub/.hidden/x.png', 404],
    [`/posts/bundle/sub/../../${s}`, 400],
    [`/posts/bundle/sub/%2e%2e/%2e%2e/${s}`, 400],
  ];

  const label = (url: string): string => (url.length > 80 ? `${url.slice(0, 30)}... (${url.length} bytes)` : url);
  it.each(table.map(([url, status]) => [label(url), status, url] as const))('GET %s should answer %d without leaking a file', async (_label, status, url) => {
    const res = await server.get(url.replaceAll('{secret}', secretName), { accept: 'text/html' });
    expect(res.status).toBe(status);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain(PRIVATE);
    expect(res.body).not.toContain('"devDependencies"');
    expect(res.body).not.toContain(content.dir);
    expect(res.body).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(res.headers['content-security-policy']).toMatch(
      url.startsWith('/posts/bundle/') && status === 200 ? /^default-src 'none';.*sandbox$/ : /frame-ancestors 'none'/,
    );
    if (status >= 400) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('should redirect a non-canonical encoding to the canonical path, keeping the query', async () => {
    const res = await server.get('/posts/%62und%6ce?x=%41');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/bundle?x=%41');
  });

  it('should keep one page-cache entry per page whatever the encoding of its URL', async () => {
    const app = testApp(content, { env: 'production' });
    const variants = await RawServer.start(app);
    try {
      for (const url of ['/posts/bundle', '/posts/%62undle', '/posts/b%75ndle', '/posts/bundle?a=1', '/posts/%62%75%6E%64%6C%65']) {
        const res = await variants.get(url);
        expect([200, 301]).toContain(res.status);
      }
      expect(app.cache.size.pages).toBe(1);
    } finally {
      await variants.close();
    }
  });

  it('should answer 414 to an over-long query on a page the front cache holds', async () => {
    expect((await server.get('/posts/bundle')).status).toBe(200);
    expect((await server.get('/posts/bundle?q=1')).status).toBe(200);
    expect((await server.get(`/posts/bundle?q=${'q'.repeat(2100)}`)).status).toBe(414);
  });

  it('should serve an SVG from a bundle sandboxed, with no script allowed', async () => {
    const res = await server.get('/posts/bundle/pic.svg');
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
    );
  });

  it('should serve the control file from inside the bundle', async () => {
    const res = await server.get('/posts/bundle/ok.png');
    expect(res.body).toBe('PNG-BYTES');
  });

  it('should answer 400 to a raw NUL or space in the request line and keep serving', async () => {
    const nul = await server.socket('GET /posts/bundle\u0000x HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(nul).toMatch(/^HTTP\/1\.1 400 /);
    const space = await server.socket('GET /posts/a b HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(space).toMatch(/^HTTP\/1\.1 400 /);
    expect((await server.get('/posts/bundle')).status).toBe(200);
  });

  it('should answer 431 to oversized headers', async () => {
    const res = await server.socket(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('should refuse an absolute-form request target for another host', async () => {
    const res = await server.socket('GET http://evil.example/../../etc/passwd HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(res).not.toContain('root:');
  });
});
