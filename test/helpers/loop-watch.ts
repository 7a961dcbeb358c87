/**
 * The "nothing stalls" invariant for suites that load the server: the event
 * loop is watched with `perf_hooks.monitorEventLoopDelay` for the whole
 * suite, and the suite fails when the loop was held longer than the limit
 * (twice the 50 ms budget of docs/security.md, for a busy CI machine).
 *
 * `watchEventLoop()` at the top of a describe block (or file) registers the
 * hooks itself; `measureLoop(fn)` measures the loop during one step, for a
 * test that asserts on a single reproduction.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { afterAll, beforeAll } from '@jest/globals';

/** Twice the 50 ms main-thread budget: the limit a suite fails at. */
export const LOOP_LIMIT_MS = 100;
/** The histogram's sampling period: a hold shorter than this may be missed. */
const RESOLUTION_MS = 10;

/** The longest hold of the loop while `fn` ran, in milliseconds. */
export async function measureLoop<T>(fn: () => Promise<T>): Promise<{ value: T; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    const value = await fn();
    // One more turn of the loop, so a hold at the very end is sampled too.
    await new Promise((resolve) => setTimeout(resolve, RESOLUTION_MS * 2));
    return { value, maxMs: maxHoldMs(histogram) };
  } finally {
    histogram.disable();
  }
}

/** The histogram's max, minus the sampling period it always includes. */
function maxHoldMs(histogram: IntervalHistogram): number {
  return Math.max(0, histogram.max / 1e6 - RESOLUTION_MS);
}

/**
 * Watches the loop from `beforeAll` to `afterAll` of the enclosing block and
 * fails it when the loop was held over `limitMs`. Jest's own work between
 * tests (compiling the next suite's modules) happens outside a suite's
 * lifetime, so only the suite's own work is seen.
 */
export function watchEventLoop(limitMs = LOOP_LIMIT_MS): { readonly maxMs: () => number } {
  let histogram: IntervalHistogram | undefined;
  beforeAll(() => {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
  });
  afterAll(() => {
    if (!histogram) return;
    histogram.disable();
    const max = maxHoldMs(histogram);
    if (max > limitMs) throw new Error(`the event loop was held ${Math.round(max)} ms during this suite (limit ${limitMs} ms: docs/security.md)`);
  });
  return { maxMs: () => (histogram ? maxHoldMs(histogram) : 0) };
}
