/**
 * The search index of one content folder, measured in this process (run by
 * bench/run.ts as `node --expose-gc --import tsx bench/search-index.ts DIR`):
 * the time to build it as the server does at start-up (`warm()`, in slices
 * between other work), the heap it holds, and the time of each query of
 * SEARCH_QUERIES, without HTTP. Prints one line of JSON.
 */
import { ContentStore } from '../src/content/store.js';
import { postSource } from '../src/search/post-source.js';
import { SiteSearch } from '../src/search/site-search.js';
import { percentile, SEARCH_QUERIES } from './search-queries.js';

const dir = process.argv[2];
const rounds = Number(process.argv[3] ?? 20);
if (!dir) throw new Error('usage: search-index.ts CONTENT_DIR [ROUNDS]');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const store = new ContentStore({ contentDir: dir, defaults: { author: 'Anonymous', timezone: 'UTC' }, showDrafts: false, watch: true });
// The posts are read first: the server has them before it builds the index.
const view = await store.view();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const search = new SiteSearch();
search.addSource(postSource(store));
const started = performance.now();
await search.warm();
const buildMs = performance.now() - started;
gc();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

// One round first, not counted: the JIT compiles the query path.
for (const query of SEARCH_QUERIES) await search.search(query, 1);
const times: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const query of SEARCH_QUERIES) {
    const t = performance.now();
    const answer = await search.search(query, 1 + (round % 3));
    times.push(performance.now() - t);
    if (!answer.ready) throw new Error('index not ready after warm()');
  }
}
store.close();
search.close();
console.log(
  JSON.stringify({
    posts: view.posts.length,
    buildMs: Math.round(buildMs),
    heapMb: +heapMb.toFixed(1),
    queries: times.length,
    p50: +percentile(times, 50).toFixed(2),
    p99: +percentile(times, 99).toFixed(2),
  }),
);
