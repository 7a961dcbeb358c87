/**
 * `npm run bench`: Lede against the real server, with its baselines measured
 * in the same run.
 *
 * The servers run as child processes pinned to CPU 0 and the load generator
 * (wrk when installed, else autocannon) to CPU 1, 64 connections, median of
 * the runs. Scenarios: the sample article (plain, gzip, br), a 304
 * revalidation, the index, a standalone page, a site-wide file, the archive
 * and a feed, each with 1 and with 10,000 posts; and
 * the naive design (read + parse + render per request).
 *
 * Each scenario is compared with plain node:http sending the same page's
 * bytes from memory, measured in the same run: its runs alternate with
 * Lede's, so a drift of the machine's speed (common on shared VMs) falls on
 * both alike.
 *
 * Search, with each folder: the queries of bench/search-queries.ts sent one
 * at a time over HTTP (latency per query, p50 and p99), the time from the
 * server's first answer until its index is built, and, in a child process of
 * its own, the index's build time and heap (bench/search-index.ts).
 *
 * Options: --runs N (3), --duration S (5), --quick (1 run of 2 s, 1,000 posts),
 * --port-base P (3902: ports P to P+8).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { addImageBundle, IMAGES_SLUG, makeContent, PAGE_PATH, SAMPLE_SLUG, STATIC_PATH } from './content.js';
import { makeVariants } from '../src/images/variants.js';
import { percentile, SEARCH_QUERIES } from './search-queries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const quick = flag('quick');
const RUNS = option('runs', quick ? 1 : 3);
const DURATION = option('duration', quick ? 2 : 5);
const MANY = option('posts', quick ? 1000 : 10_000);
const CONNECTIONS = 64;
/**
 * The first of the 9 ports the servers listen on (--port-base): two runs on
 * one machine (two worktrees) must not answer each other's load.
 */
const PORT_BASE = option('port-base', 3902);
const port = (n: number): number => PORT_BASE + n;

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const pin = has('taskset') && os.cpus().length >= 2;
const useWrk = has('wrk');
const SERVER_CPU = ['taskset', '-c', '0'];
const LOAD_CPU = ['taskset', '-c', '1'];

interface Result {
  name: string;
  posts: number | null;
  rps: number;
  p50: number;
  p99: number;
  /** Not a load run (the search rows): no node:http baseline. */
  note?: string;
  /** node:http sending the same bytes, in the runs alternating with these. */
  baselineRps?: number;
  ratio?: number;
}

/** Every server started, so none outlives the benchmark, even when it fails. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcess(cmd: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const full = pin ? [...SERVER_CPU, ...cmd] : cmd;
  // Logs go to a file, as in production (a pipe nobody reads would fill and stall).
  const log = openSync(path.join(os.tmpdir(), `lede-bench-${env.PORT ?? 'x'}.log`), 'w');
  const child = spawn(full[0]!, full.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** One load run; returns req/s and latency percentiles in ms. */
async function loadOnce(url: string, headers: Record<string, string>, seconds: number): Promise<{ rps: number; p50: number; p99: number }> {
  if (useWrk) {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
    const cmd = pin ? [...LOAD_CPU, 'wrk', ...args] : ['wrk', ...args];
    const out = execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out) ?? /Socket errors: (.*)/.exec(out);
    if (errors) throw new Error(`${url}: ${errors[0]}`);
    return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), p50: wrkLatency(out, '50%'), p99: wrkLatency(out, '99%') };
  }
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  if (result.non2xx > 0 && !headers['If-None-Match']) throw new Error(`${url}: ${result.non2xx} non-2xx responses (${JSON.stringify(result.statusCodeStats)})`);
  if (result.errors > 0) throw new Error(`${url}: ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function wrkLatency(out: string, percentile: string): number {
  const m = new RegExp(`${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(out);
  if (!m) return NaN;
  const value = Number(m[1]);
  return m[2] === 'us' ? value / 1000 : m[2] === 's' ? value * 1000 : value;
}

type Run = Awaited<ReturnType<typeof loadOnce>>;

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The median of RUNS runs, each followed by a run of `baselineUrl` (node:http
 * sending the same bytes) when given, so both see the machine as it is then.
 */
async function measure(name: string, posts: number | null, url: string, headers: Record<string, string> = {}, baselineUrl?: string): Promise<Result> {
  await loadOnce(url, headers, 1); // warm-up
  if (baselineUrl) await loadOnce(baselineUrl, {}, 1);
  const runs: Run[] = [];
  const baselineRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await loadOnce(url, headers, DURATION));
    if (baselineUrl) baselineRuns.push(await loadOnce(baselineUrl, {}, DURATION));
  }
  const result: Result = { name, posts, ...median(runs) };
  if (baselineUrl) {
    result.baselineRps = median(baselineRuns).rps;
    result.ratio = result.rps / result.baselineRps;
  }
  const vs = result.ratio === undefined ? '' : `, ${result.ratio.toFixed(2)}x node:http (${Math.round(result.baselineRps!)} req/s)`;
  console.error(`  ${name.padEnd(34)} ${posts ?? ''}\t${Math.round(result.rps)} req/s${vs}`);
  return result;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * Requests every article once, 32 at a time. A request on a keep-alive
 * connection that the server closed (it closes one after 1,000 requests) is
 * retried once and counted.
 */
