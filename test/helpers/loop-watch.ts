/**
 * The "nothing stalls" invariant for suites that load the server
 * (docs/security.md, "One budget for the main thread"): the event loop is
 * watched for the whole suite, and the suite fails when it was held longer
 * than the limit (twice the 50 ms budget).
 *
 * A hold is measured as the CPU time the main thread ran between two turns
 * of a 10 ms timer, read from Linux's `/proc/thread-self/schedstat` (the
 * thread's time on a CPU, in nanoseconds). Wall time would count the moments
 * another process had the CPU, so a busy machine (CI, `npm run test:stress`)
 * would fail suites that did nothing wrong; CPU time counts only this
 * thread's own work, which is what the budget is about. Where that file does
 * not exist, the wall time between turns is used instead.
 *
 * `watchEventLoop()` at the top of a describe block (or file) registers the
 * hooks itself; `measureLoop(fn)` measures the loop during one step.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, expect } from '@jest/globals';

/** Twice the 50 ms main-thread budget: the limit a suite fails at. */
export const LOOP_LIMIT_MS = 100;
/** The timer's period: the loop's turns are looked at this often. */
const TICK_MS = 10;

/** This thread's time on a CPU so far, in ms; `undefined` where Linux's schedstat is not there. */
function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** The watches running now, so that `testWork` can set them all aside. */
const running = new Set<LoopWatch>();
/** How many `testWork` calls are under way: the watches count nothing meanwhile. */
let testWorkDepth = 0;

/** Watches from `start()` to `stop()`: the longest hold of the loop, in ms. */
class LoopWatch {
  private timer: NodeJS.Timeout | undefined;
  private lastCpu: number | undefined;
  private lastWall = 0;
  private longest = 0;
  /** The test that was running when the longest hold ended, for the message. */
  private during: string | undefined;

  start(): void {
    this.rebase();
    this.timer = setInterval(() => this.turn(), TICK_MS);
    this.timer.unref();
    running.add(this);
  }

  /** Counts from now on: what ran before is not the server's. */
  rebase(): void {
    this.lastCpu = threadCpuMs();
    this.lastWall = performance.now();
  }

  /** One turn of the timer: how long the loop ran since the last one. */
  private turn(): void {
    if (testWorkDepth > 0) return this.rebase();
    const cpu = threadCpuMs();
    const wall = performance.now();
    const held = cpu !== undefined && this.lastCpu !== undefined ? cpu - this.lastCpu : wall - this.lastWall - TICK_MS;
    if (held > this.longest) {
      this.longest = held;
      this.during = expect.getState().currentTestName;
    }
    this.lastCpu = cpu;
    this.lastWall = wall;
  }

  stop(): number {
    running.delete(this);
    clearInterval(this.timer);
    this.turn();
    return this.longest;
  }

  get maxMs(): number {
    return this.longest;
  }

  /** Where the longest hold was seen: the test's name, or the suite's hooks. */
  get where(): string {
    return this.during ?? 'a beforeAll or afterAll hook';
  }
}

/**
 * Runs the test's own heavy work (validating a page with html-validate,
 * generating a large fixture) outside the watch: it runs in the same
 * thread as the server under test, but it is not the server's.
 */
export async function testWork<T>(fn: () => T | Promise<T>): Promise<T> {
  testWorkDepth++;
  try {
    return await fn();
  } finally {
    testWorkDepth--;
    for (const watch of running) watch.rebase();
  }
}

/** The longest hold of the loop while `fn` ran, in milliseconds. */
export async function measureLoop<T>(fn: () => Promise<T>): Promise<{ value: T; maxMs: number }> {
  const watch = new LoopWatch();
  watch.start();
  try {
    const value = await fn();
    return { value, maxMs: watch.stop() };
  } finally {
    watch.stop();
  }
}

/**
 * Watches the loop from its first test to `afterAll` of the enclosing block and
 * fails it when the loop was held over `limitMs`.
 */
export function watchEventLoop(limitMs = LOOP_LIMIT_MS): { readonly maxMs: () => number } {
  const watch = new LoopWatch();
  // From the first test on: a suite's beforeAll builds its fixtures (writing files, generating
  // images), which is the test's own work; every request to the server is made by a test.
  let started = false;
  beforeEach(() => {
    if (started) return;
    started = true;
    watch.start();
  });
  afterAll(() => {
    const max = watch.stop();
    if (max > limitMs) throw new Error(`the event loop was held ${Math.round(max)} ms (limit ${limitMs} ms: docs/security.md), in "${watch.where}"`);
  });
  return { maxMs: () => watch.maxMs };
}
