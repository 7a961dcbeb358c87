/**
 * A slow process in Node alone: full collections at idle moments (no tick
 * object alive) drop the maps of Node's tick objects, and
 * `process.nextTick`'s inline caches go megamorphic. Prints the time of a
 * tick before and after the collections, and the state of the caches that
 * define the tick object's properties (docs/performance.md, "A slow
 * process"). Lede does not work around it (that needs V8's internals): this
 * shows whether a Node release still has it.
 *
 *   node --expose-gc --allow-natives-syntax bench/tick-shapes.mjs [COLLECTIONS]
 *
 * COLLECTIONS: 20.
 */
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc --allow-natives-syntax');
const collections = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 20);

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
console.log(`Node ${process.version}: ${before.toFixed(0)} ns a tick before, ${after.toFixed(0)} ns after ${collections} idle full collections`);
// V8's own view of nextTick's caches (its debug print goes to stdout).
new Function('f', '%DebugPrint(f)')(process.nextTick);
