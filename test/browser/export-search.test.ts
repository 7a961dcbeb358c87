/**
 * Search in a static export, in Chromium (docs/search.md, "In a static
 * export"): a site of a dozen posts exported, served by nginx with
 * deploy/nginx-static.conf, and its `/search?q=` page compared with the live
 * server's for a few queries (a word, a prefix, several words, a typo, a
 * word no post has, a page past the last): the same results in the same
 * order as `/search.json`, laid out as the live page lays them out, with no
 * policy violation, no failed request and no request to another origin.
 * Without JavaScript the page says search needs it.
 *
 * @requires chromium
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { exportSite } from '../../src/cli/export-site.js';
import { launchChromium, listen, recordProblems } from '../helpers/browser.js';
import { testWork } from '../helpers/loop-watch.js';
import { Nginx, staticSiteConf } from '../helpers/nginx.js';
import { writeSearchSite } from '../helpers/search-site.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

const SITE = 'https://blog.example.com';
/** A word, a prefix, several words, a typo, accents, a word no post has. */
const QUERIES = ['kubernetes', 'archit', 'open source models', 'kubernetse', 'cafe', 'zzqqxx'] as const;
/** Time for a page and its script on a busy machine. */
const WAIT_MS = 30_000;

const content = new TempContent();
const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-search-browser-'));
const outDir = path.join(outRoot, 'site');
const nginx = new Nginx();
let live: LedeApp;
let liveOrigin: string;
let closeLive: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  writeSearchSite(content);
  await testWork(() => exportSite(testConfig(content.dir, { env: 'production', siteUrl: SITE }), outDir));
  await nginx.start(staticSiteConf(outDir));
  live = testApp(content, { env: 'production', siteUrl: SITE });
  ({ origin: liveOrigin, close: closeLive } = await listen(live));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await closeLive?.();
  await nginx.stop();
  rmSync(outRoot, { recursive: true, force: true });
  content.cleanup();
});

/** What a reader sees of a search page: title, heading, status, each result (its link, title, date, snippet), the pages. */
function readSearchPage(page: Page) {
  return page.evaluate(() => ({
    title: document.title,
    heading: document.querySelector('#search-title')?.textContent ?? null,
    inputs: [...document.querySelectorAll<HTMLInputElement>('input[name="q"]')].map((input) => input.value),
    status: [...document.querySelectorAll('section.search > .search__status')].map((p) => p.textContent),
    results: [...document.querySelectorAll('ol.search-results > li.search-result')].map((li) => ({
      href: li.querySelector('h2.search-result__title > a')?.getAttribute('href') ?? null,
      title: li.querySelector('h2.search-result__title')?.textContent ?? null,
      datetime: li.querySelector('p.meta > time')?.getAttribute('datetime') ?? null,
      date: li.querySelector('p.meta > time')?.textContent ?? null,
      snippet: li.querySelector('p.search-result__snippet')?.innerHTML ?? null,
    })),
    pagination: document.querySelector('nav.pagination')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
  }));
}

/** Opens the exported search page for `query` and waits for its answer; `problems` collects what went wrong. */
async function exportedSearch(query: string, extra = ''): Promise<{ page: Page; problems: string[]; foreign: string[] }> {
  const page = await browser.newPage();
  const problems = recordProblems(page);
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).origin !== `http://127.0.0.1:${nginx.port}`) foreign.push(req.url());
  });
  await page.goto(`http://127.0.0.1:${nginx.port}/search?q=${encodeURIComponent(query)}${extra}`);
  await page.waitForSelector('section.search:not([aria-busy]) > .search__status', { timeout: WAIT_MS });
  return { page, problems, foreign };
}

async function liveSearch(query: string, extra = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${liveOrigin}/search?q=${encodeURIComponent(query)}${extra}`);
  return page;
}

describe('the exported search page in Chromium, against the live one', () => {
  it.each(QUERIES)('should show the results of the live /search.json, in its order, laid out as the live page: %s', async (query) => {
    const json = await request(live).get('/search.json').query({ q: query });
    const exported = await exportedSearch(query);
    const livePage = await liveSearch(query);
    try {
      const seen = await readSearchPage(exported.page);
      expect(seen.results.map((r) => r.href)).toEqual((json.body as { results: { url: string }[] }).results.map((r) => r.url));
      expect(seen).toEqual(await readSearchPage(livePage));
      expect({ problems: exported.problems, foreign: exported.foreign }).toEqual({ problems: [], foreign: [] });
    } finally {
      await exported.page.close();
      await livePage.close();
    }
  });

  it('should find something for every query but the word no post has (the comparison compares results)', async () => {
    for (const query of QUERIES) {
      const json = await request(live).get('/search.json').query({ q: query });
      expect({ query, found: (json.body as { total: number }).total > 0 }).toEqual({ query, found: query !== 'zzqqxx' });
    }
  });

  it('should say what the live page says for a page past the last', async () => {
    const exported = await exportedSearch('garden', '&page=2');
    const livePage = await liveSearch('garden', '&page=2');
    try {
      expect(await readSearchPage(exported.page)).toEqual(await readSearchPage(livePage));
      expect(exported.problems).toEqual([]);
    } finally {
      await exported.page.close();
      await livePage.close();
    }
  });

  it('should answer the search form in the header of an exported post', async () => {
    const page = await browser.newPage();
    const problems = recordProblems(page);
    try {
      await page.goto(`http://127.0.0.1:${nginx.port}/posts/post-1`);
      await page.fill('#site-search-q', 'garden');
      await Promise.all([page.waitForURL(/\/search\?q=garden$/, { timeout: WAIT_MS }), page.press('#site-search-q', 'Enter')]);
      await page.waitForSelector('section.search:not([aria-busy]) > .search__status', { timeout: WAIT_MS });
      const seen = await readSearchPage(page);
      expect(seen.results.length).toBeGreaterThan(0);
      expect(seen.results[0]!.snippet).toContain('<mark>garden</mark>');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('should say that search needs JavaScript, and link to the archive, when JavaScript is off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${nginx.port}/search?q=garden`);
      const notice = page.locator('section.search noscript p.search__status, section.search p.search__status');
      await expect(notice.first().isVisible()).resolves.toBe(true);
      expect(await notice.first().textContent()).toMatch(/^Search needs JavaScript/);
      expect(await page.locator('section.search a[href="/archive"]').count()).toBe(1);
      expect(await page.locator('ol.search-results').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
