/**
 * A site exported and served both ways, for the tests that compare a static
 * export with the live server (test/browser/export-parity.test.ts): the
 * export served by nginx with deploy/nginx-static.conf, the same content
 * served live by the app. Also how static hosts read the export's `_headers`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type LedeApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { exportSite, MARKER, type ExportReport } from '../../src/cli/export-site.js';
import { HEADERS_FILE, NGINX_HTTP_FILE, NGINX_SERVER_FILE } from '../../src/cli/export-headers.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listen, recordProblems } from './browser.js';
import { testWork } from './loop-watch.js';
import { Nginx, staticSiteConf } from './nginx.js';
import { DIAGRAM_BODY, MATH_BODY } from './rich-bodies.js';
import { TempContent, testConfig } from './site.js';

export const SITE_URL = 'https://blog.example.com';

export { DIAGRAM_BODY, MATH_BODY } from './rich-bodies.js';

/**
 * A small site with a page of math, a page with a diagram, ordinary posts
 * (one with a bundle image) and a standalone page. Tests that need more
 * (search, another kind of page) add to `content` before `exportAndServe`.
 */
export function richSite(content = new TempContent()): TempContent {
  content.post('sums.md', { title: 'Sums and fractions', publish_date: '2024-03-03', tags: ['math'] }, MATH_BODY);
  content.post('flow.md', { title: 'How a request flows', publish_date: '2024-03-02', tags: ['diagrams'] }, DIAGRAM_BODY);
  content.post(
    'plain.md',
    { title: 'An ordinary post', publish_date: '2024-03-01' },
    'Plain words about a quiet day, and [a link to the sums](/posts/sums).\n',
  );
  content.post('older.md', { title: 'An older post', publish_date: '2024-02-01', tags: ['math'] }, 'Older words.\n');
  content.post('pages/about.md', { title: 'About' }, 'A standalone page about the blog.\n');
  return content;
}

/** An export served by nginx and the same content served live, on two loopback origins. */
export interface ServedBothWays {
  readonly config: Config;
  readonly outDir: string;
  readonly report: ExportReport;
  readonly app: LedeApp;
  /** `http://127.0.0.1:<port>` of nginx serving the export. */
  readonly exported: string;
  /** `http://127.0.0.1:<port>` of the live app. */
  readonly live: string;
  readonly nginx: Nginx;
  close(): Promise<void>;
}

/** Exports `content` (production, `SITE_URL`), serves it with nginx and deploy/nginx-static.conf, and serves it live. */
export async function exportAndServe(content: TempContent, overrides: Parameters<typeof testConfig>[1] = {}): Promise<ServedBothWays> {
  const config = testConfig(content.dir, { env: 'production', siteUrl: SITE_URL, ...overrides });
  const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-parity-'));
  const outDir = path.join(outRoot, 'site');
  const report = await testWork(() => exportSite(config, outDir));
  const nginx = new Nginx();
  await nginx.start(staticSiteConf(outDir));
  const app = createApp(config);
  const server = await listen(app);
  return {
    config,
    outDir,
    report,
    app,
    exported: `http://127.0.0.1:${nginx.port}`,
    live: server.origin,
    nginx,
    async close() {
      await server.close();
      app.store.close();
      app.pages.close();
      await nginx.stop();
      rmSync(outRoot, { recursive: true, force: true });
    },
  };
}

/** The export's own files, which answer no URL. */
const OWN_FILES = new Set([MARKER, HEADERS_FILE, NGINX_HTTP_FILE, NGINX_SERVER_FILE]);

/** Every file of an export that answers a URL (precompressed copies left out), with that URL's path. */
export function exportedFiles(outDir: string): { file: string; urlPath: string }[] {
  const walk = (prefix: string): string[] =>
    readdirSync(path.join(outDir, prefix), { withFileTypes: true }).flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? walk(rel) : [rel];
    });
  return walk('')
    .filter((file) => !/\.(gz|br)$/.test(file) && !OWN_FILES.has(file))
    .map((file) => ({
      file,
      urlPath:
        file === '404.html'
          ? '/404.html'
          : file.endsWith('index.html')
            ? `/${file.replace(/\/?index\.html$/, '')}`
            : `/${file.split('/').map(encodeURIComponent).join('/')}`,
    }))
    .sort((a, b) => (a.urlPath < b.urlPath ? -1 : 1));
}

