/**
 * A check thread's task (piscina, src/render/thread-pool.ts): a batch of
 * posts rendered one at a time (src/cli/check-render.ts), each marked on the
 * batch's job clock as it starts, so a post that runs over the time limit
 * can be found and its thread stopped (src/cli/check-threads.ts).
 */
import { JobClock } from '../render/job-clock.js';
import { checkOne, type CheckItem, type CheckVerdict } from './check-render.js';

export interface CheckTask {
  readonly items: readonly CheckItem[];
  /** The render time limit of one post (`RENDER_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  /** A `JobClock`'s buffer, shared with the main thread: step `i` is `items[i]`. */
  readonly clock: SharedArrayBuffer;
}

/** The verdict of each post of the batch, in its order. */
export default function checkBatch({ items, timeoutMs, clock: buffer }: CheckTask): CheckVerdict[] {
  const clock = new JobClock(buffer);
  const verdicts: CheckVerdict[] = [];
  try {
    for (let i = 0; i < items.length; i++) {
      clock.start(i);
      verdicts.push(checkOne(items[i]!, timeoutMs));
    }
  } finally {
    clock.finish();
  }
  return verdicts;
}
