// The content store's first scan of a folder, from the built server (`npm run build` first), with the
// server's V8 flags unless --v8-defaults: CPU, RSS, and the heap it holds after full collections.
//   node --expose-gc bench/store-scan.mjs /work/large100k [--v8-defaults] [--rescan]
import { setFlagsFromString } from 'node:v8';

if (!process.argv.includes('--v8-defaults')) setFlagsFromString('--no-allocation-site-pretenuring');
const { ContentStore } = await import('../dist/content/store.js');
const dir = process.argv[2] ?? '/work/large100k';
const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc');
const used = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const before = used();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const store = new ContentStore({ contentDir: dir, defaults: { author: 'x', timezone: 'UTC' }, showDrafts: false });
const view = await store.view();
const cpu = process.cpuUsage(cpu0);
const rss = process.memoryUsage().rss / 2 ** 20;
const after = used();
const mu = process.memoryUsage();
console.log(
  `scan ${Math.round(performance.now() - t0)} ms wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${view.posts.length} posts, RSS ${Math.round(rss)} MB; ` +
    `heap ${(after - before).toFixed(1)} MB live (${Math.round(((after - before) * 2 ** 20) / view.posts.length)} B/post), heapTotal ${Math.round(mu.heapTotal / 2 ** 20)} MB`,
);
store.close();
if (process.argv.includes('--rescan')) {
  // A second listing of the unchanged folder (the watch's safety listing): what the store holds after it.
  const again = new ContentStore({ contentDir: dir, defaults: { author: 'x', timezone: 'UTC' }, showDrafts: false });
  const start = used();
  await again.view();
  const first = used();
  const t = process.cpuUsage();
  await again.refresh(true);
  const c = process.cpuUsage(t);
  const second = used();
  console.log(`rescan: ${((c.user + c.system) / 1e6).toFixed(2)} s CPU; heap ${(first - start).toFixed(1)} MB after the first listing, ${(second - start).toFixed(1)} MB after the second`);
  again.close();
}
