/**
 * Keeps the shapes of Node's tick objects alive for the life of the process.
 *
 * Every `process.nextTick` (several per request, inside Node's own HTTP and
 * stream code) builds an object literal with two symbol keys, whose hidden
 * class V8 finds by following transitions from the empty object's map. V8
 * holds those transitions weakly: a full collection that runs while no tick
 * object is alive (an idle moment, common while a large site loads) drops
 * them, and the next tick makes new maps. `nextTick`'s inline caches then see
 * maps they have not seen; after a few such collections they give up
 * (megamorphic) and every tick takes the slow path for the rest of the
 * process. Some servers with 10,000 posts spent a seventh of their CPU there
 * and served every page 30% slower (docs/performance.md, "Node's tick
 * objects keep their shapes").
 *
 * The tick objects kept here keep their maps, and through each map's link to
 * its parent the whole chain, so the transitions are never dropped.
 * `bench/tick-shapes.mjs` shows the effect in Node alone.
 */
import { createHook } from 'node:async_hooks';

const kept: object[] = [];

/**
 * Takes two tick objects, once, as an async hook sees them made: one without
 * arguments and one with (its `args` field holds an array), in case V8 gives
 * the two their own maps.
 */
export function keepTickShapes(): void {
  if (kept.length) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') kept.push(resource as object);
    },
  });
  hook.enable();
  try {
    process.nextTick(noop);
    process.nextTick(noop, 0);
  } finally {
    hook.disable();
  }
}

function noop(..._args: unknown[]): void {}
