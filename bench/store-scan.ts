/**
 * The content store's first scan of a folder, with the server's V8 flags
 * unless --v8-defaults: CPU, RSS, and the heap it holds after full
 * collections. --rescan also lists the unchanged folder again, as the
 * watch's safety check once did, and gives the heap after each listing.
 *
 *   node --expose-gc --import tsx bench/store-scan.ts /work/large100k [--v8-defaults] [--rescan]
 */
import { beforeLoading } from '../src/heap-policy.js';

// The server's own setting, applied before anything is read, as src/server.ts does.
if (!process.argv.includes('--v8-defaults')) beforeLoading();
const { ContentStore } = await import('../src/content/store.js');

const dir = process.argv[2] ?? '/work/large100k';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const MB = 2 ** 20;
/** The heap in use after two full collections, in MB. */
const used = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / MB;
};
const options = { contentDir: dir, defaults: { author: 'x', timezone: 'UTC' }, showDrafts: false };

const before = used();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const store = new ContentStore(options);
const view = await store.view();
const cpu = process.cpuUsage(cpu0);
const rss = process.memoryUsage().rss / MB;
const after = used();
console.log(
  `scan ${Math.round(performance.now() - t0)} ms wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${view.posts.length} posts, RSS ${Math.round(rss)} MB; ` +
    `heap ${(after - before).toFixed(1)} MB live (${Math.round(((after - before) * MB) / view.posts.length)} B/post), heapTotal ${Math.round(process.memoryUsage().heapTotal / MB)} MB`,
);
store.close();

if (process.argv.includes('--rescan')) {
  const again = new ContentStore(options);
  const start = used();
  await again.view();
  const first = used();
  const t = process.cpuUsage();
  await again.refresh(true);
  const c = process.cpuUsage(t);
  const second = used();
  console.log(
    `rescan: ${((c.user + c.system) / 1e6).toFixed(2)} s CPU; heap ${(first - start).toFixed(1)} MB after the first listing, ${(second - start).toFixed(1)} MB after the second`,
  );
  again.close();
}
