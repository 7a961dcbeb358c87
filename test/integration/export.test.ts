/**
 * `npm run export`: the site written as files, then served by a real nginx
 * with deploy/nginx-static.conf. Every link in every page resolves, and every
 * page is byte for byte what the live server renders for the same path.
 *
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { promises as fsPromises } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
// The export is a batch job of the CLI, not the server: its work is set aside from the loop watch.
import { testWork } from '../helpers/loop-watch.js';
import { createApp, type LedeApp } from '../../src/app.js';
import { PACKAGE_ROOT } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { exportSite, fileFor, htmlFileFor, internalPath, linksIn, MARKER, type ExportReport } from '../../src/cli/export-site.js';
import { NGINX_HTTP_FILE, NGINX_SERVER_FILE, SECURITY_HEADERS } from '../../src/cli/export-headers.js';
import { staticSearchPage } from '../../src/cli/export-search.js';
import { BUNDLE_FILE_CSP } from '../../src/headers/site-headers.js';
import { get, Nginx, staticSiteConf } from '../helpers/nginx.js';
import { exportedFiles, headersOnHost } from '../helpers/export-site.js';
import { gradientPng } from '../helpers/png.js';
import { TempContent, testConfig } from '../helpers/site.js';

const SITE = 'https://blog.example.com';
/** Sets a mark on its own document when its script runs (test/integration/export-svg.test.ts opens it in Chromium). */
const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><script>document.documentElement.setAttribute('data-ran', 'yes')</script><rect width="16" height="9" fill="#3c3"/></svg>\n`;
const content = new TempContent();
const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-'));
const outDir = path.join(outRoot, 'site');
const nginx = new Nginx();
let config: Config;
let live: LedeApp;
let report: ExportReport;

/** Every file under `dir`, relative, with `/` separators. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, rel) : [rel];
  });
}

/** The URL path a written HTML file answers at. */
function pathOfHtml(rel: string): string {
  return rel === 'index.html' ? '/' : `/${rel.replace(/\/index\.html$/, '')}`;
}

/**
 * Hooks and tests that export the whole site: an export renders and compresses every page,
 * over a minute on a machine as busy as npm run test:stress makes it (docs/contributing.md).
 */
const EXPORTS_TIMEOUT_MS = 180_000;

beforeAll(async () => {
  for (let i = 1; i <= 12; i++) {
    const day = String(i).padStart(2, '0');
    // Post 1 has a formula: its page links KaTeX's stylesheet, which names the fonts.
    const math = i === 1 ? ' The area is $\\pi r^2$.' : i === 3 ? '\n\n```mermaid\ngraph LR\n  A --> B\n```\n' : '';
    content.post(
      `2024-03-${day}-post-${i}.md`,
      { title: `Post number ${i}`, author: 'Test Author' },
      `Text of post ${i}, with a [link to the first post](/posts/post-1).${math}\n\n${'Enough words to compress well. '.repeat(30)}`,
    );
  }
  // Another spelling of /posts/post-1 (live: a 301 to it). It used to be written over post-1's page (issue 19).
  content.post('2024-03-13-spelling.md', { title: 'Spelling', author: 'Test Author' }, 'See [the first post](/posts/post-%31), spelled another way.');
  content.write(
    'bundle/index.md',
    '---\ntitle: A bundle\npublish_date: 2024-04-01\nheroImage: hero.svg\n---\n\n![A dot](dot.png)\n\n[Download the notes](notes.txt)\n',
  );
  // A real PNG: its variants (/_img/...) are exported as files beside it.
  content.write('bundle/dot.png', gradientPng(2, 2));
  content.write('bundle/hero.svg', `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9" fill="#c33"/></svg>\n`);
  content.write('bundle/notes.txt', 'Notes that no page links to as a page.\n');
  content.write('bundle/unlinked.txt', 'A bundle file nothing links to is exported too.\n');
  content.post('pages/about.md', { title: 'About this blog' }, 'A standalone page, with the [site logo](/img/logo.png).\n');
  content.write(
    'static/img/logo.png',
    Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2b8a30000000049454e44ae426082',
      'hex',
    ),
  );
  content.write('static/files/unlinked.pdf', '%PDF-1.4 nothing links here');
  // An author's SVG with a script inside (issue 19): served beside the post, it must run nothing.
  content.write('bundle/evil.svg', EVIL_SVG);
  content.post('draft.md', { title: 'A draft', publish_date: '2024-01-01', draft: true });
  content.post('future.md', { title: 'From the future', publish_date: '2999-01-01' });
  config = testConfig(content.dir, { env: 'production', siteUrl: SITE });
  live = createApp(config);
  report = await testWork(() => exportSite(config, outDir));
  await nginx.start(staticSiteConf(outDir));
}, EXPORTS_TIMEOUT_MS);

