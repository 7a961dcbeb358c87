/**
 * How V8 manages the server's heap, set from inside the process (so `npm
 * start` and `node dist/server.js` need no flags); a flag given on the
 * command line wins. docs/performance.md, "Memory", has the figures.
 */
import { setFlagsFromString } from 'node:v8';

function given(flag: string): boolean {
  return process.execArgv.some((arg) => arg.startsWith(`--${flag}`) || arg.startsWith(`--no-${flag}`));
}

/**
 * V8 may grow its heap by at most 20% over what is live after each full
 * collection, instead of up to 4x on a machine with memory to spare. Rendering many pages in a row (a crawler reading every post)
 * leaves short-lived garbage behind, and with the default the process kept
 * several hundred MB of it: with 10,000 posts, 500 MB after every article
 * was read once, 290 MB with 30%. With 100,000 posts, set from the start
 * rather than once they are loaded (as it was, at 30%), the RSS after
 * 10,000 random articles is 580 MB instead of 605-609, for a first answer
 * 0.3 s later (4.2 s) and 3-9% more CPU while those articles are rendered
 * (bench/large-probe.ts). A hit on the response cache allocates almost
 * nothing, so it costs no throughput.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Before the content is read: the heap growth above, and no allocation-site
 * pretenuring. V8 allocates straight into the old generation the objects of
 * a site whose objects it saw survive; while 100,000 headers are parsed in a loop, sites that also
 * make short-lived objects were so marked, and that garbage went to the old
 * generation, where only full collections free it: they found 130 MB dead of
 * 210 MB, and the heap kept the room (400 MB for 150 MB live). Without it:
 * 215 MB, RSS 326 MB instead of 498 MB, and 3.8 s of CPU instead of 4.9 s
 * (the scan of the store alone, bench/store-heap.mts, with the flag and without).
 */
export function beforeLoading(): void {
  if (!given('allocation-site-pretenuring')) setFlagsFromString('--no-allocation-site-pretenuring');
  if (!given('heap-growing-percent')) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
