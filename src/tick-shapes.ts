/**
 * Keeps two of Node's tick objects alive for the life of the process.
 *
 * Every `process.nextTick` (several per request, inside Node's own HTTP and
 * stream code) builds an object literal with two symbol keys, whose hidden
 * class V8 reaches by transitions it holds weakly. A full collection that
 * runs while no tick object is alive (an idle moment, common while a large
 * site loads) drops them, and the next tick makes new maps; after a few such
 * collections `nextTick`'s caches go megamorphic and every tick takes the
 * slow path for the rest of the process: on Node 22, 24 and 26, a tick costs
 * 4-5 times as much after 20 idle collections (bench/tick-shapes.mjs), and
 * the 10,000-post article 8-10% more CPU a hit (bench/ab.ts, Node 26).
 *
 * A kept tick object keeps its map, and through it the chain of transitions.
 * The objects come from public APIs only: a tick's callback asks
 * `executionAsyncResource()` (node:async_hooks) for the resource it runs in,
 * which for a tick is the tick object itself; nothing of it is read. If a
 * Node release changes what that returns, or no longer loses the maps, this
 * keeps a small object for nothing; what it prevents shows in
 * bench/tick-shapes.mjs.
 */
import { executionAsyncResource } from 'node:async_hooks';

const kept: object[] = [];
let started = false;

/**
 * Takes two tick objects, once, from inside their own callbacks: one without
 * arguments and one with (its `args` field holds an array), in case V8 gives
 * the two their own maps. They are taken when the ticks run, before any I/O
 * callback of the process: call this before the content loads.
 */
export function keepTickShapes(): void {
  if (started) return;
  started = true;
  process.nextTick(keep);
  process.nextTick(keep, 0);
}

function keep(..._args: unknown[]): void {
  kept.push(executionAsyncResource());
}