afterAll(async () => {
  await nginx.stop();
  rmSync(outRoot, { recursive: true, force: true });
  content.cleanup();
});

/** Files only the export has (the search index and its engine, src/cli/export-search.ts): no live answer to compare with. */
function exportOnly(urlPath: string): boolean {
  return urlPath.startsWith('/_lede/search-');
}

describe('exportSite() (npm run export)', () => {
  it('should write every page as index.html under its path', () => {
    for (const file of [
      'index.html',
      'page/2/index.html',
      'posts/post-1/index.html',
      'posts/post-12/index.html',
      'posts/bundle/index.html',
      'archive/index.html',
      'about/index.html',
      '404.html',
    ]) {
      expect({ file, exists: existsSync(path.join(outDir, file)) }).toEqual({ file, exists: true });
    }
    expect(report.broken).toEqual([]);
  });

  it('should write bundle files and site-wide files, linked or not, and the theme assets', () => {
    for (const file of [
      'posts/bundle/dot.png',
      'posts/bundle/hero.svg',
      'posts/bundle/notes.txt',
      'posts/bundle/unlinked.txt',
      'img/logo.png',
      'files/unlinked.pdf',
      '_lede/style.css',
      '_lede/favicon.svg',
    ]) {
      expect({ file, exists: existsSync(path.join(outDir, file)) }).toEqual({ file, exists: true });
    }
  });

  it('should leave out drafts, future posts and anything the site does not show', () => {
    expect(existsSync(path.join(outDir, 'posts/draft'))).toBe(false);
    expect(existsSync(path.join(outDir, 'posts/future'))).toBe(false);
    expect(existsSync(path.join(outDir, 'healthz'))).toBe(false);
  });

  it('should put a .gz and a .br beside each text file, holding the same bytes', () => {
    const files = walk(outDir).filter((f) => !/\.(gz|br)$/.test(f) && f !== MARKER);
    const text = files.filter((f) => /\.(html|css|svg|txt|xml|json)$/.test(f));
    expect(text.length).toBeGreaterThan(15);
    for (const file of text) {
      const bytes = readFileSync(path.join(outDir, file));
      expect({ file, gz: gunzipSync(readFileSync(path.join(outDir, `${file}.gz`))).equals(bytes) }).toEqual({ file, gz: true });
      expect({ file, br: brotliDecompressSync(readFileSync(path.join(outDir, `${file}.br`))).equals(bytes) }).toEqual({ file, br: true });
    }
    expect(existsSync(path.join(outDir, 'posts/bundle/dot.png.gz'))).toBe(false);
  });

  it(
    'should replace an earlier export whole, and refuse a folder that is not one',
    async () => {
      const again = path.join(outRoot, 'again');
      await testWork(() => exportSite(config, again));
      writeFileSync(path.join(again, 'posts', 'stale-file.html'), 'left over');
      await testWork(() => exportSite(config, again));
      expect(existsSync(path.join(again, 'posts', 'stale-file.html'))).toBe(false);
      expect(existsSync(path.join(again, 'index.html'))).toBe(true);
      const foreign = path.join(outRoot, 'foreign');
      mkdirSync(foreign);
      writeFileSync(path.join(foreign, 'important.txt'), 'keep me');
      await expect(exportSite(config, foreign)).rejects.toThrow(/not an earlier Lede export/);
      expect(readFileSync(path.join(foreign, 'important.txt'), 'utf8')).toBe('keep me');
    },
    EXPORTS_TIMEOUT_MS,
  );
});