async function requestAll(base: string, slugs: string[]): Promise<number> {
  let next = 0;
  let retries = 0;
  const get = async (slug: string, retry: boolean): Promise<void> => {
    try {
      const res = await fetch(`${base}/posts/${slug}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/posts/${slug}: ${res.status}`);
    } catch (err) {
      if (!retry || !(err instanceof TypeError)) throw err;
      retries++;
      await get(slug, false);
    }
  };
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < slugs.length) await get(slugs[next++]!, true);
    }),
  );
  return retries;
}

/** Access lines are off in the main runs (LOG_LEVEL=warn) and measured on their own in one row. */
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

/** Image variants of each run go to a folder of their own, removed with the run's content. */
let imageCacheDir = path.join(os.tmpdir(), 'lede-bench-images');

function startLede(contentDir: string, port: number, logLevel = LOG_LEVEL): ChildProcess {
  return startProcess(['node', 'dist/server.js'], { PORT: String(port), HOST: '127.0.0.1', CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: logLevel, IMAGE_CACHE_DIR: imageCacheDir });
}

const IMAGES_ARTICLE = `/posts/${IMAGES_SLUG}`;

/**
 * The article with five bundle images: on repeat requests (against node:http
 * sending its bytes), and the first request after an image is edited, which
 * must not wait for variants (they are made when first requested).
 */
