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
}

/**
 * What comes back: an error the job threw (marked's `RangeError` on a post
 * nested 2,000 levels deep) is a result, not a failed task, so the pool can
 * tell a post that cannot be rendered from a thread that could not start.
 */
export type WorkerResult = { readonly ok: true; readonly value: PageBody | Summary } | { readonly ok: false; readonly message: string };

export default function renderTask({ job, port }: WorkerTask): WorkerResult {
  port.postMessage('started');
  try {
    return { ok: true, value: runBodyJob(job) };
  } catch (err) {
    // A plain Error is one of ours, worded for the author; others keep their name (RangeError).
    const message = err instanceof Error ? (err.name === 'Error' ? err.message : `${err.name}: ${err.message}`) : String(err);
    return { ok: false, message };
  } finally {
    port.close();
  }
}