describe('the export served by nginx (deploy/nginx-static.conf)', () => {
  const htmlFiles = (): string[] => walk(outDir).filter((f) => f.endsWith('index.html'));

  it("should write mermaid's script, which the diagram script loads by the name in its data-mermaid, cached for a year", async () => {
    const file = walk(outDir).find((f) => /^_lede\/mermaid-[0-9a-f]{10}\/mermaid\.min\.js$/.test(f));
    expect(file).toBeDefined();
    expect(readFileSync(path.join(outDir, 'posts/post-3/index.html'), 'utf8')).toContain(`data-mermaid="/${file}"`);
    const reply = await get(nginx.port, `/${file}`);
    expect({ status: reply.status, cacheControl: reply.headers['cache-control'] }).toEqual({
      status: 200,
      cacheControl: 'public, max-age=31536000, immutable',
    });
  });

  it("should write KaTeX's stylesheet and the fonts it names, and serve them cached for a year", async () => {
    const files = walk(outDir);
    const css = files.find((f) => /^_lede\/katex-[0-9a-f]{10}\/katex\.min\.css$/.test(f));
    expect(css).toBeDefined();
    const fonts = files.filter((f) => f.startsWith(css!.replace('katex.min.css', 'fonts/')) && f.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThan(10);
    for (const file of [css!, fonts[0]!]) {
      const reply = await get(nginx.port, `/${file}`);
      expect({ file, status: reply.status, cacheControl: reply.headers['cache-control'] }).toEqual({
        file,
        status: 200,
        cacheControl: 'public, max-age=31536000, immutable',
      });
    }
  });

  it("should write the page stylesheet (the bundled fonts' rules folded in) and the faces it names, and serve them cached for a year", async () => {
    const files = walk(outDir);
    const css = files.find((f) => /^_lede\/style-[0-9a-f]{10}\/style\.css$/.test(f) && readFileSync(path.join(outDir, f), 'utf8').includes('@font-face'));
    expect(css).toBeDefined();
    const faces = files.filter((f) => /^_lede\/source-(serif-4|sans-3)-[0-9a-f]{10}\/.+\.woff2$/.test(f));
    expect(faces).toHaveLength(5);
    for (const file of [css!, ...faces]) {
      const reply = await get(nginx.port, `/${file}`);
      expect({ file, status: reply.status, cacheControl: reply.headers['cache-control'] }).toEqual({
        file,
        status: 200,
        cacheControl: 'public, max-age=31536000, immutable',
      });
    }
  });

  it('should resolve every link in every page', async () => {
    const checked = new Map<string, number>();
    for (const file of htmlFiles()) {
      const from = pathOfHtml(file);
      for (const href of linksIn(readFileSync(path.join(outDir, file), 'utf8'), 'text/html')) {
        const target = internalPath(href, new URL(SITE), from);
        if (target === undefined || checked.has(target)) continue;
        const reply = await get(nginx.port, target);
        checked.set(target, reply.status);
        expect({ from, href, status: reply.status }).toEqual({ from, href, status: 200 });
      }
    }
    // The canonical links, pagination, post links, bundle files and assets were all among them.
    expect([...checked.keys()]).toEqual(
      expect.arrayContaining([
        '/',
        '/page/2',
        '/posts/post-1',
        '/posts/bundle/dot.png',
        '/posts/bundle/notes.txt',
        // The page stylesheet, in its content-hashed folder (src/http/vendor-assets.ts).
        expect.stringMatching(/^\/_lede\/style-[0-9a-f]{10}\/style\.css$/),
      ]),
    );
  });

  it('should serve every page byte for byte as the live server renders it', async () => {
    const files = htmlFiles();
    expect(files.map(pathOfHtml).sort()).toEqual(
      [
        '/',
        '/page/2', // the index, 13 posts at 10 a page
        ...Array.from({ length: 12 }, (_, i) => `/posts/post-${i + 1}`),
        '/posts/bundle',
        '/posts/spelling',
        '/tags', // no post has tags: an empty tag index
        '/authors/test-author',
        '/authors/test-author/page/2',
        '/authors/anonymous', // the bundle has the site's default author
        '/archive',
        '/about', // the archive and a standalone page
        '/search', // the search page, with its script (src/cli/export-search.ts)
      ].sort(),
    );
    for (const file of files) {
      const urlPath = pathOfHtml(file);
      const [fromNginx, fromLede] = await Promise.all([get(nginx.port, urlPath), request(live).get(urlPath)]);
      expect({ urlPath, status: fromNginx.status }).toEqual({ urlPath, status: 200 });
      expect(fromNginx.headers['content-type']).toBe(fromLede.headers['content-type']);
      // The search page is the live one with the script that searches the export's index (test/cli/export-search.test.ts).
      const folder = /data-search="([^"]+)\/"/.exec(fromNginx.body.toString('utf8'))?.[1] ?? '';
      const expected = urlPath === '/search' ? staticSearchPage(fromLede.text, folder) : fromLede.text;
      expect({ urlPath, same: fromNginx.body.toString('utf8') === expected }).toEqual({ urlPath, same: true });
    }
  });

  it('should serve bundle files, site-wide files, assets, feeds, the sitemap and robots.txt as the live server does', async () => {
    for (const urlPath of [
      '/posts/bundle/dot.png',
      '/posts/bundle/hero.svg',
      '/img/logo.png',
      '/files/unlinked.pdf',
      '/_lede/style.css',
      '/feed.xml',
      '/atom.xml',
      '/feed.json',
      '/sitemap.xml',
      '/robots.txt',
    ]) {
      const [fromNginx, fromLede] = await Promise.all([
        get(nginx.port, urlPath),
        request(live)
          .get(urlPath)
          .buffer(true)
          .parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => done(null, Buffer.concat(chunks)));
          }),
      ]);
      expect({ urlPath, status: fromNginx.status }).toEqual({ urlPath, status: 200 });
      expect({ urlPath, same: fromNginx.body.equals(fromLede.body as Buffer) }).toEqual({ urlPath, same: true });
    }
  });

  it('should resolve every address in the sitemap', async () => {
    const sitemap = readFileSync(path.join(outDir, 'sitemap.xml'), 'utf8');
    const locs = linksIn(sitemap, 'application/xml').map((href) => internalPath(href, new URL(SITE), '/')!);
    expect(locs.length).toBeGreaterThan(14);
    for (const loc of locs) {
      const reply = await get(nginx.port, loc);
      expect({ loc, status: reply.status }).toEqual({ loc, status: 200 });
    }
  });

  it('should send the precompressed file to a client that accepts gzip', async () => {
    const reply = await get(nginx.port, '/posts/post-3', { 'Accept-Encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.raw.equals(readFileSync(path.join(outDir, 'posts/post-3/index.html.gz')))).toBe(true);
    expect(reply.body.toString()).toBe((await request(live).get('/posts/post-3')).text);
  });

  it("should answer an unknown path with the site's 404 page and status", async () => {
    const reply = await get(nginx.port, '/posts/no-such-post');
    const fromLede = await request(live).get('/posts/no-such-post').set('Accept', 'text/html');
    expect(reply.status).toBe(404);
    expect(fromLede.status).toBe(404);
    expect(reply.body.toString()).toBe(fromLede.text);
  });
});

