/**
 * `npm run bench`: Lede against the real server, with its baselines measured
 * in the same run.
 *
 * The servers run as child processes pinned to CPU 0 and the load generator
 * (wrk when installed, else autocannon) to CPU 1, 64 connections, medians
 * of 9 pairs of 2-s turns. Scenarios: the sample article (plain, gzip, br), a 304
 * revalidation, the index, a standalone page, a site-wide file, the archive
 * and a feed, each with 1 and with 10,000 posts; and
 * the naive design (read + parse + render per request).
 *
 * Each scenario is compared with plain node:http sending the same page's
 * bytes from memory, measured in the same run: its turns alternate with
 * Lede's, and each ratio is the median of the pairs' own ratios, so a drift
 * of the machine's speed (common on shared VMs) falls on both alike.
 *
 * Also: the defaults (an access line per request) against silent in the
 * same run, the first request after an edit, the index after a new post, and
 * each server's CPU time per request (from /proc: user + system, all threads).
 *
 * Search, with each folder: the queries of bench/search-queries.ts sent one
 * at a time over HTTP (latency per query, p50 and p99), the time from the
 * server's first answer until its index is built, and, in a child process of
 * its own, the index's build time and heap (bench/search-index.ts).
 *
 * Options: --runs N (pairs of turns, 9), --duration S (a turn, 2), --quick (1 pair, 1,000 posts),
 * --port-base P (3902: ports P to P+13),
 * --large (also 100,000 posts of 8 KB: start, memory, index, a tag page, check;
 * --large-dir DIR generates them there once and reuses them; --large-only
 * runs only that, into bench/results/large.json), --cold-only (only the cold
 * path: the first request after an edit, with 1 and with 10,000 posts, and
 * the index after a new post; into bench/results/cold.json; CONTENT_WATCH is
 * passed on, so `CONTENT_WATCH=poll` measures the polling store),
 * --only WORDS (comma-separated: only the load rows whose name contains one
 * of them, e.g. `--only article,index`, with their baselines; no naive,
 * images, search, cold-path or every-article rows unless named; for iterating).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { addImageBundle, IMAGES_SLUG, makeContent, PAGE_PATH, SAMPLE_FILE, SAMPLE_SLUG, STATIC_PATH } from './content.js';
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
/** --only: the words a load row's name must contain one of; undefined: every row. */
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',').map((word) => word.trim().toLowerCase()) : undefined;
const wanted = (name: string): boolean => ONLY === undefined || ONLY.some((word) => name.toLowerCase().includes(word));
/** Pairs of turns per row (--runs), each turn DURATION seconds (--duration). */
const RUNS = option('runs', quick ? 1 : 9);
const DURATION = option('duration', 2);
const MANY = option('posts', quick ? 1000 : 10_000);
const CONNECTIONS = 64;
/**
 * The first of the 14 ports the servers listen on (--port-base): two runs on
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

/**
 * Runs `measure` with this process (every thread) on the load's CPU, then
 * gives it every CPU back: a latency measured from here (the cold path) must
 * not have the client's parsing and decompressing share the server's CPU.
 */
async function onLoadCpu<T>(measure: () => Promise<T>): Promise<T> {
  if (!pin) return measure();
  // "pid N's current affinity list: 0,1": given back as it was, not widened to every CPU.
  const before = execFileSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' })
    .trim()
    .split(': ')
    .pop()!;
  execFileSync('taskset', ['-a', '-p', '-c', LOAD_CPU[2]!, String(process.pid)], { stdio: 'ignore' });
  try {
    return await measure();
  } finally {
    execFileSync('taskset', ['-a', '-p', '-c', before, String(process.pid)], { stdio: 'ignore' });
  }
}

/** Edits in the cold-path rows: enough that the p50 moves by less than a tenth of a millisecond between runs. */
const COLD_EDITS = quick ? 10 : 100;

