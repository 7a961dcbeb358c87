/**
 * `npm run export`: the site written as files, then served by a real nginx
 * with deploy/nginx-static.conf. Every link in every page resolves, and every
 * page is byte for byte what the live server renders for the same path.
 *
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp, type LedeApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { exportSite, fileFor, htmlFileFor, internalPath, linksIn, MARKER, type ExportReport } from '../../src/cli/export-site.js';
import { get, localise, Nginx, readDeployConfig, sandbox } from '../helpers/nginx.js';
import { TempContent, testConfig } from '../helpers/site.js';

jest.setTimeout(30_000);

const SITE = 'https://blog.example.com';
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

beforeAll(async () => {
  for (let i = 1; i <= 12; i++) {
    const day = String(i).padStart(2, '0');
    // Post 1 has a formula: its page links KaTeX's stylesheet, which names the fonts.
    const math = i === 1 ? ' The area is $\\pi r^2$.' : '';
    content.post(`2024-03-${day}-post-${i}.md`, { title: `Post number ${i}`, author: 'Test Author' }, `Text of post ${i}, with a [link to the first post](/posts/post-1).${math}\n\n${'Enough words to compress well. '.repeat(30)}`);
  }
  content.write('bundle/index.md', '---\ntitle: A bundle\npublish_date: 2024-04-01\nheroImage: hero.svg\n---\n\n![A dot](dot.png)\n\n[Download the notes](notes.txt)\n');
  content.write('bundle/dot.png', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2b8a30000000049454e44ae426082', 'hex'));
  content.write('bundle/hero.svg', `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9" fill="#c33"/></svg>\n`);
  content.write('bundle/notes.txt', 'Notes that no page links to as a page.\n');
  content.write('bundle/unlinked.txt', 'A bundle file nothing links to is exported too.\n');
  content.post('pages/about.md', { title: 'About this blog' }, 'A standalone page, with the [site logo](/img/logo.png).\n');
  content.write('static/img/logo.png', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2b8a30000000049454e44ae426082', 'hex'));
  content.write('static/files/unlinked.pdf', '%PDF-1.4 nothing links here');
  content.post('draft.md', { title: 'A draft', publish_date: '2024-01-01', draft: true });
  content.post('future.md', { title: 'From the future', publish_date: '2999-01-01' });
  config = testConfig(content.dir, { env: 'production', siteUrl: SITE });
  live = createApp(config);
  report = await exportSite(config, outDir);
  await nginx.start((paths) =>
    sandbox(localise(readDeployConfig('nginx-static.conf'), [[/root \/var\/www\/lede;/, `root ${outDir};`]]), paths),
  );
});

afterAll(async () => {
  await nginx.stop();
  rmSync(outRoot, { recursive: true, force: true });
  content.cleanup();
});

describe('exportSite() (npm run export)', () => {
  it('should write every page as index.html under its path', () => {
    for (const file of ['index.html', 'page/2/index.html', 'posts/post-1/index.html', 'posts/post-12/index.html', 'posts/bundle/index.html', 'archive/index.html', 'about/index.html', '404.html']) {
      expect({ file, exists: existsSync(path.join(outDir, file)) }).toEqual({ file, exists: true });
    }
    expect(report.broken).toEqual([]);
  });

  it('should write bundle files and site-wide files, linked or not, and the theme assets', () => {
    for (const file of ['posts/bundle/dot.png', 'posts/bundle/hero.svg', 'posts/bundle/notes.txt', 'posts/bundle/unlinked.txt', 'img/logo.png', 'files/unlinked.pdf', 'assets/style.css', 'assets/favicon.svg']) {
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

  it('should replace an earlier export whole, and refuse a folder that is not one', async () => {
    const again = path.join(outRoot, 'again');
    await exportSite(config, again);
    writeFileSync(path.join(again, 'posts', 'stale-file.html'), 'left over');
    await exportSite(config, again);
    expect(existsSync(path.join(again, 'posts', 'stale-file.html'))).toBe(false);
    expect(existsSync(path.join(again, 'index.html'))).toBe(true);
    const foreign = path.join(outRoot, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'important.txt'), 'keep me');
    await expect(exportSite(config, foreign)).rejects.toThrow(/not an earlier Lede export/);
    expect(readFileSync(path.join(foreign, 'important.txt'), 'utf8')).toBe('keep me');
  });
});

describe('the export served by nginx (deploy/nginx-static.conf)', () => {
  const htmlFiles = (): string[] => walk(outDir).filter((f) => f.endsWith('index.html'));

  it("should write KaTeX's stylesheet and the fonts it names, and serve them cached for a year", async () => {
    const files = walk(outDir);
    const css = files.find((f) => /^assets\/katex-[0-9a-f]{10}\/katex\.min\.css$/.test(f));
    expect(css).toBeDefined();
    const fonts = files.filter((f) => f.startsWith(css!.replace('katex.min.css', 'fonts/')) && f.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThan(10);
    for (const file of [css!, fonts[0]!]) {
      const reply = await get(nginx.port, `/${file}`);
      expect({ file, status: reply.status, cacheControl: reply.headers['cache-control'] }).toEqual({ file, status: 200, cacheControl: 'public, max-age=31536000, immutable' });
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
    expect([...checked.keys()]).toEqual(expect.arrayContaining(['/', '/page/2', '/posts/post-1', '/posts/bundle/dot.png', '/posts/bundle/notes.txt', '/assets/style.css']));
  });

  it('should serve every page byte for byte as the live server renders it', async () => {
    const files = htmlFiles();
    expect(files.map(pathOfHtml).sort()).toEqual(
      [
        '/', '/page/2', // the index, 13 posts at 10 a page
        ...Array.from({ length: 12 }, (_, i) => `/posts/post-${i + 1}`), '/posts/bundle',
        '/tags', // no post has tags: an empty tag index
        '/authors/test-author', '/authors/test-author/page/2', '/authors/anonymous', // the bundle has the site's default author
        '/archive', '/about', // the archive and a standalone page
      ].sort(),
    );
    for (const file of files) {
      const urlPath = pathOfHtml(file);
      const [fromNginx, fromLede] = await Promise.all([get(nginx.port, urlPath), request(live).get(urlPath)]);
      expect({ urlPath, status: fromNginx.status }).toEqual({ urlPath, status: 200 });
      expect(fromNginx.headers['content-type']).toBe(fromLede.headers['content-type']);
      expect({ urlPath, same: fromNginx.body.toString('utf8') === fromLede.text }).toEqual({ urlPath, same: true });
    }
  });

  it('should serve bundle files, site-wide files, assets, feeds, the sitemap and robots.txt as the live server does', async () => {
    for (const urlPath of ['/posts/bundle/dot.png', '/posts/bundle/hero.svg', '/img/logo.png', '/files/unlinked.pdf', '/assets/style.css', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml', '/robots.txt']) {
      const [fromNginx, fromLede] = await Promise.all([get(nginx.port, urlPath), request(live).get(urlPath).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })]);
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
    expect(reply.headers['vary']).toBe('Accept-Encoding');
    expect(reply.raw.equals(readFileSync(path.join(outDir, 'posts/post-3/index.html.gz')))).toBe(true);
    expect(reply.body.toString()).toBe((await request(live).get('/posts/post-3')).text);
  });

  it('should answer an unknown path with the site\'s 404 page and status', async () => {
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
      const result = await exportSite(testConfig(site.dir, { env: 'production', siteUrl: SITE }), out);
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
