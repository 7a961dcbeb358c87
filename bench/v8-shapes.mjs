/**
 * A checker for the slow state some 10,000-post servers were found in
 * (docs/performance.md, "What is left"): given to the server with
 * `--import`, it prints to stderr, at start and whenever it changes,
 *
 * - whether V8 can still add a shape to its root object map: two `{}` given
 *   the same fresh property must share a fast map. Once about 1,500 shapes
 *   hang from it, a new one makes a dictionary-mode object instead, and
 *   every object literal that needs a new shape goes through the runtime;
 * - whether Node's tick objects (made on every `process.nextTick`, several
 *   times a request) share one fast map, seen through an async hook enabled
 *   for the three ticks it makes.
 *
 *   NODE_OPTIONS=--import=./bench/v8-shapes.mjs npm run bench -- --only article
 *   NODE_OPTIONS=--import=./bench/v8-shapes.mjs node dist/server.js
 *
 * It acts only in the server (`dist/server.js`); other Node processes of the
 * bench load it and do nothing. V8_SHAPES_SNAPSHOT=FILE writes a heap
 * snapshot when the slow state is first seen, to find what made it.
 * V8_SHAPES_EVERY_MS sets how often it looks (100).
 */
import { createHook } from 'node:async_hooks';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';

if (process.argv[1]?.endsWith('server.js')) {
  // Parsed with the flag on: V8's own checks, not an estimate from timings.
  setFlagsFromString('--allow-natives-syntax');
  const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
  const fast = new Function('a', 'return %HasFastProperties(a)');
  const started = Date.now();
  let looks = 0;
  let said;
  let ticks = [];
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') ticks.push(resource);
    },
  });
  const nothing = () => {};
  const look = () => {
    const key = `v8ShapesProbe${looks++}`;
    const a = {};
    a[key] = 1;
    const b = {};
    b[key] = 1;
    const rootFull = !sameMap(a, b) || !fast(a);
    ticks = [];
    hook.enable();
    process.nextTick(nothing);
    process.nextTick(nothing);
    process.nextTick(nothing);
    hook.disable();
    const ticksSlow = ticks.length < 3 || !sameMap(ticks[1], ticks[2]) || !fast(ticks[1]);
    const state = `root map ${rootFull ? 'FULL' : 'has room'}; tick objects ${ticksSlow ? 'SLOW (not one fast map)' : 'one fast map'}`;
    if (state === said) return;
    said = state;
    process.stderr.write(`[v8-shapes] pid ${process.pid}, ${Date.now() - started} ms: ${state}\n`);
    if ((rootFull || ticksSlow) && process.env.V8_SHAPES_SNAPSHOT) {
      process.stderr.write(`[v8-shapes] heap snapshot: ${writeHeapSnapshot(process.env.V8_SHAPES_SNAPSHOT)}\n`);
    }
  };
  setInterval(look, Number(process.env.V8_SHAPES_EVERY_MS ?? 100)).unref();
}