interface Result {
  name: string;
  posts: number | null;
  rps: number;
  p50: number;
  p99: number;
  /** Not a load run (the search rows): no node:http baseline. */
  note?: string;
  /** CPU time of the server process (user + system, all its threads) per request, in µs. */
  cpuUs?: number;
  /** node:http sending the same bytes, in the runs alternating with these. */
  baselineRps?: number;
  baselineCpuUs?: number;
  /** The median of each pair's req/s ratio (Lede over node:http). */
  ratio?: number;
  /** The median of each pair's CPU µs ratio (Lede over node:http). */
  cpuRatio?: number;
  /** Each pair in order: req/s and CPU µs per request of the target, then of node:http (in the JSON only). */
  pairs?: [number, number, number, number][];
}

/** The server's CPU time so far (user + system, every thread), in µs, from /proc. */
function cpuTimeUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined; // not Linux
  }
}
/** USER_HZ: 100 on every Linux that Node runs on. */
const CLOCK_TICKS = 100;

/** Every server started, so none outlives the benchmark, even when it fails. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcess(cmd: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const full = pin ? [...SERVER_CPU, ...cmd] : cmd;
  // Logs go to a file, as in production (a pipe nobody reads would fill and stall).
  const log = openSync(path.join(os.tmpdir(), `lede-bench-${env.PORT ?? 'x'}.log`), 'w');
  // A variable given as undefined is left out (spawn would pass the string "undefined").
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn(full[0]!, full.slice(1), { cwd: ROOT, env: merged, stdio: ['ignore', log, 'inherit'] });
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

/** One load run; returns req/s, latency percentiles in ms, and the server's CPU µs per request when its pid is given. */
async function loadOnce(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  pid?: number,
): Promise<{ rps: number; p50: number; p99: number; cpuUs: number }> {
  const cpuBefore = cpuTimeUs(pid);
  const run = await loadOnceUnmeasured(url, headers, seconds);
  const cpuAfter = cpuTimeUs(pid);
  const cpuUs = cpuBefore === undefined || cpuAfter === undefined ? NaN : (cpuAfter - cpuBefore) / run.requests;
  return { rps: run.rps, p50: run.p50, p99: run.p99, cpuUs };
}