/** The exported pages (HTML files), each with its URL path, the 404 page left out. */
export function exportedPages(outDir: string): string[] {
  return exportedFiles(outDir)
    .filter(({ file }) => file.endsWith('index.html'))
    .map(({ urlPath }) => urlPath);
}

/** One line of a `_headers` rule: a header set, or (Cloudflare Pages' `! Name`) one detached. */
type HeadersLine = { readonly name: string; readonly value: string } | { readonly detach: string };

/** A `_headers` file as rules, in order. */
export function parseHeadersFile(text: string): { pattern: string; lines: HeadersLine[] }[] {
  const rules: { pattern: string; lines: HeadersLine[] }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('/')) rules.push({ pattern: line.trim(), lines: [] });
    else if (/^\s+!\s*\S/.test(line)) rules.at(-1)!.lines.push({ detach: line.trim().slice(1).trim() });
    else if (/^\s+\S/.test(line)) {
      const [name, ...value] = line.trim().split(':');
      rules.at(-1)!.lines.push({ name: name!.trim(), value: value.join(':').trim() });
    }
  }
  return rules;
}

/** `/posts/:slug/*` as a regex: a placeholder is one segment, `*` anything. */
function matcher(pattern: string): RegExp {
  const source = pattern
    .split(/(:\w+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * The headers a host sends for `urlPath` from a `_headers` file, as each
 * documents it: Netlify keeps the last matching rule's value of a header and
 * skips lines without a colon; Cloudflare Pages joins the values of every
 * matching rule with a comma, and `! Name` detaches what earlier rules set.
 */
export function headersOnHost(text: string, urlPath: string, host: 'netlify' | 'cloudflare'): Map<string, string> {
  const headers = new Map<string, string>();
  for (const rule of parseHeadersFile(text)) {
    if (!matcher(rule.pattern).test(urlPath)) continue;
    for (const line of rule.lines) {
      if ('detach' in line) {
        if (host === 'cloudflare') headers.delete(line.detach);
      } else {
        const before = headers.get(line.name);
        headers.set(line.name, host === 'cloudflare' && before !== undefined ? `${before}, ${line.value}` : line.value);
      }
    }
  }
  return headers;
}

/** A page open in Chromium, with what went wrong on it so far. */
export interface OpenedPage {
  readonly page: Page;
  /** Console errors, page errors, failed requests and error statuses (test/helpers/browser.ts `recordProblems`). */
  readonly problems: string[];
  /** Each `securitypolicyviolation` event: the directive and what it blocked. */
  violations(): Promise<string[]>;
}

/**
 * Opens `origin + urlPath` in a fresh context, listening for CSP violations
 * from the first script on, and waits for fonts and a diagram, if the page
 * has one, to be drawn: what a reader sees once the page has settled.
 */
export async function openSettled(browser: Browser, origin: string, urlPath: string, contexts: BrowserContext[]): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, colorScheme: 'light' });
  contexts.push(context);
  const page = await context.newPage();
  const problems = recordProblems(page);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  const response = await page.goto(origin + urlPath, { waitUntil: 'load' });
  if (response?.status() !== 200) problems.push(`${response?.status()}: ${origin + urlPath}`);
  await page.evaluate(() => document.fonts.ready);
  // The diagram script draws a diagram when it nears the viewport: bring the first into view
  // (the test sites have diagrams near the top), then wait for every one to be drawn.
  const count = await page.locator('pre > code.language-mermaid').count();
  if (count > 0) {
    // (by the DOM: a diagram drawn meanwhile has replaced its source)
    await page.evaluate(() => document.querySelector('pre > code.language-mermaid, figure.diagram')?.scrollIntoView());
    await page.waitForFunction((n) => document.querySelectorAll('figure.diagram svg').length >= n, count, { timeout: 30_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.waitForLoadState('networkidle');
  return {
    page,
    problems,
    violations: () => page.evaluate(() => [...(window as unknown as { cspViolations: string[] }).cspViolations]),
  };
}
