/**
 * The export's headers files (src/cli/export-headers.ts): `_headers`
 * sandboxes the files of `content/static/` as the live server does, gives a
 * page with math or a diagram its own policy, and every path `nosniff`
 * (docs/deploying.md, "Headers of an export"); the nginx files say the same
 * per file. nginx itself runs them in test/integration/export.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { exportSite } from '../../src/cli/export-site.js';
import { NGINX_HTTP_FILE, NGINX_SERVER_FILE, nginxHttpFile, type ServedFile } from '../../src/cli/export-headers.js';
import { BUNDLE_FILE_CSP, COMMON_HEADERS, pagePolicy, SITE_CSP } from '../../src/headers/site-headers.js';
import { DIAGRAM_BODY, headersOnHost, MATH_BODY } from '../helpers/export-site.js';
import { watchEventLoop } from '../helpers/loop-watch.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

/** A `_headers` file's rules: path pattern -> header name -> values (a name may repeat). */
function parseHeaders(text: string): Map<string, Map<string, string[]>> {
  const rules = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('/')) rules.set(line, (current = new Map()));
    else if (/^\s+\S/.test(line) && current) {
      const [name, ...value] = line.trim().split(': ');
      current.set(name!, [...(current.get(name!) ?? []), value.join(': ')]);
    }
  }
  return rules;
}

// The first export in a process loads and compiles what it uses (about 100 ms of the loop held
// once, 30 ms on later exports): done before the loop is watched, like Jest's own compiling.
beforeAll(async () => {
  const warm = new TempContent();
  warm.post('warm.md', { title: 'Warm', publish_date: '2024-01-01' });
  const out = mkdtempSync(path.join(tmpdir(), 'lede-export-warm-'));
  await exportSite(testConfig(warm.dir), path.join(out, 'site'));
  rmSync(out, { recursive: true, force: true });
  warm.cleanup();
});

