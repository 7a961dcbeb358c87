/**
 * Two builds of Lede side by side on one page's cache hits: each a
 * `dist/server.js` of its own checkout (a `git worktree` of the commit
 * before a change, say, and the working tree), both running at once, loaded
 * in alternating turns, so a machine whose speed drifts (other work on it)
 * weighs on both alike. What `npm run bench` does for Lede against node:http,
 * for a change of Lede itself.
 *
 *   npm run build    # in each checkout
 *   npx tsx bench/ab.ts A_DIR B_DIR [--pairs 10] [--duration 2] [--posts 1] [--log warn|default] [--port-base 4200]
 *
 * Servers on CPU 0, wrk on CPU 1 (as bench/run.ts). Prints, per side, the
 * median req/s and CPU µs a request (user + system, all threads, from /proc),
 * and the medians of the pairs' own ratios, B over A. `--log default`: an
 * access line a request, to a file. `--node PATH`: the Node that runs both.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeContent, SAMPLE_SLUG } from './content.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const dirs = argv.filter((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
if (dirs.length !== 2) throw new Error('usage: bench/ab.ts A_DIR B_DIR [--pairs 10] [--duration 2] [--posts 1] [--log warn|default] [--node PATH]');
const PAIRS = Number(option('pairs', '10'));
const DURATION = Number(option('duration', '2'));
const POSTS = Number(option('posts', '1'));
const LOG = option('log', 'warn');
const NODE = option('node', 'node');
const PORT_BASE = Number(option('port-base', '4200'));
const PAGE = option('path', `/posts/${SAMPLE_SLUG}`);

/** USER_HZ: 100 on every Linux that Node runs on. */
const TICK_US = 10_000;

function cpuUs(pid: number): number {
  let ticks = 0;
  for (const task of execFileSync('ls', [`/proc/${pid}/task`], { encoding: 'utf8' })
    .trim()
    .split('\n')) {
    const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_US;
}

function start(dir: string, port: number, content: string, work: string): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CONTENT_DIR: content,
    NODE_ENV: 'production',
    IMAGE_CACHE_DIR: path.join(work, `images-${port}`),
  };
  if (LOG === 'default') delete env.LOG_LEVEL;
  else env.LOG_LEVEL = LOG;
  const out = openSync(path.join(work, `server-${port}.log`), 'w');
  return spawn('taskset', ['-c', '0', NODE, 'dist/server.js'], { cwd: dir, env, stdio: ['ignore', out, out] });
}

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Turn {
  rps: number;
  cpuUs: number;
}

function turn(url: string, pid: number): Turn {
  const before = cpuUs(pid);
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c64', `-d${DURATION}s`, url], { encoding: 'utf8' });
  const used = cpuUs(pid) - before;
  const requests = Number(/(\d+) requests in/.exec(out)![1]);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), cpuUs: used / requests };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const work = mkdtempSync(path.join(os.tmpdir(), 'lede-ab-'));
const children: ChildProcess[] = [];
try {
  const content = makeContent(path.join(work, 'content'), ROOT, POSTS);
  const sides = dirs.map((dir, i) => ({ dir: path.resolve(dir), port: PORT_BASE + i }));
  for (const side of sides) children.push(start(side.dir, side.port, content, work));
  for (const side of sides) await ready(`http://127.0.0.1:${side.port}${PAGE}`);
  // A turn each first, not counted: the hit path compiled by V8 before it is measured.
  for (const [i, side] of sides.entries()) turn(`http://127.0.0.1:${side.port}${PAGE}`, children[i]!.pid!);
  const turns: Turn[][] = [[], []];
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 ? [1, 0] : [0, 1];
    for (const i of order) turns[i]!.push(turn(`http://127.0.0.1:${sides[i]!.port}${PAGE}`, children[i]!.pid!));
  }
  const [a, b] = turns as [Turn[], Turn[]];
  for (const [name, side, runs] of [
    ['A', sides[0]!, a],
    ['B', sides[1]!, b],
  ] as const) {
    console.log(`${name} ${side.dir}: ${median(runs.map((r) => r.rps)).toFixed(0)} req/s, ${median(runs.map((r) => r.cpuUs)).toFixed(1)} CPU µs/req`);
  }
  const rpsRatio = median(a.map((r, i) => b[i]!.rps / r.rps));
  const cpuRatio = median(a.map((r, i) => b[i]!.cpuUs / r.cpuUs));
  console.log(
    `B/A: req/s ${rpsRatio.toFixed(3)}, CPU a request ${cpuRatio.toFixed(3)} (medians of ${PAIRS} pairs' ratios; ${POSTS} posts, log ${LOG}, ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}, load ${os.loadavg()[0]!.toFixed(1)})`,
  );
  console.log(
    `pairs (A req/s, B req/s, A µs, B µs): ${a.map((r, i) => `${r.rps.toFixed(0)}/${b[i]!.rps.toFixed(0)}/${r.cpuUs.toFixed(1)}/${b[i]!.cpuUs.toFixed(1)}`).join(' ')}`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  rmSync(work, { recursive: true, force: true });
}
