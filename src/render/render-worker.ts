/**
 * A render worker (a piscina thread): runs one body job and says when it
 * started, so the time limit counts the work, not the wait for a free thread
 * or the thread's own start-up.
 */
import type { MessagePort } from 'node:worker_threads';
import { runBodyJob, type BodyJob, type PageBody, type Summary } from './body-job.js';

export interface WorkerTask {
  readonly job: BodyJob;
  /** Told `started` as the job begins. */
  readonly port: MessagePort;
  /**
   * Shared with the pool: `DONE` once the job has finished here, so a time
   * limit that fires while the result is on its way (the main thread busy)
   * does not stop a job that already kept to it.
   */
  readonly state: Int32Array;
}

export const RUNNING = 1;
export const DONE = 2;

/**
 * What comes back: an error the job threw (marked's `RangeError` on a post
 * nested 2,000 levels deep) is a result, not a failed task, so the pool can
 * tell a post that cannot be rendered from a thread that could not start.
 */
export type WorkerResult = { readonly ok: true; readonly value: PageBody | Summary } | { readonly ok: false; readonly message: string };

export default function renderTask({ job, port, state }: WorkerTask): WorkerResult {
  Atomics.store(state, 0, RUNNING);
  port.postMessage('started');
  try {
    return { ok: true, value: runBodyJob(job) };
  } catch (err) {
    // A plain Error is one of ours, worded for the author; others keep their name (RangeError).
    const message = err instanceof Error ? (err.name === 'Error' ? err.message : `${err.name}: ${err.message}`) : String(err);
    return { ok: false, message };
  } finally {
    Atomics.store(state, 0, DONE);
    port.close();
  }
}