async function loadOnceUnmeasured(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<{ rps: number; p50: number; p99: number; requests: number }> {
  if (useWrk) {
    const args = [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '--latency',
      ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      url,
    ];
    const cmd = pin ? [...LOAD_CPU, 'wrk', ...args] : ['wrk', ...args];
    const out = execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out) ?? /Socket errors: (.*)/.exec(out);
    if (errors) throw new Error(`${url}: ${errors[0]}`);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]),
      p50: wrkLatency(out, '50%'),
      p99: wrkLatency(out, '99%'),
      requests: Number(/(\d+) requests in/.exec(out)![1]),
    };
  }
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  if (result.non2xx > 0 && !headers['If-None-Match']) throw new Error(`${url}: ${result.non2xx} non-2xx responses (${JSON.stringify(result.statusCodeStats)})`);
  if (result.errors > 0) throw new Error(`${url}: ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
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

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A server under test: where to send requests, and its process (for its CPU time). */
interface Target {
  url: string;
  pid?: number | undefined;
  headers?: Record<string, string>;
}

/**
 * RUNS pairs of turns: a run of the target and, when given, a run of
 * `baseline` (node:http sending the same bytes) beside it, in turn first and
 * second (ABBA), so that a drift of the machine's speed falls on both alike.
 * The ratios are the medians of each pair's own ratio: on this machine two
 * turns side by side move together, so a pair's ratio spreads less than
 * either server's figures (4.1% against 6.9% and 7.5% in 40 pairs; docs/
 * performance.md, "How to read the bench"). req/s, the latencies
 * and CPU µs per request are the medians of each server's turns.
 */
async function measure(name: string, posts: number | null, target: Target, baseline?: Target): Promise<Result> {
  const headers = target.headers ?? {};
  // A fresh server's first seconds under load are slower (its code still being optimised): its warm-up is longer.
  await loadOnce(target.url, headers, 2);
  if (baseline) await loadOnce(baseline.url, {}, 1);
  const runs: Run[] = [];
  const baselineRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const baselineFirst = i % 2 === 1;
    if (baseline && baselineFirst) baselineRuns.push(await loadOnce(baseline.url, {}, DURATION, baseline.pid));
    runs.push(await loadOnce(target.url, headers, DURATION, target.pid));
    if (baseline && !baselineFirst) baselineRuns.push(await loadOnce(baseline.url, {}, DURATION, baseline.pid));
  }
  const result: Result = { name, posts, ...median(runs), cpuUs: medianOf(runs.map((r) => r.cpuUs)) };
  if (baseline) {
    result.baselineRps = median(baselineRuns).rps;
    result.baselineCpuUs = medianOf(baselineRuns.map((r) => r.cpuUs));
    result.ratio = medianOf(runs.map((r, i) => r.rps / baselineRuns[i]!.rps));
    result.cpuRatio = medianOf(runs.map((r, i) => r.cpuUs / baselineRuns[i]!.cpuUs));
    result.pairs = runs.map((r, i) => [Math.round(r.rps), +r.cpuUs.toFixed(2), Math.round(baselineRuns[i]!.rps), +baselineRuns[i]!.cpuUs.toFixed(2)]);
  }
  const vs = result.ratio === undefined ? '' : `, ${result.ratio.toFixed(2)}x node:http (${Math.round(result.baselineRps!)} req/s)`;
  const cpu = Number.isNaN(result.cpuUs)
    ? ''
    : `; CPU ${result.cpuUs!.toFixed(1)} µs/req${result.baselineCpuUs === undefined ? '' : ` vs ${result.baselineCpuUs.toFixed(1)}, ${result.cpuRatio!.toFixed(2)}x`}`;
  console.error(`  ${name.padEnd(44)} ${posts ?? ''}\t${Math.round(result.rps)} req/s${vs}${cpu}`);
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

/** Access lines are off in the main runs (LOG_LEVEL=warn: "silent" for a good answer) and measured in the defaults rows. */
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

/** Image variants of each run go to a folder of their own, removed with the run's content. */
let imageCacheDir = path.join(os.tmpdir(), 'lede-bench-images');

/** Lede as a production server runs it; `logLevel` 'default': LOG_LEVEL unset (`info`, an access line per request). */
function startLede(contentDir: string, port: number, logLevel: string = LOG_LEVEL): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    PORT: String(port),
    HOST: '127.0.0.1',
    CONTENT_DIR: contentDir,
    NODE_ENV: 'production',
    LOG_LEVEL: logLevel === 'default' ? undefined : logLevel,
    IMAGE_CACHE_DIR: imageCacheDir,
  };
  return startProcess(['node', 'dist/server.js'], env);
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
    const result = await measure(
      'Lede: article with five bundle images',
      1,
      { url: `${base}${IMAGES_ARTICLE}`, pid: child.pid },
      { url: `http://127.0.0.1:${baselinePort}${IMAGES_ARTICLE}`, pid: baseline.pid },
    );
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
    console.error(
      `  five images: first page after an edit ${extra.imagesFirstPageAfterEditMs} ms, first variant ${extra.imagesFirstVariantMs} ms, again ${extra.imagesRepeatVariantMs} ms`,
    );
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

/**
 * node:http sending, at each of `paths`, the bytes Lede sends there now
 * (identity); `expressBeside`: with an Express app answering other paths
 * in the same process (bench/baseline-server.ts).
 */
async function startBaseline(ledeOrigin: string, port: number, paths: string[], expressBeside = false): Promise<ChildProcess> {
  const child = startProcess(
    ['node', '--import', 'tsx', 'bench/baseline-server.ts', ...(expressBeside ? ['--express-beside'] : []), ledeOrigin, String(port), ...paths],
    {},
  );
  await waitFor(`http://127.0.0.1:${port}${paths[0]}`);
  return child;
}

