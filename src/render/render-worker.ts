/**
 * A render worker (a piscina thread): runs one body job and writes when it
 * started where the pool can read it, so the time limit counts the work, not
 * the wait for a free thread or the thread's own start-up.
 */
import { runBodyJob, type BodyJob, type PageBody, type Summary } from './body-job.js';
import { loadHighlighting } from './highlight.js';
import { JobClock } from './job-clock.js';

export { DONE, JobClock, RUNNING } from './job-clock.js';

export interface WorkerTask {
  readonly job: BodyJob;
  /**
   * Shared with the pool (a `JobClock`'s buffer, src/render/job-clock.ts): `RUNNING` and the time the
   * job started here, then `DONE` once it has finished, so a time limit that
   * fires while the result is on its way (the main thread busy) does not stop
   * a job that already kept to it.
   */
  readonly clock: SharedArrayBuffer;
}

/**
 * What comes back: an error the job threw (marked's `RangeError` on a post
 * nested 2,000 levels deep) is a result, not a failed task, so the pool can
 * tell a post that cannot be rendered from a thread that could not start.
 */
export type WorkerResult = { readonly ok: true; readonly value: PageBody | Summary } | { readonly ok: false; readonly message: string };

// Loaded as the thread starts, not by the first render that shows code (src/render/highlight.ts).
loadHighlighting();

export default function renderTask({ job, clock: buffer }: WorkerTask): WorkerResult {
  const clock = new JobClock(buffer);
  clock.start();
  try {
    return { ok: true, value: runBodyJob(job) };
  } catch (err) {
    // A plain Error is one of ours, worded for the author; others keep their name (RangeError).
    const message = err instanceof Error ? (err.name === 'Error' ? err.message : `${err.name}: ${err.message}`) : String(err);
    return { ok: false, message };
  } finally {
    clock.finish();
  }
}
