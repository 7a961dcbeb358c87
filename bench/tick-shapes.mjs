/**
 * What `src/tick-shapes.ts` prevents, in Node alone: full collections at
 * idle moments (no tick object alive) drop the maps of Node's tick objects,
 * and `process.nextTick`'s inline caches go megamorphic. Prints the time of
 * a tick before and after the collections, and the state of the caches that
 * define the tick object's properties.
 *
 *   npm run build
 *   node --expose-gc --allow-natives-syntax bench/tick-shapes.mjs [--keep] [COLLECTIONS]
 *
 * --keep calls `keepTickShapes()` (from dist/) first. COLLECTIONS: 20.
 * The test that it works: test/process/tick-shapes.test.ts.
 */
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc --allow-natives-syntax');
const keep = process.argv.includes('--keep');
const collections = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 20);
if (keep) {
  (await import('../dist/tick-shapes.js')).keepTickShapes();
  // The tick objects are taken when their ticks run: this await lets them.
  await new Promise((resolve) => setImmediate(resolve));
}

/** Nanoseconds a tick, over a chain of 200,000. */
const tickNs = () =>
  new Promise((resolve) => {
    let n = 0;
    const started = process.hrtime.bigint();
    const step = () => (++n < 200_000 ? process.nextTick(step) : resolve(Number(process.hrtime.bigint() - started) / n));
    process.nextTick(step);
  });

const before = await tickNs();
for (let i = 0; i < collections; i++) {
  // An idle moment: every tick has run, none is alive.
  await new Promise((resolve) => setTimeout(resolve, 5));
  globalThis.gc();
  process.nextTick(() => {});
  await new Promise((resolve) => setImmediate(resolve));
}
const after = await tickNs();
console.log(
  `Node ${process.version}, ${keep ? 'with keepTickShapes' : 'as Node is'}: ${before.toFixed(0)} ns a tick before, ${after.toFixed(0)} ns after ${collections} idle full collections`,
);
// V8's own view of nextTick's caches (its debug print goes to stdout).
new Function('f', '%DebugPrint(f)')(process.nextTick);