const ARTICLE = `/posts/${SAMPLE_SLUG}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The defaults against silent: the article from a server with the default
 * configuration (an access line per request, stdout redirected to a file, as
 * a process manager does) and from one at LOG_LEVEL=warn, each alternating
 * with node:http. The access log's cost is the drop from one ratio to the other.
 */
async function benchDefaults(contentDir: string, ports: [number, number, number], extra: Record<string, unknown>): Promise<Result[]> {
  const defaults = startLede(contentDir, ports[0], 'default');
  const silent = startLede(contentDir, ports[1]);
  let baseline: ChildProcess | undefined;
  try {
    const origin = (port: number): string => `http://127.0.0.1:${port}`;
    await waitFor(`${origin(ports[0])}/`);
    await waitFor(`${origin(ports[1])}/`);
    baseline = await startBaseline(origin(ports[0]), ports[2], [ARTICLE]);
    const same: Target = { url: `${origin(ports[2])}${ARTICLE}`, pid: baseline.pid };
    // Silent first: the defaults' hundreds of MB of log lines are written back to disk by the
    // kernel after their run, which fell on the silent run measured after it (10% slower than
    // the same silent server measured before the defaults, in two quiet runs).
    const off = await measure('Lede: article, silent (same run)', 1, { url: `${origin(ports[1])}${ARTICLE}`, pid: silent.pid }, same);
    const on = await measure('Lede: article, defaults (access log to a file)', 1, { url: `${origin(ports[0])}${ARTICLE}`, pid: defaults.pid }, same);
    const results = [on, off];
    extra.accessLogCost = +(1 - on.ratio! / off.ratio!).toFixed(3);
    const log = readFileSync(path.join(os.tmpdir(), `lede-bench-${ports[0]}.log`), 'utf8')
      .trimEnd()
      .split('\n');
    // Every line must still be a pino line: checked on the last ones written.
    if (log.length < 1000) throw new Error(`the defaults wrote ${log.length} log lines: is the access log on?`);
    for (const line of log.slice(-1000)) JSON.parse(line) as unknown;
    extra.accessLogLines = log.length;
    console.error(`  access log: costs ${(100 * (extra.accessLogCost as number)).toFixed(0)}% against silent; ${log.length} lines written, JSON`);
    return results;
  } finally {
    if (baseline) await stop(baseline);
    await stop(defaults);
    await stop(silent);
  }
}

/** One connection kept open for the timed requests, as a browser keeps one. */
const timedAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Latency of one request from this process (a keep-alive client), in ms,
 * until the last byte; the text decoded after the clock stops. node:http,
 * not `fetch`: undici's own cost was half of a cache hit's 1.1 ms here, which
 * is the client's, not the server's.
 */
function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; text: string; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent: timedAgent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          const body = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const text = (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
          resolve({ ms, text, status: res.statusCode ?? 0 });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * The first request after an edit of the sample article (read, parse, render,
 * compress), as a browser asks (br, gzip), against a cache hit from the same
 * client. Each edit adds a line, and the answer must show it.
 */
async function coldAfterEdit(base: string, file: string, edits: number): Promise<{ coldP50: number; coldP99: number; hitP50: number }> {
  const original = readFileSync(file, 'utf8');
  const cold: number[] = [];
  const hits: number[] = [];
  const headers = { 'Accept-Encoding': 'br, gzip' };
  try {
    for (let i = 0; i < edits; i++) {
      writeFileSync(file, `${original}\nEdited for the benchmark, number ${i}.\n`);
      const first = await timedGet(`${base}${ARTICLE}`, headers);
      if (!first.text.includes(`Edited for the benchmark, number ${i}.`)) throw new Error(`edit ${i} not shown on the next request`);
      cold.push(first.ms);
      hits.push((await timedGet(`${base}${ARTICLE}`, headers)).ms);
      await sleep(20);
    }
  } finally {
    writeFileSync(file, original);
  }
  return { coldP50: percentile(cold, 50), coldP99: percentile(cold, 99), hitP50: percentile(hits, 50) };
}

/**
 * A new post, then the index until it lists it: the latency of the request
 * that first shows it (the one that made the new index page).
 */
async function indexAfterNewPost(base: string, contentDir: string, posts: number): Promise<{ p50: number; max: number; visibleMs: number }> {
  const times: number[] = [];
  const visible: number[] = [];
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < posts; i++) {
    const title = `A new post for the benchmark ${i}`;
    const file = path.join(contentDir, `bench-new-${i}.md`);
    writeFileSync(file, `---\ntitle: "${title}"\npublish_date: "${today}"\n---\nNew text.\n`);
    const written = performance.now();
    for (;;) {
      const res = await timedGet(`${base}/`);
      if (res.text.includes(title)) {
        times.push(res.ms);
        visible.push(performance.now() - written);
        break;
      }
      if (performance.now() - written > 5000) throw new Error(`${title}: not listed within 5 s`);
      await sleep(5);
    }
  }
  return { p50: percentile(times, 50), max: percentile(times, 100), visibleMs: percentile(visible, 50) };
}