describe('broken links', () => {
  it('should be reported with the page they are on, and not stop the export', async () => {
    const site = new TempContent();
    site.post('linker.md', { title: 'Linker', publish_date: '2024-01-01' }, 'See [the missing post](/posts/missing) and [it again](/posts/missing).');
    const out = path.join(outRoot, 'broken');
    try {
      const result = await testWork(() => exportSite(testConfig(site.dir, { env: 'production', siteUrl: SITE }), out));
      expect(result.broken).toEqual([{ from: '/posts/linker', href: '/posts/missing', status: 404 }]);
      expect(existsSync(path.join(out, 'posts/linker/index.html'))).toBe(true);
    } finally {
      site.cleanup();
    }
  });
});

describe('export paths', () => {
  it('should map pages to index.html under their path', () => {
    expect(htmlFileFor('/')).toBe('index.html');
    expect(htmlFileFor('/posts/x')).toBe(path.join('posts', 'x', 'index.html'));
    expect(fileFor('/posts/x/a%20b.png')).toBe(path.join('posts', 'x', 'a b.png'));
  });
  it('should refuse a path that would leave the export folder', () => {
    expect(() => fileFor('/posts/%2e%2e/%2e%2e/etc')).toThrow(/leaves the export folder/);
    expect(() => fileFor('/posts/a%2Fb')).toThrow(/leaves the export folder/);
  });
  it('should keep only same-site links', () => {
    const site = new URL(SITE);
    expect(internalPath('https://blog.example.com/posts/a?x=1#top', site, '/')).toBe('/posts/a');
    expect(internalPath('dot.png', site, '/posts/bundle/')).toBe('/posts/bundle/dot.png');
    expect(internalPath('https://elsewhere.example.com/', site, '/')).toBeUndefined();
    expect(internalPath('mailto:a@example.com', site, '/')).toBeUndefined();
  });
});

