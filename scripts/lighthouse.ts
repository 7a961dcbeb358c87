/**
 * `npm run lighthouse`: Lighthouse 12 (the last that runs on Node 20) against
 * the real server, started here on a temporary copy of content/, in Debian's
 * Chromium. Prints the four category scores for the index, the first
 * article and a page with math (a post with formulas added to the copy), in
 * the light and then the dark colour scheme, and exits non-zero when one is
 * under its target.
 *
 * The scheme is the reader's `prefers-color-scheme`: Lighthouse has no
 * setting for it, so each scheme gets its own Chromium, the dark one started
 * with `--blink-settings=preferredColorScheme=0` (Blink's enum: 0 is dark).
 *
 * The machine has no internet, so remote images (a post's hero may come from
 * any host; the sample's are in its bundle) would fail and drag the scores down for reasons that are not
 * Lede's. Every host but our own is therefore resolved by Chromium to a small
 * local HTTPS server (`--host-resolver-rules`, a self-signed certificate made
 * at run time, `--ignore-certificate-errors`) that answers with an image of
 * the size the page asks for: the scores measure Lede, not the network.
 *
 * Options: `--url <origin>` audits a running server instead (no stand-in,
 * no math page); `--desktop` uses Lighthouse's desktop settings instead of
 * its mobile ones; `--scheme light|dark` audits one scheme only; `--accent
 * <#hex>` sets the copy's `accent_color`, so a brand colour's palette
 * (src/render/palette.ts) is what is audited (docs/themes.md records a run
 * with `--accent "#0b6e4f"`); `--page index|article|math` audits one page;
 * `--runs <n>` audits each page n times and reports the run of median
 * performance, every run's score and the median run's metrics (a shared
 * machine's load moves the blocking time by a second); `--save <folder>`
 * writes each run's Lighthouse JSON there, for the audits behind a score.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { generate } from 'selfsigned';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { gradientPng } from '../test/helpers/png.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The targets of issue 7, as Lighthouse scores (0-100). */
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 } as const;
type Category = keyof typeof TARGETS;
const CATEGORIES = Object.keys(TARGETS) as Category[];

type Scheme = 'light' | 'dark';
const SCHEMES: readonly Scheme[] = ['light', 'dark'];
/** Chromium's flags for a scheme: the dark one sets Blink's preferred scheme (0 = dark). */
const SCHEME_FLAGS: Record<Scheme, string[]> = { light: ['--blink-settings=preferredColorScheme=1'], dark: ['--blink-settings=preferredColorScheme=0'] };

/** A post with inline and display math, audited as the "math" page (KaTeX's stylesheet and fonts load). */
const MATH_POST = `---
title: Sums and averages
publish_date: 2000-01-01
description: Inline and display formulas, rendered on the server with KaTeX.
---

The mean of $n$ values is $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$, and it costs nothing: not $5, not $10.

$$
\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}
$$

Gauss found the second one as a schoolboy, or so the story goes.
`;