/** Rounds of SEARCH_QUERIES over HTTP, one request at a time (a latency per query, not a throughput under load). */
const SEARCH_ROUNDS = quick ? 5 : 25;

/** Waits until the server's search index is built (it answers 503 meanwhile); returns the wait in ms. */
async function waitForSearchIndex(base: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${base}/search.json?q=ready`);
    await res.arrayBuffer();
    if (res.status === 200) return performance.now() - started;
    if (res.status !== 503) throw new Error(`/search.json: ${res.status}`);
    if (performance.now() - started > timeoutMs) throw new Error(`the search index was not built within ${timeoutMs / 1000} s`);
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
    const lede = (page: string, headers: Record<string, string> = {}): Target => ({ url: `${base}${page}`, pid: child.pid, headers });
    const same = (page: string): Target => ({ url: `http://127.0.0.1:${baselinePort}${page}`, pid: baseline?.pid });
    const etag = (await fetch(`${base}${ARTICLE}`)).headers.get('etag')!;
    const rows: [string, Target, Target][] = [
      ['Lede: article', lede(ARTICLE), same(ARTICLE)],
      ['Lede: article, gzip', lede(ARTICLE, { 'Accept-Encoding': 'gzip' }), same(ARTICLE)],
      ['Lede: article, br', lede(ARTICLE, { 'Accept-Encoding': 'br' }), same(ARTICLE)],
      ['Lede: article, 304 revalidation', lede(ARTICLE, { 'If-None-Match': etag }), same(ARTICLE)],
      ['Lede: index', lede('/'), same('/')],
      ['Lede: page (/about)', lede(PAGE_PATH), same(PAGE_PATH)],
      ['Lede: static file (8 KB PNG)', lede(STATIC_PATH), same(STATIC_PATH)],
      ['Lede: archive', lede('/archive'), same('/archive')],
      ...(pages.includes('/feed.xml') ? [['Lede: RSS feed', lede('/feed.xml'), same('/feed.xml')] as [string, Target, Target]] : []),
    ];
    const results: Result[] = [];
    for (const [name, target, base] of rows) if (wanted(name)) results.push(await measure(name, posts, target, base));
    if (posts === 1 && wanted(EXPRESS_ROW)) results.push(await benchExpressBeside(base, [PORT_BASE + 12, PORT_BASE + 13]));
    await stop(baseline);
    baseline = undefined;
    if (ONLY) return results;
    results.push(await benchSearchHttp(base, posts));
    const cold = await onLoadCpu(() => coldAfterEdit(base, path.join(contentDir, SAMPLE_FILE), COLD_EDITS));
    extra[`coldAfterEdit_${posts}`] = cold;
    console.error(
      `  first request after an edit: p50 ${cold.coldP50.toFixed(2)} ms, p99 ${cold.coldP99.toFixed(2)} ms (a hit, same client: ${cold.hitP50.toFixed(2)} ms)`,
    );
    if (posts > 1) {
      const fresh = await onLoadCpu(() => indexAfterNewPost(base, contentDir, 5));
      extra[`indexAfterNewPost_${posts}`] = fresh;
      console.error(
        `  the index after a new post: p50 ${fresh.p50.toFixed(2)} ms (max ${fresh.max.toFixed(2)}), listed ${fresh.visibleMs.toFixed(0)} ms after the write`,
      );
      const slugs = [SAMPLE_SLUG, ...Array.from({ length: posts - 1 }, (_, i) => `post-${String(i + 1).padStart(5, '0')}`)];
      const before = rssMb(child.pid!);
      const started = performance.now();
      extra[`allArticlesRetries_${posts}`] = await requestAll(base, slugs);
      extra[`allArticlesMs_${posts}`] = Math.round(performance.now() - started);
      extra[`rssBeforeMb_${posts}`] = Math.round(before);
      extra[`rssAfterAllArticlesMb_${posts}`] = Math.round(rssMb(child.pid!));
      console.error(
        `  every article once: ${extra[`allArticlesMs_${posts}`]} ms; RSS ${Math.round(before)} MB -> ${extra[`rssAfterAllArticlesMb_${posts}`]} MB`,
      );
    }
    return results;
  } finally {
    if (baseline) await stop(baseline);
    await stop(child);
  }
}