describe("the export's _headers for content/static/", () => {
  watchEventLoop();
  const content = new TempContent();
  let live: LedeApp;
  let outDir: string;
  let rules: Map<string, Map<string, string[]>>;
  const files = ['/evil.svg', '/img/logo.png', '/files/notes.txt'];

  beforeAll(async () => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    content.post('sums.md', { title: 'Sums', publish_date: '2024-01-02' }, MATH_BODY);
    content.post('flow.md', { title: 'Flow', publish_date: '2024-01-03' }, DIAGRAM_BODY);
    content.write('static/evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    content.write('static/img/logo.png', Buffer.from('89504e470d0a1a0a', 'hex'));
    content.write('static/files/notes.txt', 'notes\n');
    outDir = path.join(mkdtempSync(path.join(tmpdir(), 'lede-export-headers-')), 'site');
    await exportSite(testConfig(content.dir, { siteUrl: 'https://blog.example.com' }), outDir);
    rules = parseHeaders(readFileSync(path.join(outDir, '_headers'), 'utf8'));
    live = testApp(content, { siteUrl: 'https://blog.example.com' });
    // An export writes and compresses KaTeX's and mermaid's files: over a minute on a busy machine.
  }, 180_000);
  afterAll(() => {
    live.store.close();
    live.pages.close();
    rmSync(path.dirname(outDir), { recursive: true, force: true });
    content.cleanup();
  });

  it('should give every static file the sandbox policy the live server sends it', async () => {
    for (const url of files) {
      const fromLede = await request(live).get(url);
      expect({ url, status: fromLede.status }).toEqual({ url, status: 200 });
      expect(fromLede.headers['content-security-policy']).toContain('sandbox');
      expect({ url, csp: rules.get(url)?.get('Content-Security-Policy') }).toEqual({ url, csp: [fromLede.headers['content-security-policy']] });
    }
  });

  it('should keep nosniff on every path, the page policy for all, and the bundle rule', async () => {
    const page = await request(live).get('/');
    expect(rules.get('/*')?.get('X-Content-Type-Options')).toEqual(['nosniff']);
    expect(rules.get('/*')?.get('Content-Security-Policy')).toEqual([page.headers['content-security-policy']]);
    expect(rules.get('/posts/:slug/*')?.get('Content-Security-Policy')).toEqual([BUNDLE_FILE_CSP]);
    expect([...rules.keys()]).toEqual(expect.arrayContaining(['/*', '/posts/:slug/*', ...files]));
  });

  it("should give each page with math or a diagram its own policy, replacing the site's on both kinds of host", async () => {
    const text = readFileSync(path.join(outDir, '_headers'), 'utf8');
    for (const url of ['/posts/sums', '/posts/flow', '/posts/hello', '/']) {
      const fromLede = await request(live).get(url);
      for (const host of ['netlify', 'cloudflare'] as const) {
        expect({ url, host, csp: headersOnHost(text, url, host).get('Content-Security-Policy') }).toEqual({
          url,
          host,
          csp: fromLede.headers['content-security-policy'],
        });
      }
    }
    expect(rules.get('/posts/sums')?.get('Content-Security-Policy')).toEqual([pagePolicy({ math: true, mermaid: false })]);
    expect(rules.get('/posts/flow')?.get('Content-Security-Policy')).toEqual([pagePolicy({ math: false, mermaid: true })]);
    // Pages with nothing of their own get no rule of their own: the file stays short.
    expect(rules.has('/posts/hello')).toBe(false);
  });

  it('should map each file nginx sends to its policy: the pages with math or a diagram by name, files from authors to the sandbox by default', () => {
    const http = readFileSync(path.join(outDir, NGINX_HTTP_FILE), 'utf8');
    const server = readFileSync(path.join(outDir, NGINX_SERVER_FILE), 'utf8');
    const csp = /map \$uri \$lede_csp \{\n([\s\S]*?)\n\}/.exec(http)![1]!.split('\n');
    expect(csp[0]).toBe(`    "~^/posts/flow/index\\\\.html$" "${pagePolicy({ math: false, mermaid: true })}";`);
    expect(csp[1]).toBe(`    "~^/posts/sums/index\\\\.html$" "${pagePolicy({ math: true, mermaid: false })}";`);
    expect(csp.at(-1)).toBe(`    default "${BUNDLE_FILE_CSP}";`);
    // Every header at the server level, none in a location (one there would drop the others).
    for (const [name, value] of Object.entries(COMMON_HEADERS)) expect(server).toContain(`add_header ${name} "${value}" always;`);
    expect(server).toContain('add_header Content-Security-Policy $lede_csp always;');
    const locations = server.match(/^location [^{]*\{[\s\S]*?^\}/gm) ?? [];
    expect(locations.length).toBeGreaterThan(0); // the feeds, sent as their own kinds of XML
    for (const location of locations) expect(location).not.toContain('add_header');
  });
});

describe('the nginx map of an export (src/cli/export-headers.ts)', () => {
  const math = pagePolicy({ math: true, mermaid: false })!;
  const served = (file: string, csp: string): ServedFile => ({
    urlPath: file.replace(/\/index\.html$/, ''),
    file,
    csp,
    cacheControl: undefined,
    contentType: 'text/html; charset=utf-8',
  });
  /** The map's entries as nginx reads them: a quoted string loses the backslash before `"` and `\`. */
  const entries = (text: string): [string, string][] =>
    [...text.matchAll(/^ {4}"((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)";$/gm)].map((m) => [m[1]!.replace(/\\(["\\])/g, '$1'), m[2]!.replace(/\\(["\\])/g, '$1')]);

  it('should spell each page by an exact regex that matches its file alone, whatever its name holds', () => {
    const files = ['/posts/a.b+c(1)/index.html', '/posts/caf\u00e9 [draft]/index.html', '/posts/plain/index.html'];
    const text = nginxHttpFile([...files.map((file) => served(file, math)), served('/posts/x/index.html', SITE_CSP), served('/posts/y/index.html', SITE_CSP)]);
    const exceptions = entries(text).filter(([, value]) => value === math);
    expect(exceptions).toHaveLength(files.length);
    for (const [source] of exceptions) {
      const regex = new RegExp(source.slice(1));
      expect(files.filter((file) => regex.test(file))).toHaveLength(1);
      expect(regex.test('/posts/abbc1/index.html')).toBe(false);
    }
  });

  it('should leave out a name nginx cannot spell in quotes (its file keeps the policy of its kind, never a looser one)', () => {
    const text = nginxHttpFile([served('/posts/say "hi"/index.html', math), served('/posts/x/index.html', SITE_CSP)]);
    expect(entries(text).filter(([, value]) => value === math)).toEqual([]);
  });
});
