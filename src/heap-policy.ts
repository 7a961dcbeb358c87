/**
 * How V8 manages the server's heap, set from inside the process (so `npm
 * start` and `node dist/server.js` need no flags); a flag given on the
 * command line wins. docs/performance.md, "Why it is fast", says why.
 */
import { setFlagsFromString } from 'node:v8';

function given(flag: string): boolean {
  return process.execArgv.some((arg) => arg.startsWith(`--${flag}`) || arg.startsWith(`--no-${flag}`));
}

/**
 * Once the content is loaded, V8 may grow its heap by at most 20% over what
 * is live after each full collection, instead of up to 4x on a machine with
 * memory to spare. Rendering many pages in a row (a crawler reading every
 * post) leaves short-lived garbage behind, and with the default the process
 * kept several hundred MB of it: with 10,000 posts, 500 MB after every
 * article was read once, 290 MB with 30%; with 100,000 posts, 589-593 MB
 * after 10,000 random articles with 20%, 605-609 with 30%
 * (bench/large-probe.ts). Set after start-up, so that loading the posts is
 * not slowed by the extra collections: set from the start, 100,000 posts
 * answered first after 5.1-5.5 s instead of 4.5 s (`npm run bench --
 * --large`), for 580 MB. It costs cache hits nothing: their garbage (about
 * 8 KB a hit, nearly all Node's HTTP objects) dies young and never reaches
 * the old generation this limit is about. The flag is read at each collection.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Before the content is read: no allocation-site pretenuring. V8 allocates
 * straight into the old generation the objects of a site whose objects it
 * saw survive; while 100,000 headers are parsed in a loop, sites that also
 * make short-lived objects were so marked, and that garbage went to the old
 * generation, where only full collections free it: they found 130 MB dead of
 * 210 MB, and the heap kept the room (400 MB for 150 MB live). Without it:
 * 215 MB, RSS 326 MB instead of 498 MB, and 3.8 s of CPU instead of 4.9 s
 * (the scan of the store alone, bench/store-heap.mts, with the flag and without).
 */
export function beforeLoading(): void {
  if (!given('allocation-site-pretenuring')) setFlagsFromString('--no-allocation-site-pretenuring');
}

/** Once the content is loaded: the heap growth above. */
export function afterLoading(): void {
  if (!given('heap-growing-percent')) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