const EXPRESS_ROW = 'node:http with an Express app beside it: article';

/**
 * node:http's plain path in a process where an Express app has answered
 * requests too (bench/baseline-server.ts --express-beside), against node:http alone,
 * both started for this row: how much of Lede's distance to node:http is
 * Node's own request code having met Express's requests and responses, not
 * Lede's. Not against the rows' baseline, which has run for minutes: two
 * processes are compared at the same age, as Lede and its baseline are (a
 * node:http process serves some stretches at about 12 µs a request and
 * others at about 14; in this bench's runs, the long-lived ones more often
 * at 14).
 */
async function benchExpressBeside(ledeOrigin: string, ports: [number, number]): Promise<Result> {
  let beside: ChildProcess | undefined;
  let alone: ChildProcess | undefined;
  try {
    beside = await startBaseline(ledeOrigin, ports[0], [ARTICLE], true);
    alone = await startBaseline(ledeOrigin, ports[1], [ARTICLE]);
    return await measure(
      EXPRESS_ROW,
      1,
      { url: `http://127.0.0.1:${ports[0]}${ARTICLE}`, pid: beside.pid },
      { url: `http://127.0.0.1:${ports[1]}${ARTICLE}`, pid: alone.pid },
    );
  } finally {
    if (alone) await stop(alone);
    if (beside) await stop(beside);
  }
}

/** `--cold-only`: the first request after an edit and the index after a new post, without the load runs. */
async function benchCold(contentDir: string, posts: number, port: number, extra: Record<string, unknown>): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const child = startLede(contentDir, port);
  try {
    const startMs = await waitFor(`${base}/`);
    console.error(`Lede with ${posts} posts: first answer ${Math.round(startMs)} ms after spawn`);
    // As in the full run: the search index is built first, so its CPU does not fall on the cold requests.
    await waitForSearchIndex(base);
    await fetch(`${base}${ARTICLE}`).then((res) => res.arrayBuffer());
    const cold = await onLoadCpu(() => coldAfterEdit(base, path.join(contentDir, SAMPLE_FILE), COLD_EDITS));
    extra[`coldAfterEdit_${posts}`] = cold;
    console.error(
      `  first request after an edit: p50 ${cold.coldP50.toFixed(2)} ms, p99 ${cold.coldP99.toFixed(2)} ms (a hit, same client: ${cold.hitP50.toFixed(2)} ms)`,
    );
    if (posts > 1) {
      const fresh = await onLoadCpu(() => indexAfterNewPost(base, contentDir, quick ? 5 : 15));
      extra[`indexAfterNewPost_${posts}`] = fresh;
      console.error(
        `  the index after a new post: p50 ${fresh.p50.toFixed(2)} ms (max ${fresh.max.toFixed(2)}), listed ${fresh.visibleMs.toFixed(0)} ms after the write`,
      );
    }
  } finally {
    await stop(child);
  }
}

/**
 * `--large`: 100,000 generated posts of 8 KB. The first answer after start,
 * RSS after start and after 10,000 random articles, the index and a tag page
 * against node:http, and `npm run check` on the folder.
 */
