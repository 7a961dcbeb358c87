/**
 * Search in a static export (docs/search.md, "In a static export"): the
 * index file the export writes (what it holds, its bound per post), the
 * engine's modules it copies for the browser, the search page, and the
 * engine run on that file answering as the live `/search.json` does, query
 * by query. test/browser/export-search.test.ts runs the same in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { PACKAGE_ROOT } from '../../src/config.js';
import { exportSite } from '../../src/cli/export-site.js';
import { cutText, engineModules, searchFolder, searchIndexFile, STATIC_TEXT_CHARS } from '../../src/cli/export-search.js';
import { MAX_QUERY_CHARS } from '../../src/routes/search.js';
import { RESULTS_PER_PAGE } from '../../src/search/site-search.js';
import { readStaticPage, readStaticQuery, STATIC_QUERY_CHARS, StaticSearch, type StaticIndexFile } from '../../src/search/static-search.js';
import { testWork, watchEventLoop } from '../helpers/loop-watch.js';
import { PARITY_QUERIES, writeSearchSite } from '../helpers/search-site.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

watchEventLoop();

const content = new TempContent();
const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-search-'));
const outDir = path.join(outRoot, 'site');
let live: LedeApp;
let file: StaticIndexFile;
/** The search folder the exported page names, as a path under the export: `_lede/search-<hash>`. */
let folder: string;

beforeAll(async () => {
  writeSearchSite(content);
  const config = testConfig(content.dir, { env: 'production', siteUrl: 'https://blog.example.com' });
  live = testApp(content, { env: 'production', siteUrl: 'https://blog.example.com' });
  await testWork(() => exportSite(config, outDir));
  folder = /data-search="\/(_lede\/search-[0-9a-f]{10})\/"/.exec(readFileSync(path.join(outDir, 'search', 'index.html'), 'utf8'))![1]!;
  file = JSON.parse(readFileSync(path.join(outDir, folder, 'index.json'), 'utf8')) as StaticIndexFile;
}, 180_000);

afterAll(() => {
  rmSync(outRoot, { recursive: true, force: true });
  content.cleanup();
});

describe('the index file (/_lede/search-<hash>/index.json)', () => {
  it('should hold every post and page readers can find, and no draft or future post', () => {
    const urls = file.documents.map((doc) => doc.url).sort();
    expect(urls).toEqual([...Array.from({ length: 12 }, (_, i) => `/posts/post-${i + 1}`), '/about'].sort());
    expect({ version: file.version, perPage: file.perPage, textChars: file.textChars }).toEqual({
      version: 1,
      perPage: RESULTS_PER_PAGE,
      textChars: STATIC_TEXT_CHARS,
    });
  });

  it("should hold each post's fields and its date as the page shows it", () => {
    const post = file.documents.find((doc) => doc.url === '/posts/post-2')!;
    expect(post).toMatchObject({ title: 'Open source models', tags: ['ai'], author: 'Test Author', description: 'Weights, licences and open source.' });
    expect(post.text).toMatch(/^Open source models are released with their weights\./);
    expect(post.date).toMatchObject({ date: '2024-05-02', text: '2 May 2024' });
    // A page is dated only when it says so, as in the live index.
    expect(file.documents.find((doc) => doc.url === '/about')!.date).toBeNull();
  });

  it('should be written with its precompressed copies', () => {
    for (const ext of ['.gz', '.br']) expect(existsSync(path.join(outDir, folder, `index.json${ext}`))).toBe(true);
  });

  it('should hold at most STATIC_TEXT_CHARS of a long post, cut between words', async () => {
    const long = new TempContent();
    try {
      long.post('long.md', { title: 'Long', publish_date: '2024-01-01' }, `${'wordy '.repeat(20_000)}lastword\n`);
      const app = testApp(long, { env: 'production' });
      const only = await searchIndexFile(app, 'en-GB');
      const text = only.documents[0]!.text;
      expect(text.length).toBeLessThanOrEqual(STATIC_TEXT_CHARS);
      expect(text.length).toBeGreaterThan(STATIC_TEXT_CHARS - 10);
      expect(text).toMatch(/^(wordy )*wordy$/);
      // The bound per post holds for the file: the text plus its few fields.
      expect(Buffer.byteLength(JSON.stringify(only))).toBeLessThan(STATIC_TEXT_CHARS + 1024);
    } finally {
      long.cleanup();
    }
  });

  it('should cut a text with no space at the bound itself', () => {
    expect(cutText('abcdef', 4)).toBe('abcd');
    expect(cutText('ab cd ef', 6)).toBe('ab cd');
    expect(cutText('short', 10)).toBe('short');
  });

  it('should be about the size of the text of the posts it holds', () => {
    const bytes = statSync(path.join(outDir, folder, 'index.json')).size;
    const texts = file.documents.reduce((sum, doc) => sum + doc.text.length, 0);
    // Fields and the dates beside the text: a few hundred bytes a post.
    expect(bytes).toBeLessThan(texts + file.documents.length * 400);
  });
});