async function benchImages(contentDir: string, images: string[], port: number, baselinePort: number, extra: Record<string, unknown>): Promise<Result> {
  const base = `http://127.0.0.1:${port}`;
  const child = startLede(contentDir, port);
  let baseline: ChildProcess | undefined;
  try {
    await waitFor(`${base}/`);
    await (await fetch(`${base}${IMAGES_ARTICLE}`)).arrayBuffer();
    baseline = await startBaseline(base, baselinePort, [IMAGES_ARTICLE]);
    const result = await measure('Lede: article with five bundle images', 1, `${base}${IMAGES_ARTICLE}`, {}, `http://127.0.0.1:${baselinePort}${IMAGES_ARTICLE}`);
    // An edit of the largest image: the page comes back without any variant being made.
    const sharp = (await import('sharp')).default;
    const edited = await sharp(images[0]!).modulate({ brightness: 1.1 }).jpeg({ quality: 85 }).toBuffer();
    writeFileSync(images[0]!, edited);
    let started = performance.now();
    const page = await (await fetch(`${base}${IMAGES_ARTICLE}`)).text();
    extra.imagesFirstPageAfterEditMs = +(performance.now() - started).toFixed(1);
    const variant = /(\/_img\/[^" ]*\/photo-1\.jpg\/1600-[0-9a-f]{16}\.avif) 1600w/.exec(page)?.[1];
    if (variant) {
      started = performance.now();
      await (await fetch(`${base}${variant}`)).arrayBuffer();
      extra.imagesFirstVariantMs = +(performance.now() - started).toFixed(1);
      started = performance.now();
      await (await fetch(`${base}${variant}`)).arrayBuffer();
      extra.imagesRepeatVariantMs = +(performance.now() - started).toFixed(1);
    }
    console.error(`  five images: first page after an edit ${extra.imagesFirstPageAfterEditMs} ms, first variant ${extra.imagesFirstVariantMs} ms, again ${extra.imagesRepeatVariantMs} ms`);
    return result;
  } finally {
    if (baseline) await stop(baseline);
    await stop(child);
  }
}

/** All the variants of a 4000 x 3000 JPEG, made in this process (median of 3). */
async function benchVariants(file: string, extra: Record<string, unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await makeVariants(file, { width: 4000, type: 'jpg' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  extra.variants4000x3000Ms = Math.round(times[1]!);
  console.error(`  variants of a 4000 x 3000 JPEG: ${extra.variants4000x3000Ms} ms (median of 3)`);
}

/** node:http sending, at each of `paths`, the bytes Lede sends there now (identity). */
async function startBaseline(ledeOrigin: string, port: number, paths: string[]): Promise<ChildProcess> {
  const child = startProcess(['node', '--import', 'tsx', 'bench/baseline-server.ts', ledeOrigin, String(port), ...paths], {});
  await waitFor(`http://127.0.0.1:${port}${paths[0]}`);
  return child;
}

const ARTICLE = `/posts/${SAMPLE_SLUG}`;

/** The article with an access line per request, written to a file as a production server would. */
async function benchAccessLog(contentDir: string, port: number, baselinePort: number): Promise<Result> {
  const child = startLede(contentDir, port, 'info');
  let baseline: ChildProcess | undefined;
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitFor(`${origin}/`);
    baseline = await startBaseline(origin, baselinePort, [ARTICLE]);
    return await measure('Lede: article, access log on (info)', 1, `${origin}${ARTICLE}`, {}, `http://127.0.0.1:${baselinePort}${ARTICLE}`);
  } finally {
    if (baseline) await stop(baseline);
    await stop(child);
  }
}

/** Rounds of SEARCH_QUERIES over HTTP, one request at a time (a latency per query, not a throughput under load). */
const SEARCH_ROUNDS = quick ? 5 : 25;

/** Waits until the server's search index is built (it answers 503 meanwhile); returns the wait in ms. */
async function waitForSearchIndex(base: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${base}/search.json?q=ready`);
    await res.arrayBuffer();
    if (res.status === 200) return performance.now() - started;
    if (res.status !== 503) throw new Error(`/search.json: ${res.status}`);
    if (performance.now() - started > 60_000) throw new Error('the search index was not built within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function benchSearchHttp(base: string, posts: number): Promise<Result> {
  const get = async (query: string, page: number): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${base}/search?q=${encodeURIComponent(query)}${page > 1 ? `&page=${page}` : ''}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/search?q=${query}: ${res.status}`);
    return performance.now() - t;
  };
  for (const query of SEARCH_QUERIES) await get(query, 1); // warm-up
  const times: number[] = [];
  const started = performance.now();
  for (let round = 0; round < SEARCH_ROUNDS; round++) for (const query of SEARCH_QUERIES) times.push(await get(query, 1 + (round % 3)));
  const result: Result = {
    name: 'Lede: search page, one query at a time',
    posts,
    rps: times.length / ((performance.now() - started) / 1000),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    note: `${times.length} queries, load average ${os.loadavg()[0]!.toFixed(1)}`,
  };
  console.error(`  ${result.name.padEnd(34)} ${posts}\tp50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
  return result;
}

/** The index alone, in a child process: build time as at start-up, heap held, query time without HTTP. */
function benchSearchIndex(contentDir: string): { posts: number; buildMs: number; heapMb: number; queries: number; p50: number; p99: number } {
  const cmd = ['node', '--expose-gc', '--import', 'tsx', 'bench/search-index.ts', contentDir, String(SEARCH_ROUNDS)];
  const out = execFileSync(pin ? SERVER_CPU[0]! : cmd[0]!, pin ? [...SERVER_CPU.slice(1), ...cmd] : cmd.slice(1), { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as ReturnType<typeof benchSearchIndex>;
}

async function benchLede(contentDir: string, posts: number, port: number, baselinePort: number, extra: Record<string, unknown>): Promise<Result[]> {
  const base = `http://127.0.0.1:${port}`;
  const child = startLede(contentDir, port);
  let baseline: ChildProcess | undefined;
  try {
    const startMs = await waitFor(`${base}/`);
    extra[`startMs_${posts}`] = Math.round(startMs);
    console.error(`Lede with ${posts} posts: first answer ${Math.round(startMs)} ms after spawn`);
    // The search index is built in the background from start-up; the load runs wait for it, so it does not share their CPU.
    extra[`searchIndexReadyMs_${posts}`] = Math.round(startMs + (await waitForSearchIndex(base)));
    console.error(`  search index ready ${extra[`searchIndexReadyMs_${posts}`]} ms after spawn`);
    const feed = await fetch(`${base}/feed.xml`);
    await feed.arrayBuffer();
    const pages = [ARTICLE, '/', PAGE_PATH, STATIC_PATH, '/archive', ...(feed.status === 200 ? ['/feed.xml'] : [])];
    baseline = await startBaseline(base, baselinePort, pages);
    const same = (page: string): string => `http://127.0.0.1:${baselinePort}${page}`;
    const article = `${base}${ARTICLE}`;
    const etag = (await fetch(article)).headers.get('etag')!;
    const results = [
      await measure('Lede: article', posts, article, {}, same(ARTICLE)),
      await measure('Lede: article, gzip', posts, article, { 'Accept-Encoding': 'gzip' }, same(ARTICLE)),
      await measure('Lede: article, br', posts, article, { 'Accept-Encoding': 'br' }, same(ARTICLE)),
      await measure('Lede: article, 304 revalidation', posts, article, { 'If-None-Match': etag }, same(ARTICLE)),
      await measure('Lede: index', posts, `${base}/`, {}, same('/')),
      await measure('Lede: page (/about)', posts, `${base}${PAGE_PATH}`, {}, same(PAGE_PATH)),
      await measure('Lede: static file (8 KB PNG)', posts, `${base}${STATIC_PATH}`, {}, same(STATIC_PATH)),
      await measure('Lede: archive', posts, `${base}/archive`, {}, same('/archive')),
    ];
    if (pages.includes('/feed.xml')) results.push(await measure('Lede: RSS feed', posts, `${base}/feed.xml`, {}, same('/feed.xml')));
    await stop(baseline);
    baseline = undefined;
    results.push(await benchSearchHttp(base, posts));
    if (posts > 1) {
      const slugs = [SAMPLE_SLUG, ...Array.from({ length: posts - 1 }, (_, i) => `post-${String(i + 1).padStart(5, '0')}`)];
      const before = rssMb(child.pid!);
      const started = performance.now();
      extra[`allArticlesRetries_${posts}`] = await requestAll(base, slugs);
      extra[`allArticlesMs_${posts}`] = Math.round(performance.now() - started);
      extra[`rssBeforeMb_${posts}`] = Math.round(before);
      extra[`rssAfterAllArticlesMb_${posts}`] = Math.round(rssMb(child.pid!));
      console.error(`  every article once: ${extra[`allArticlesMs_${posts}`]} ms; RSS ${Math.round(before)} MB -> ${extra[`rssAfterAllArticlesMb_${posts}`]} MB`);
    }
    return results;
  } finally {
    if (baseline) await stop(baseline);
    await stop(child);
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('run `npm run build` first');
  const work = mkdtempSync(path.join(os.tmpdir(), 'lede-bench-'));
  const extra: Record<string, unknown> = {};
  const results: Result[] = [];
  try {
    console.error(`load: ${useWrk ? 'wrk' : 'autocannon'}, ${CONNECTIONS} connections, ${RUNS} x ${DURATION} s, median; server ${pin ? 'on CPU 0, load on CPU 1' : 'unpinned'}`);
    imageCacheDir = path.join(work, 'image-cache');
    const one = makeContent(path.join(work, 'one'), ROOT, 1);
    const images = await addImageBundle(one);
    const many = makeContent(path.join(work, 'many'), ROOT, MANY);

    const naive = startProcess(['node', '--import', 'tsx', 'bench/naive-server.ts'], { PORT: String(port(1)), CONTENT_DIR: one, NODE_ENV: 'production' });
    await waitFor(`http://127.0.0.1:${port(1)}${ARTICLE}`);
    const naiveResult = await measure('naive: read + parse + render per request', null, `http://127.0.0.1:${port(1)}${ARTICLE}`);
    await stop(naive);

    results.push(...(await benchLede(one, 1, port(2), port(0), extra)));
    results.push(await benchAccessLog(one, port(4), port(6)));
    results.push(await benchImages(one, images, port(7), port(8), extra));
    await benchVariants(images[0]!, extra);
    results.push(...(await benchLede(many, MANY, port(3), port(5), extra)));
    const index = benchSearchIndex(many);
    extra[`searchIndex_${MANY}`] = { ...index, loadAverage: +os.loadavg()[0]!.toFixed(1) };
    console.error(`  search index, ${index.posts} posts: built in ${index.buildMs} ms, ${index.heapMb} MB of heap; in-process query p50 ${index.p50} ms, p99 ${index.p99} ms`);
    const article = results.find((r) => r.name === 'Lede: article' && r.posts === 1)!;
    // The naive design serves the same article: compare it with the article's baseline.
    naiveResult.baselineRps = article.baselineRps!;
    naiveResult.ratio = naiveResult.rps / article.baselineRps!;
    results.unshift(naiveResult);

    const date = new Date().toISOString().slice(0, 10);
    const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
    const table = [
      '| scenario | posts | req/s | p50 ms | p99 ms | node:http, same bytes | vs node:http |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        (r) =>
          `| ${r.name} | ${r.posts ?? ''} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.baselineRps === undefined ? '' : Math.round(r.baselineRps).toLocaleString('en-US')} | ${r.ratio === undefined ? (r.note ?? '') : r.ratio.toFixed(2)} |`,
      ),
    ].join('\n');
    const indexRow = results.find((r) => r.name === 'Lede: index' && r.posts === MANY);
    const summary = {
      date,
      machine,
      tool: useWrk ? 'wrk' : 'autocannon',
      logLevel: LOG_LEVEL,
      connections: CONNECTIONS,
      runs: RUNS,
      durationS: DURATION,
      articleVsNodeHttp: +article.ratio!.toFixed(3),
      articleVsNaive: +(article.rps / naiveResult.rps).toFixed(1),
      [`indexVsNodeHttp_${MANY}`]: indexRow ? +indexRow.ratio!.toFixed(3) : undefined,
      ...extra,
    };
    console.log(`\n${date}, ${machine}\n\n${table}\n`);
    console.log(JSON.stringify(summary, null, 2));
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify({ summary, results }, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
