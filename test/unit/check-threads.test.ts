/**
 * `npm run check`'s render threads (src/cli/check-threads.ts, piscina
 * threads of src/render/thread-pool.ts): many posts to a task, each timed on
 * its thread, and a post that throws, runs over the limit or is stuck still
 * given a failed verdict of its own, while the posts around it, in its batch,
 * after it, and in the batches queued on its thread, are still rendered.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CheckThreads } from '../../src/cli/check-threads.js';
import type { CheckItem, CheckVerdict } from '../../src/cli/check-render.js';
import { JobClock } from '../../src/render/job-clock.js';

const item = (id: number, markdown: string): CheckItem => ({
  id,
  body: { kind: 'bytes', bytes: new TextEncoder().encode(markdown) },
  rawHtml: false,
});

/**
 * `_a` 400,000 times: marked's emphasis scan, quadratic on it, would take
 * many minutes (40,000 take seconds). A test that finishes within jest's
 * timeout saw it stopped at the limit.
 */
const SLOW = '_a'.repeat(400_000);
/** Nested far past marked's recursion (2,000 levels already throw at Node's default stack): it throws `RangeError`. */
const DEEP = `${'>'.repeat(20_000)} deep`;

async function verdictsOf(threads: CheckThreads, items: readonly CheckItem[], early: readonly CheckItem[] = []): Promise<Map<number, CheckVerdict[]>> {
  for (const it of early) threads.add(it);
  const seen = new Map<number, CheckVerdict[]>();
  await threads.run(items, (batch, verdicts) => {
    batch.forEach((it, i) => {
      seen.set(it.id, [...(seen.get(it.id) ?? []), verdicts[i]!]);
    });
  });
  return seen;
}

describe('CheckThreads', () => {
  let threads: CheckThreads | undefined;
  afterEach(() => threads?.close());

  it('should render every post once, batches of several, and say which ones a check may need the body of', async () => {
    threads = new CheckThreads({ timeoutMs: 10_000, threads: 2, batchSize: 4 });
    const items = Array.from({ length: 23 }, (_, i) => item(i, i === 7 ? 'A formula $x^2$ here.' : `Plain text number ${i}.`));
    const seen = await verdictsOf(threads, items.slice(10), items.slice(0, 10));
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(items.map((it) => it.id));
    for (const [id, verdicts] of seen) {
      expect(verdicts).toEqual([{ ok: true, needs: { body: id === 7, notices: false } }]);
    }
  });

  it('should fail a post that throws, alone, and render the posts around it in its batch', async () => {
    threads = new CheckThreads({ timeoutMs: 10_000, threads: 1, batchSize: 8 });
    const items = [item(0, 'before'), item(1, DEEP), item(2, 'after')];
    const seen = await verdictsOf(threads, items);
    expect(seen.get(1)).toEqual([{ ok: false }]);
    expect(seen.get(0)).toEqual([{ ok: true, needs: { body: false, notices: false } }]);
    expect(seen.get(2)).toEqual([{ ok: true, needs: { body: false, notices: false } }]);
  });

  it('should stop a thread stuck on a post over the limit, fail that post alone, and render the rest of its batches on a new thread', async () => {
    threads = new CheckThreads({ timeoutMs: 300, threads: 1, batchSize: 4 });
    const items = Array.from({ length: 12 }, (_, i) => item(i, i === 5 ? SLOW : `Text ${i}.`));
    const seen = await verdictsOf(threads, items);
    expect(seen.get(5)).toEqual([{ ok: false }]);
    for (const it of items) if (it.id !== 5) expect(seen.get(it.id)).toEqual([{ ok: true, needs: { body: false, notices: false } }]);
  });

  it('should stop posts stuck while the folder is still being read, and send again every batch their threads held', async () => {
    // Added before `run`: each thread is given many batches ahead, all lost with it.
    threads = new CheckThreads({ timeoutMs: 300, threads: 2, batchSize: 2 });
    const slow = new Set([3, 10, 21]);
    const items = Array.from({ length: 30 }, (_, i) => item(i, slow.has(i) ? SLOW : `Text ${i}.`));
    const seen = await verdictsOf(threads, [], items);
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(items.map((it) => it.id));
    for (const it of items) expect(seen.get(it.id)).toEqual([slow.has(it.id) ? { ok: false } : { ok: true, needs: { body: false, notices: false } }]);
  });
});

describe('JobClock steps', () => {
  it("should say which step of a batch runs, from the thread's side, and none once done", () => {
    const clock = new JobClock();
    expect(clock.running()).toBeUndefined();
    const thread = new JobClock(clock.buffer);
    thread.start(0);
    expect(clock.running()?.step).toBe(0);
    thread.start(3);
    expect(clock.running()).toEqual({ step: 3, ms: expect.any(Number) });
    thread.finish();
    expect(clock.running()).toBeUndefined();
  });
});