describe('the engine the export copies (/_lede/search-<hash>/)', () => {
  const modules = engineModules();

  it('should be the static search and every module it imports, with MiniSearch dictionary beside them', () => {
    expect(modules.map((m) => m.path).sort()).toEqual(
      [
        'html/escape.js',
        'search/postings.js',
        'search/search-index.js',
        'search/snippet.js',
        'search/static-search.js',
        'search/terms.js',
        'vendor/searchable-map.js',
      ].sort(),
    );
    for (const m of modules) expect({ path: m.path, written: existsSync(path.join(outDir, folder, m.path)) }).toEqual({ path: m.path, written: true });
  });

  it('should import only files it copies, by relative paths (a browser resolves no package name)', () => {
    for (const m of modules) {
      for (const [, specifier] of m.body.matchAll(/\sfrom\s+'([^']+)'/g))
        expect({ path: m.path, specifier }).toEqual({ path: m.path, specifier: expect.stringMatching(/^\.\.?\//) });
      expect(m.body).not.toMatch(/sourceMappingURL/);
      expect(m.body).not.toMatch(/\sfrom\s+"/);
    }
    const index = modules.find((m) => m.path === 'search/search-index.js')!;
    expect(index.body).toContain("from '../vendor/searchable-map.js'");
  });

  it('should be named by a hash of the index and the engine, so a new export is never answered from a copy of the last', () => {
    const index = readFileSync(path.join(outDir, folder, 'index.json'), 'utf8');
    expect(`/${folder}`).toBe(searchFolder(index, modules));
    expect(searchFolder(`${index} `, modules)).not.toBe(`/${folder}`);
    expect(searchFolder(index, [...modules.slice(1), { ...modules[0]!, body: `${modules[0]!.body}\n` }])).not.toBe(`/${folder}`);
  });

  it('should cut a query and read a page as the live routes do', () => {
    expect(STATIC_QUERY_CHARS).toBe(MAX_QUERY_CHARS);
    expect(readStaticQuery(`  ${'😀'.repeat(300)}  `)).toBe('😀'.repeat(200));
    expect(readStaticQuery(null)).toBe('');
    expect([readStaticPage(null), readStaticPage('2'), readStaticPage('0'), readStaticPage('x'), readStaticPage('1e3')]).toEqual([
      1,
      2,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('the exported search page (/search/index.html)', () => {
  const html = (): string => readFileSync(path.join(outDir, 'search', 'index.html'), 'utf8');

  it('should load the search script as a module from this origin, and no inline script', () => {
    expect(html()).toContain(`<script type="module" src="/_lede/search.js" data-search="/${folder}/"></script>`);
    expect(html()).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(existsSync(path.join(outDir, '_lede', 'search.js'))).toBe(true);
  });

  it("should write Lede's page script when the site's assets folder has none, and a theme's own when it has one", async () => {
    for (const own of [undefined, "/* the theme's search */\n"]) {
      const site = new TempContent();
      const out = path.join(outRoot, `assets-${own ? 'theme' : 'none'}`);
      try {
        site.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
        site.write('assets/style.css', 'body { color: black; }\n');
        if (own) site.write('assets/search.js', own);
        const config = testConfig(site.dir, { env: 'production', siteUrl: 'https://blog.example.com', publicDir: path.join(site.dir, 'assets') });
        await testWork(() => exportSite(config, out));
        const expected = own ?? readFileSync(path.join(PACKAGE_ROOT, 'public', 'search.js'), 'utf8');
        expect(readFileSync(path.join(out, '_lede', 'search.js'), 'utf8')).toBe(expected);
      } finally {
        site.cleanup();
      }
    }
  }, 120_000);

  it('should tell readers without JavaScript that search needs it, and link to the archive', () => {
    expect(html()).toMatch(/<noscript><p class="search__status">Search needs JavaScript[^<]*<a href="\/archive">archive<\/a>/);
  });

  it("should keep the live page's form (a post links to /search?q=, and the crawl must not write the live page over it)", () => {
    expect(html()).toContain('action="/search"');
    expect(html()).toContain('id="search-title"');
  });
});

describe('the engine on the index file, against the live /search.json', () => {
  it.each(PARITY_QUERIES)('should find the same posts, in the same order, with the same snippets: %s', async (query) => {
    const search = new StaticSearch(file);
    const exported = search.search(query, 1);
    const reply = await request(live).get('/search.json').query({ q: query });
    expect(reply.status).toBe(200);
    const body = reply.body as { total: number; results: { url: string; title: string; date: string | null; snippet: string; score: number }[] };
    expect({
      total: exported.total,
      results: exported.hits.map((hit) => ({
        url: hit.url,
        title: hit.title,
        date: hit.date?.datetime ?? null,
        snippet: hit.snippet,
        score: Math.round(hit.score * 1000) / 1000,
      })),
    }).toEqual({ total: body.total, results: body.results });
  });

  it('should find something for most of the queries (the comparison compares results)', () => {
    const search = new StaticSearch(file);
    expect(PARITY_QUERIES.filter((q) => search.search(q, 1).total > 0).length).toBeGreaterThanOrEqual(PARITY_QUERIES.length - 1);
    expect(search.search('zzqqxx', 1).total).toBe(0);
  });

  it('should refuse an index file of another format', () => {
    expect(() => new StaticSearch({ ...file, version: 2 })).toThrow('search index format 2, expected 1');
  });
});
