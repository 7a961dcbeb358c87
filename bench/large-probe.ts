/**
 * The 100,000-post figures of `npm run bench -- --large` without the load
 * runs: spawns `node dist/server.js` on a folder and prints, from /proc, the
 * CPU and wall time to the first answer, RSS after start, once the search
 * index is built, and after N random articles.
 *
 *   npx tsx bench/large-probe.ts /work/large100k [port] [articles (0: start only)] [-- node flags]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { memoryMap } from './memory-map.js';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const nodeFlags = dash >= 0 ? args.slice(dash + 1) : [];
const [dir = '/work/large100k', portText = '7190', articlesText = '10000'] = dash >= 0 ? args.slice(0, dash) : args;
const port = Number(portText);
const articles = Number(articlesText);
const base = `http://127.0.0.1:${port}`;
const TICK = 100;

function stat(pid: number): { cpuS: number; rssMb: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / TICK;
  const rssMb = (Number(fields[21]) * 4096) / 2 ** 20;
  return { cpuS, rssMb };
}

const started = performance.now();
const child = spawn('node', [...nodeFlags, 'dist/server.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONTENT_DIR: dir, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const pid = child.pid!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** With `-- --expose-gc --import ./bench/memory-report.mjs`: the server's own heap figures, after a full collection. */
const report = async (): Promise<void> => {
  if (!nodeFlags.includes('./bench/memory-report.mjs')) return;
  child.kill('SIGUSR2');
  await sleep(1500);
};
try {
  for (;;) {
    try {
      const res = await fetch(`${base}/`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await sleep(20);
  }
  const first = stat(pid);
  console.log(`first answer: ${Math.round(performance.now() - started)} ms wall, ${first.cpuS.toFixed(2)} s CPU, RSS ${Math.round(first.rssMb)} MB`);
  if (process.env.MEMORY_MAP) console.log(memoryMap(pid));
  await report();
  // `articles` 0: the start alone.
  if (articles === 0) {
    child.kill('SIGTERM');
    process.exit(0);
  }
  for (;;) {
    const res = await fetch(`${base}/search.json?q=ready`);
    await res.arrayBuffer();
    if (res.status === 200) break;
    await sleep(50);
  }
  const indexed = stat(pid);
  console.log(`search index ready: ${Math.round(performance.now() - started)} ms wall, ${indexed.cpuS.toFixed(2)} s CPU, RSS ${Math.round(indexed.rssMb)} MB`);
  if (process.env.MEMORY_MAP) console.log(memoryMap(pid));
  await report();
  const count = readFileSync(`${dir}/.generated`, 'utf8').trim();
  const posts = Number(count) || 100_000;
  const slugs = Array.from({ length: articles }, () => `post-${String(1 + Math.floor(Math.random() * (posts - 1))).padStart(5, '0')}`);
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < slugs.length) {
        const slug = slugs[next++]!;
        const res = await fetch(`${base}/posts/${slug}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`/posts/${slug}: ${res.status}`);
      }
    }),
  );
  const after = stat(pid);
  console.log(
    `${articles} random articles: ${Math.round(performance.now() - t)} ms, ${(after.cpuS - indexed.cpuS).toFixed(2)} s CPU, RSS ${Math.round(after.rssMb)} MB`,
  );
  await sleep(3000);
  console.log(`3 s later: RSS ${Math.round(stat(pid).rssMb)} MB`);
  if (process.env.MEMORY_MAP) console.log(memoryMap(pid));
  await report();
} finally {
  child.kill('SIGTERM');
}