interface PageResult {
  name: string;
  scheme: Scheme;
  url: string;
  scores: Record<Category, number>;
  /** Audits that cost points, for the categories under target. */
  failing: string[];
  /** Requests to other hosts (the stand-in answers them) and how many succeeded. */
  remote: { total: number; ok: number };
  /** The performance of each run, when a page was run more than once (`--runs`). */
  runs?: number[];
  /** Lighthouse's metrics of the run, in ms (layout shift unitless). */
  metrics: Record<string, number>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      desktop: { type: 'boolean', default: false },
      scheme: { type: 'string' },
      accent: { type: 'string' },
      runs: { type: 'string', default: '1' },
      save: { type: 'string' },
      page: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 15) throw new Error(`--runs must be a whole number from 1 to 15, not ${values.runs}`);
  if (values.save) mkdirSync(values.save, { recursive: true });
  if (values.accent !== undefined && !/^#[0-9a-f]{3,8}$/i.test(values.accent))
    throw new Error(`--accent must be a hex colour such as #0b6e4f, not ${values.accent}`);
  if (values.accent !== undefined && values.url) throw new Error('--accent sets the audited copy of content/; a running server (--url) has its own settings');
  if (values.scheme !== undefined && !SCHEMES.includes(values.scheme as Scheme)) throw new Error(`--scheme must be light or dark, not ${values.scheme}`);
  const schemes = values.scheme ? [values.scheme as Scheme] : SCHEMES;
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    let origin: string;
    let articlePath: string;
    let mathPath: string | undefined;
    const chromeFlags = [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ];

    if (values.url) {
      origin = values.url.replace(/\/+$/, '');
      articlePath = await firstArticlePath(origin);
    } else {
      const lede = await startLede(values.accent);
      cleanups.push(lede.close);
      origin = lede.origin;
      articlePath = lede.articlePath;
      mathPath = lede.mathPath;
      const standIn = await startImageStandIn();
      cleanups.push(standIn.close);
      // Every name resolves to the stand-in, except our own server's address.
      chromeFlags.push(`--host-resolver-rules=MAP * 127.0.0.1:${standIn.port}, EXCLUDE 127.0.0.1`, '--ignore-certificate-errors');
    }

    const pages: [string, string][] = [
      ['index', '/'],
      ['article', articlePath],
    ];
    if (mathPath) pages.push(['math', mathPath]);
    const audited = values.page ? pages.filter(([name]) => name === values.page) : pages;
    if (!audited.length) throw new Error(`--page must be one of ${pages.map(([name]) => name).join(', ')}, not ${values.page}`);
    const results: PageResult[] = [];
    for (const scheme of schemes) {
      const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: [...chromeFlags, ...SCHEME_FLAGS[scheme]], logLevel: 'silent' });
      try {
        for (const [name, pagePath] of audited) {
          const each: PageResult[] = [];
          for (let n = 1; n <= runs; n++) {
            const lhr = await run(origin + pagePath, chrome.port, values.desktop ?? false);
            if (values.save) writeFileSync(path.join(values.save, `${name}-${scheme}-${n}.json`), JSON.stringify(lhr));
            each.push(summarise(name, scheme, origin + pagePath, lhr));
          }
          results.push(median(each));
        }
      } finally {
        chrome.kill();
      }
    }
    return report(results, values.desktop ? 'desktop' : 'mobile');
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

type Lhr = Awaited<ReturnType<typeof run>>;

/** The run of median performance among a page's runs (the other scores are 100 or not whatever the load), with every run's performance beside it. */
function median(each: PageResult[]): PageResult {
  const sorted = [...each].sort((a, b) => a.scores.performance - b.scores.performance);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return each.length > 1 ? { ...mid, runs: each.map((r) => r.scores.performance) } : mid;
}

function summarise(name: string, scheme: Scheme, url: string, lhr: Lhr): PageResult {
  const scores = {} as Record<Category, number>;
  const failing: string[] = [];
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    const score = Math.round((category?.score ?? 0) * 100);
    scores[id] = score;
    if (score >= TARGETS[id] || !category) continue;
    for (const ref of category.auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a && a.score !== null && a.score < 1) failing.push(`${id}: ${a.id} (${a.title}) ${a.displayValue ?? ''}`.trim());
    }
  }
  const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; statusCode: number }[] } | undefined)?.items ?? [];
  const remoteRequests = requests.filter((r) => new URL(r.url).origin !== new URL(url).origin && !r.url.startsWith('data:'));
  const remote = { total: remoteRequests.length, ok: remoteRequests.filter((r) => r.statusCode === 200).length };
  const metricItems = (lhr.audits.metrics?.details as { items?: Record<string, number>[] } | undefined)?.items?.[0] ?? {};
  const metrics: Record<string, number> = {};
  for (const key of ['firstContentfulPaint', 'largestContentfulPaint', 'speedIndex', 'totalBlockingTime', 'cumulativeLayoutShift'])
    if (typeof metricItems[key] === 'number') metrics[key] = metricItems[key];
  return { name, scheme, url, scores, failing, remote, metrics };
}

/**
 * One Lighthouse run. A trace that lost its navigation start (`NO_NAVSTART`,
 * `NO_FCP`: "Please run Lighthouse again") happens now and then on a busy
 * machine and says nothing about the page, so such a run is tried once more.
 */