/** The headers an exported file is sent with, live and through nginx: its policy, caching, type and the common headers. */
const COMPARED = [...SECURITY_HEADERS, 'Cache-Control', 'Content-Type'].map((name) => name.toLowerCase());
function comparedOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(COMPARED.map((name) => [name, headers[name]]));
}

/** The security headers of a reply, by their lower-case names. */
function securityHeadersOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(SECURITY_HEADERS.map((name) => [name.toLowerCase(), headers[name.toLowerCase()]]));
}

describe("the export keeps the live server's policy (issue 19)", () => {
  it('should send, through nginx, the security headers the live server sends, for every kind of file', async () => {
    for (const urlPath of [
      '/',
      '/page/2',
      '/tags',
      '/posts/post-2',
      '/posts/bundle/evil.svg',
      '/posts/bundle/dot.png',
      '/posts/bundle/notes.txt',
      '/img/logo.png',
      '/files/unlinked.pdf',
      '/archive',
      '/about',
      '/_lede/style.css',
      '/feed.xml',
      '/sitemap.xml',
      '/robots.txt',
      '/posts/no-such-post',
      '/posts/bundle/no-such.svg',
    ]) {
      const [fromNginx, fromLede] = await Promise.all([get(nginx.port, urlPath), request(live).get(urlPath).set('Accept', 'text/html')]);
      expect({ urlPath, status: fromNginx.status }).toEqual({ urlPath, status: fromLede.status });
      expect({ urlPath, headers: securityHeadersOf(fromNginx.headers) }).toEqual({ urlPath, headers: securityHeadersOf(fromLede.headers) });
    }
    expect((await get(nginx.port, '/posts/bundle/evil.svg')).headers['content-security-policy']).toBe(BUNDLE_FILE_CSP);
  });

  it('should send, through nginx, every header the live server sends each exported file, per page', async () => {
    const files = exportedFiles(outDir).filter(({ urlPath }) => !exportOnly(urlPath));
    expect(files.length).toBeGreaterThan(40);
    let compared = 0;
    for (const { urlPath } of files) {
      // The 404 page is what nginx sends for a missing path.
      const asked = urlPath === '/404.html' ? '/posts/no-such-post' : urlPath;
      const [fromNginx, fromLede] = await Promise.all([get(nginx.port, asked), request(live).get(asked).set('Accept', 'text/html')]);
      // An alias is a 301 live, a page that forwards in the export.
      if (fromLede.status === 301) continue;
      compared++;
      expect({ urlPath, status: fromNginx.status, headers: comparedOf(fromNginx.headers) }).toEqual({
        urlPath,
        status: fromLede.status,
        headers: comparedOf(fromLede.headers),
      });
    }
    expect(compared).toBeGreaterThan(40);
    // The pages with math and a diagram have their own, looser style policy, as live.
    expect((await get(nginx.port, '/posts/post-1')).headers['content-security-policy']).toContain("style-src-attr 'unsafe-inline'");
    expect((await get(nginx.port, '/posts/post-3')).headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
  });

  it('should write a _headers file that gives every exported file the live headers, as Netlify and Cloudflare Pages read it', async () => {
    const text = readFileSync(path.join(outDir, '_headers'), 'utf8');
    const names = [...SECURITY_HEADERS, 'Cache-Control'];
    for (const { urlPath } of exportedFiles(outDir)) {
      if (urlPath === '/404.html') continue; // hosts send it for any missing path: no rule names it
      if (exportOnly(urlPath)) continue;
      const fromLede = await request(live).get(urlPath);
      if (fromLede.status === 301) continue;
      const expected = Object.fromEntries(names.map((name) => [name, fromLede.headers[name.toLowerCase()]]));
      for (const host of ['netlify', 'cloudflare'] as const) {
        const given = headersOnHost(text, urlPath, host);
        expect({ urlPath, host, sent: Object.fromEntries(names.map((name) => [name, given.get(name)])) }).toEqual({ urlPath, host, sent: expected });
      }
    }
  });

  it('should send the search files only the export has with the site’s policy, kept a year (their folder is named for their bytes)', async () => {
    const files = exportedFiles(outDir).filter(({ urlPath }) => exportOnly(urlPath));
    expect(files.map(({ urlPath }) => urlPath)).toContainEqual(expect.stringMatching(/^\/_lede\/search-[0-9a-f]+\/index\.json$/));
    const sitePolicy = (await request(live).get('/')).headers['content-security-policy'];
    const text = readFileSync(path.join(outDir, '_headers'), 'utf8');
    for (const { urlPath } of files) {
      const reply = await get(nginx.port, urlPath);
      expect({ urlPath, status: reply.status, csp: reply.headers['content-security-policy'], nosniff: reply.headers['x-content-type-options'] }).toEqual({
        urlPath,
        status: 200,
        csp: sitePolicy,
        nosniff: 'nosniff',
      });
      expect(reply.headers['cache-control']).toContain('immutable');
      // JSON as nginx's include types it (the feed's type for .json, which a fetch reads alike).
      expect(reply.headers['content-type']).toMatch(urlPath.endsWith('.json') ? /^application\/(feed\+)?json/ : /^text\/javascript/);
      for (const host of ['netlify', 'cloudflare'] as const) expect(headersOnHost(text, urlPath, host).get('Content-Security-Policy')).toBe(sitePolicy);
    }
  });

  it('should not serve the marker, _headers or the nginx files, and the marker names no path', async () => {
    for (const urlPath of [`/${MARKER}`, '/_headers', `/${NGINX_HTTP_FILE}`, `/${NGINX_SERVER_FILE}`]) {
      const reply = await get(nginx.port, urlPath);
      expect({ urlPath, status: reply.status }).toEqual({ urlPath, status: 404 });
    }
    const marker = readFileSync(path.join(outDir, MARKER), 'utf8');
    expect(marker).not.toContain(content.dir);
    expect(marker).not.toMatch(/\/(tmp|home|var|srv)\//);
  });
});

describe('one file per canonical URL (issue 19)', () => {
  it('should not write a link to another spelling of a page over that page', async () => {
    expect(report.paths).toContain('/posts/post-1');
    expect(report.paths).not.toContain('/posts/post-%31');
    const fromNginx = await get(nginx.port, '/posts/post-1');
    expect(fromNginx.status).toBe(200);
    expect(fromNginx.body.toString('utf8')).toBe((await request(live).get('/posts/post-1')).text);
    // The other spelling reaches the same file through nginx, as it reaches the same page live.
    expect((await get(nginx.port, '/posts/post-%31')).body.toString('utf8')).toBe(fromNginx.body.toString('utf8'));
    expect(report.problems).toEqual([]);
  });
});

describe('content the export cannot write (issue 19)', () => {
  const hostile = new TempContent();
  const out = path.join(outRoot, 'hostile');
  const long = `/${'a'.repeat(260)}`;
  let result: ExportReport;
  let app: LedeApp;
  beforeAll(async () => {
    hostile.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    hostile.write(
      'other.md',
      [
        '---',
        'title: Other',
        'publish_date: 2024-01-02',
        `aliases: [/404.html, /index.html, /${MARKER}, /_headers, /posts/Hello, ${long}, /old-other]`,
        '---',
        '',
        'Links to [hello](/posts/%68ello) and [the stylesheet](/_lede/%73tyle.css), spelled another way.',
        '',
      ].join('\n'),
    );
    const hostileConfig = testConfig(hostile.dir, { env: 'production', siteUrl: SITE });
    app = createApp(hostileConfig);
    result = await testWork(() => exportSite(hostileConfig, out));
  });
  afterAll(() => hostile.cleanup());

  it('should report each URL it cannot write with the file and line behind it, and skip it', () => {
    expect(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      "other.md:4: /.lede-export is not exported: it needs a folder .lede-export/, but that is the export's own file .lede-export",
      "other.md:4: /404.html is not exported: it needs a folder 404.html/, but that is the export's own file 404.html",
      "other.md:4: /_headers is not exported: it needs a folder _headers/, but that is the export's own file _headers",
      `other.md:4: ${long.slice(0, 77)}... is not exported: its segment "${'a'.repeat(24)}…" is 260 bytes long, and a file name holds at most 252 (255 with the .gz beside it)`,
      'other.md:4: /index.html is not exported: it needs a folder index.html/, but that is index.html, the file of /',
      'other.md:4: /posts/Hello is not exported: its file posts/Hello/index.html differs only in case from posts/hello/index.html, the file of /posts/hello, and many file systems and hosts take the two names for one',
    ]);
  });

  it('should still write every page byte for byte, and the aliases it can', async () => {
    for (const [urlPath, file] of [
      ['/', 'index.html'],
      ['/posts/hello', 'posts/hello/index.html'],
      ['/posts/other', 'posts/other/index.html'],
    ] as const) {
      expect({ urlPath, same: readFileSync(path.join(out, file), 'utf8') === (await request(app).get(urlPath)).text }).toEqual({ urlPath, same: true });
    }
    expect(readFileSync(path.join(out, '404.html'), 'utf8')).toBe((await request(app).get('/no-such-page').set('Accept', 'text/html')).text);
    expect(readFileSync(path.join(out, '_lede/style.css'))).toEqual(readFileSync(path.join(PACKAGE_ROOT, 'public', 'style.css')));
    expect(readFileSync(path.join(out, MARKER), 'utf8')).not.toContain('/');
    expect(readFileSync(path.join(out, 'old-other/index.html'), 'utf8')).toContain('url=/posts/other');
  });
});

describe('safe targets (issue 19)', () => {
  const site = new TempContent();
  let siteConfig: Config;
  beforeAll(() => {
    site.post('kept.md', { title: 'Kept', publish_date: '2024-01-01' });
    site.write('_site.yml', 'title: Kept site\n');
    siteConfig = testConfig(site.dir, { env: 'production', siteUrl: SITE });
  });
  afterAll(() => site.cleanup());

  it('should refuse the content folder, even with a marker in it, and leave it as it was', async () => {
    writeFileSync(path.join(site.dir, MARKER), '');
    await expect(exportSite(siteConfig, site.dir)).rejects.toThrow(`refusing to export to ${site.dir}: it is the content folder ${site.dir}`);
    expect(readdirSync(site.dir).sort()).toEqual([MARKER, '_site.yml', 'kept.md']);
    rmSync(path.join(site.dir, MARKER));
  });

  it('should refuse a folder inside the content folder, or one that holds it, or the project and its theme', async () => {
    await expect(exportSite(siteConfig, path.join(site.dir, 'out'))).rejects.toThrow(/it is inside the content folder/);
    const parent = path.dirname(site.dir);
    await expect(exportSite(siteConfig, parent)).rejects.toThrow(/it holds the content folder/);
    await expect(exportSite(siteConfig, PACKAGE_ROOT)).rejects.toThrow(/it is the project folder/);
    await expect(exportSite(siteConfig, path.join(PACKAGE_ROOT, 'public'))).rejects.toThrow(/it is the theme assets folder/);
    await expect(exportSite(siteConfig, path.join(PACKAGE_ROOT, 'src'))).rejects.toThrow(/it is inside the project folder/);
    expect(existsSync(path.join(site.dir, 'out'))).toBe(false);
  });

  it('should judge a symlink by where it leads: refused into the content folder', async () => {
    const link = path.join(outRoot, 'link-to-content');
    symlinkSync(site.dir, link);
    await expect(exportSite(siteConfig, link)).rejects.toThrow(`refusing to export to ${site.dir} (${link} leads there): it is the content folder`);
    await expect(exportSite(siteConfig, path.join(link, 'sub'))).rejects.toThrow(/it is inside the content folder/);
    expect(readdirSync(site.dir).sort()).toEqual(['_site.yml', 'kept.md']);
  });

  it('should follow a symlinked target and replace the folder it leads to, keeping the link', async () => {
    const real = path.join(outRoot, 'real-site');
    const link = path.join(outRoot, 'current');
    await testWork(() => exportSite(siteConfig, real));
    writeFileSync(path.join(real, 'stale.html'), 'left over');
    symlinkSync(real, link);
    const again = await testWork(() => exportSite(siteConfig, link));
    expect(again.outDir).toBe(real);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(existsSync(path.join(real, 'stale.html'))).toBe(false);
    expect(existsSync(path.join(link, 'posts/kept/index.html'))).toBe(true);
  });

  it('should refuse a symlink that leads nowhere, saying so', async () => {
    const link = path.join(outRoot, 'dangling');
    symlinkSync(path.join(outRoot, 'no-such-folder'), link);
    await expect(exportSite(siteConfig, link)).rejects.toThrow(
      `${link} is a symlink to ${path.join(outRoot, 'no-such-folder')}, which does not exist; create that folder or remove the link`,
    );
  });
});

describe('an export that fails (issue 19)', () => {
  it('should leave the previous export in place, and no half-written folder beside it', async () => {
    const site = new TempContent();
    site.post('first.md', { title: 'First', publish_date: '2024-01-01' });
    const siteConfig = testConfig(site.dir, { env: 'production', siteUrl: SITE });
    const out = path.join(outRoot, 'kept');
    try {
      await testWork(() => exportSite(siteConfig, out));
      site.post('second.md', { title: 'Second', publish_date: '2024-01-02' });
      // A full disk is not the content's fault: the export stops, and readers keep the last good site.
      const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const spy = jest.spyOn(fsPromises, 'writeFile').mockImplementation(async (file) => {
        if (String(file).endsWith(path.join('posts', 'second', 'index.html'))) throw full;
      });
      await expect(exportSite(siteConfig, out)).rejects.toThrow('ENOSPC');
      spy.mockRestore();
      expect(existsSync(path.join(out, 'posts/first/index.html'))).toBe(true);
      expect(existsSync(path.join(out, 'posts/second'))).toBe(false);
      expect(readdirSync(outRoot).filter((name) => name.startsWith('kept'))).toEqual(['kept']);
    } finally {
      site.cleanup();
    }
  });
});
