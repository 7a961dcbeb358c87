/**
 * What the content store holds after reading a folder: heap before and after
 * (after full collections), the CPU of the scan, and optionally a heap
 * snapshot. `node --expose-gc --import tsx bench/store-heap.mts DIR [--snapshot FILE] [--v8-defaults]`
 */
import { writeHeapSnapshot } from 'node:v8';
import { ContentStore } from '../src/content/store.js';
import { beforeLoading } from '../src/heap-policy.js';

// As the server does, unless asked not to (to measure what the policy changes).
if (!process.argv.includes('--v8-defaults')) beforeLoading();

const dir = process.argv[2] ?? '/work/large100k';
const snap = process.argv.includes('--snapshot') ? process.argv[process.argv.indexOf('--snapshot') + 1] : undefined;
const gc = (globalThis as { gc?: () => void }).gc;
const used = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const before = used();
const rss0 = process.memoryUsage().rss / 2 ** 20;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const store = new ContentStore({ contentDir: dir, defaults: { author: 'x', timezone: 'UTC' }, showDrafts: false });
const view = await store.view();
const cpu = process.cpuUsage(cpu0);
console.log(
  `scan: ${Math.round(performance.now() - t0)} ms wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${view.posts.length} posts, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB (from ${Math.round(rss0)})`,
);
const after = used();
console.log(
  `heap: ${before.toFixed(1)} MB -> ${after.toFixed(1)} MB: ${(((after - before) * 2 ** 20) / view.posts.length).toFixed(0)} bytes per post; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
);
if (snap) console.log(`snapshot: ${writeHeapSnapshot(snap)}`);
store.close();
const mu = process.memoryUsage();
const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;
console.log(
  `after gc: rss ${mb(mu.rss)}, heapTotal ${mb(mu.heapTotal)}, heapUsed ${mb(mu.heapUsed)}, external ${mb(mu.external)}, arrayBuffers ${mb(mu.arrayBuffers)}`,
);
const { getHeapSpaceStatistics } = await import('node:v8');
for (const s of getHeapSpaceStatistics()) console.log(`  ${s.space_name}: size ${mb(s.space_size)}, used ${mb(s.space_used_size)}`);