async function benchLarge(work: string, extra: Record<string, unknown>): Promise<Result[]> {
  const posts = option('large-posts', 100_000);
  let started = performance.now();
  // --large-dir keeps the generated folder for the next run (writing 800 MB of posts takes minutes on a busy disk).
  const kept = argv.includes('--large-dir') ? path.resolve(argv[argv.indexOf('--large-dir') + 1]!) : undefined;
  const marker = kept && path.join(kept, '.generated');
  const dir =
    marker && existsSync(marker) && readFileSync(marker, 'utf8') === String(posts)
      ? kept!
      : makeContent(kept ?? path.join(work, 'large'), ROOT, posts, 8 * 1024);
  if (marker) writeFileSync(marker, String(posts));
  console.error(`${posts} posts of 8 KB ready in ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  const check = spawnSync('node', ['dist/cli/check.js', dir], { cwd: ROOT, stdio: 'ignore' });
  extra[`checkMs_${posts}`] = Math.round(performance.now() - started);
  extra[`checkExit_${posts}`] = check.status;
  console.error(`  npm run check: ${extra[`checkMs_${posts}`]} ms (exit ${check.status})`);
  const base = `http://127.0.0.1:${port(10)}`;
  const child = startLede(dir, port(10));
  let baseline: ChildProcess | undefined;
  try {
    extra[`startMs_${posts}`] = Math.round(await waitFor(`${base}/`, 120_000));
    extra[`rssAfterStartMb_${posts}`] = Math.round(rssMb(child.pid!));
    console.error(`Lede with ${posts} posts: first answer ${extra[`startMs_${posts}`]} ms after spawn, RSS ${extra[`rssAfterStartMb_${posts}`]} MB`);
    // As with the smaller folders: the search index is built in the background from start-up, and the load
    // runs wait for it, so its CPU (tens of seconds with 100,000 posts) is not counted against the index or a tag page.
    extra[`searchIndexReadyMs_${posts}`] = Math.round((extra[`startMs_${posts}`] as number) + (await waitForSearchIndex(base, 600_000)));
    extra[`rssAfterSearchIndexMb_${posts}`] = Math.round(rssMb(child.pid!));
    console.error(`  search index ready ${extra[`searchIndexReadyMs_${posts}`]} ms after spawn, RSS ${extra[`rssAfterSearchIndexMb_${posts}`]} MB`);
    const tag = '/tags/ai';
    baseline = await startBaseline(base, port(11), ['/', tag]);
    const same = (page: string): Target => ({ url: `http://127.0.0.1:${port(11)}${page}`, pid: baseline?.pid });
    const results = [
      await measure('Lede: index', posts, { url: `${base}/`, pid: child.pid }, same('/')),
      await measure('Lede: tag page', posts, { url: `${base}${tag}`, pid: child.pid }, same(tag)),
    ];
    await stop(baseline);
    baseline = undefined;
    const random = Array.from({ length: 10_000 }, () => `post-${String(1 + Math.floor(Math.random() * (posts - 1))).padStart(5, '0')}`);
    started = performance.now();
    await requestAll(base, random);
    extra[`randomArticlesMs_${posts}`] = Math.round(performance.now() - started);
    extra[`rssAfterRandomArticlesMb_${posts}`] = Math.round(rssMb(child.pid!));
    console.error(`  10,000 random articles: ${extra[`randomArticlesMs_${posts}`]} ms; RSS ${extra[`rssAfterRandomArticlesMb_${posts}`]} MB`);
    return results;
  } finally {
    if (baseline) await stop(baseline);
    await stop(child);
  }
}

/** Prints the table and the summary, and writes them to bench/results/<file>. */
function report(results: Result[], figures: Record<string, unknown>, file: string): void {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
  const us = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '' : value.toFixed(1));
  const table = [
    '| scenario | posts | req/s | p50 ms | p99 ms | node:http, same bytes | vs node:http | CPU µs/req | node:http CPU µs/req | CPU vs node:http |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.posts ?? ''} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.baselineRps === undefined ? '' : Math.round(r.baselineRps).toLocaleString('en-US')} | ${r.ratio === undefined ? (r.note ?? '') : r.ratio.toFixed(2)} | ${us(r.cpuUs)} | ${us(r.baselineCpuUs)} | ${r.cpuRatio === undefined ? '' : r.cpuRatio.toFixed(2)} |`,
    ),
  ].join('\n');
  const summary = { date, machine, tool: useWrk ? 'wrk' : 'autocannon', connections: CONNECTIONS, runs: RUNS, durationS: DURATION, ...figures };
  console.log(`\n${date}, ${machine}\n\n${table}\n`);
  console.log(JSON.stringify(summary, null, 2));
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', 'results', file), JSON.stringify({ summary, results }, null, 2));
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('run `npm run build` first');
  const work = mkdtempSync(path.join(os.tmpdir(), 'lede-bench-'));
  const extra: Record<string, unknown> = {};
  const results: Result[] = [];
  try {
    console.error(
      `load: ${useWrk ? 'wrk' : 'autocannon'}, ${CONNECTIONS} connections, ${RUNS} pairs of ${DURATION}-s turns, median; server ${pin ? 'on CPU 0, load on CPU 1' : 'unpinned'}`,
    );
    if (flag('large-only')) {
      report(await benchLarge(work, extra), { ...extra }, 'large.json');
      return;
    }
    if (flag('cold-only')) {
      await benchCold(makeContent(path.join(work, 'one'), ROOT, 1), 1, port(2), extra);
      await benchCold(makeContent(path.join(work, 'many'), ROOT, MANY), MANY, port(3), extra);
      report([], { contentWatch: process.env.CONTENT_WATCH ?? 'watch', loadAverage: +os.loadavg()[0]!.toFixed(1), ...extra }, 'cold.json');
      return;
    }
    imageCacheDir = path.join(work, 'image-cache');
    const one = makeContent(path.join(work, 'one'), ROOT, 1);
    const images = await addImageBundle(one);
    const many = makeContent(path.join(work, 'many'), ROOT, MANY);

    let naiveResult: Result | undefined;
    if (wanted('naive')) {
      const naive = startProcess(['node', '--import', 'tsx', 'bench/naive-server.ts'], { PORT: String(port(1)), CONTENT_DIR: one, NODE_ENV: 'production' });
      await waitFor(`http://127.0.0.1:${port(1)}${ARTICLE}`);
      naiveResult = await measure('naive: read + parse + render per request', null, { url: `http://127.0.0.1:${port(1)}${ARTICLE}`, pid: naive.pid });
      await stop(naive);
    }

    results.push(...(await benchLede(one, 1, port(2), port(0), extra)));
    if (wanted('defaults') || wanted('silent')) results.push(...(await benchDefaults(one, [port(4), port(7), port(6)], extra)));
    if (wanted('images')) results.push(await benchImages(one, images, port(8), port(9), extra));
    if (!ONLY) await benchVariants(images[0]!, extra);
    results.push(...(await benchLede(many, MANY, port(3), port(5), extra)));
    if (!ONLY) {
      const searchIndex = benchSearchIndex(many);
      extra[`searchIndex_${MANY}`] = { ...searchIndex, loadAverage: +os.loadavg()[0]!.toFixed(1) };
      console.error(
        `  search index, ${searchIndex.posts} posts: built in ${searchIndex.buildMs} ms, ${searchIndex.heapMb} MB of heap; in-process query p50 ${searchIndex.p50} ms, p99 ${searchIndex.p99} ms`,
      );
    }
    if (flag('large')) results.push(...(await benchLarge(work, extra)));
    const article = results.find((r) => r.name === 'Lede: article' && r.posts === 1);
    if (naiveResult && article) {
      // The naive design serves the same article: compare it with the article's baseline.
      naiveResult.baselineRps = article.baselineRps!;
      naiveResult.baselineCpuUs = article.baselineCpuUs!;
      naiveResult.ratio = naiveResult.rps / article.baselineRps!;
      naiveResult.cpuRatio = naiveResult.cpuUs! / article.baselineCpuUs!;
    }
    if (naiveResult) results.unshift(naiveResult);

    const index = results.find((r) => r.name === 'Lede: index' && r.posts === MANY);
    report(
      results,
      {
        logLevel: LOG_LEVEL,
        articleVsNodeHttp: article ? +article.ratio!.toFixed(3) : undefined,
        articleVsNaive: article && naiveResult ? +(article.rps / naiveResult.rps).toFixed(1) : undefined,
        articleCpuVsNodeHttp: article ? +article.cpuRatio!.toFixed(3) : undefined,
        [`indexVsNodeHttp_${MANY}`]: index ? +index.ratio!.toFixed(3) : undefined,
        ...extra,
      },
      'latest.json',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