async function run(url: string, port: number, desktop: boolean) {
  for (let attempt = 1; ; attempt++) {
    const runner = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES }, desktop ? desktopConfig : undefined);
    if (!runner) throw new Error(`Lighthouse returned no result for ${url}`);
    const { lhr } = runner;
    if (!lhr.runtimeError) return lhr;
    if (attempt < 2 && /^NO_(NAVSTART|FCP|LCP|TRACING_STARTED)$/.test(lhr.runtimeError.code)) continue;
    throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
  }
}

function report(results: PageResult[], formFactor: string): number {
  console.log(`Lighthouse ${formFactor}, ${new Date().toISOString().slice(0, 10)} (targets: ${CATEGORIES.map((c) => `${c} ${TARGETS[c]}`).join(', ')})`);
  console.log(['page'.padEnd(9), 'scheme'.padEnd(7), ...CATEGORIES.map((c) => c.padStart(15))].join(''));
  let under = 0;
  for (const r of results) {
    console.log([r.name.padEnd(9), r.scheme.padEnd(7), ...CATEGORIES.map((c) => `${r.scores[c] < TARGETS[c] ? '!' : ''}${r.scores[c]}`.padStart(15))].join(''));
    for (const c of CATEGORIES) if (r.scores[c] < TARGETS[c]) under++;
  }
  for (const r of results) {
    console.log(`  ${r.name} (${r.scheme}): ${r.url}; requests to other hosts: ${r.remote.total}, answered ${r.remote.ok}`);
    if (r.runs) console.log(`    performance of ${r.runs.length} runs: ${r.runs.join(', ')} (the median run's figures shown)`);
    const m = r.metrics;
    console.log(
      `    FCP ${ms(m.firstContentfulPaint)}, LCP ${ms(m.largestContentfulPaint)}, Speed Index ${ms(m.speedIndex)}, TBT ${ms(m.totalBlockingTime)}, CLS ${m.cumulativeLayoutShift?.toFixed(3) ?? '?'}`,
    );
    for (const f of r.failing) console.log(`    ${f}`);
  }
  if (under) console.error(`${under} score(s) under target.`);
  return under ? 1 : 0;
}

function ms(value: number | undefined): string {
  return value === undefined ? '?' : `${Math.round(value)} ms`;
}

/** Lede in production mode on a copy of content/, on a free loopback port. */
async function startLede(accent: string | undefined): Promise<{ origin: string; articlePath: string; mathPath: string; close: () => Promise<void> }> {
  const contentDir = mkdtempSync(path.join(tmpdir(), 'lede-lighthouse-'));
  cpSync(path.join(ROOT, 'content'), contentDir, { recursive: true });
  if (accent) appendFileSync(path.join(contentDir, '_site.yml'), `\naccent_color: "${accent}"\n`);
  // Dated long ago, so the first article stays the sample's newest post.
  writeFileSync(path.join(contentDir, 'lighthouse-math.md'), MATH_POST);
  const server = createHttpServer();
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({ CONTENT_DIR: contentDir, NODE_ENV: 'production', SITE_URL: origin, PORT: String(port), LOG_LEVEL: 'silent' });
  const app = createApp(config);
  server.on('request', app);
  const view = await app.store.view();
  const first = view.posts[0];
  if (!first) throw new Error('content/ has no published post to audit');
  return {
    origin,
    articlePath: `/posts/${first.slug}`,
    mathPath: '/posts/lighthouse-math',
    close: async () => {
      await close(server);
      rmSync(contentDir, { recursive: true, force: true });
    },
  };
}

/** An HTTPS server answering every request with a 1600×900 image, like a CDN would. */
async function startImageStandIn(): Promise<{ port: number; close: () => Promise<void> }> {
  const pems = await generate([{ name: 'commonName', value: 'lede-image-stand-in' }], { keySize: 2048, algorithm: 'sha256' });
  const image = gradientPng(1600, 900);
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length, 'cache-control': 'public, max-age=31536000, immutable' });
    res.end(image);
  });
  const port = await listen(server);
  return { port, close: () => close(server) };
}

/** For `--url`: the first article linked from the index. */
async function firstArticlePath(origin: string): Promise<string> {
  const html = await (await fetch(`${origin}/`)).text();
  const match = /href="(\/posts\/[^"/]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no article link on ${origin}/`);
  return match[1];
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
