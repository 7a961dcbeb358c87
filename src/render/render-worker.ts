/**
 * A render worker (a piscina thread): runs one body job and writes when it
 * started where the pool can read it, so the time limit counts the work, not
 * the wait for a free thread or the thread's own start-up.
 */
import { runBodyJob, type BodyJob, type PageBody, type Summary } from './body-job.js';

export interface WorkerTask {
  readonly job: BodyJob;
  /**
   * Shared with the pool (a `JobClock`'s buffer): `RUNNING` and the time the
   * job started here, then `DONE` once it has finished, so a time limit that
   * fires while the result is on its way (the main thread busy) does not stop
   * a job that already kept to it.
   */
  readonly clock: SharedArrayBuffer;
}

export const RUNNING = 1;
export const DONE = 2;

/**
 * A job's shared clock: its state (0, `RUNNING`, `DONE`) and the time it
 * started on its thread, in milliseconds since the epoch
 * (`performance.timeOrigin + performance.now()`, comparable across threads).
 */
export class JobClock {
  private readonly state: Int32Array;
  private readonly started: Float64Array;

  /** A new clock (the pool's side), or the one a job was given (the thread's). */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(16)) {
    this.state = new Int32Array(this.buffer, 0, 1);
    this.started = new Float64Array(this.buffer, 8, 1);
  }

  /** On the thread: the job begins now (the time is written before the state, which publishes it). */
  start(): void {
    this.started[0] = now();
    Atomics.store(this.state, 0, RUNNING);
  }

  finish(): void {
    Atomics.store(this.state, 0, DONE);
  }

  get stateNow(): number {
    return Atomics.load(this.state, 0);
  }

  /** How long the job has been running, in ms; 0 before it started. */
  runningFor(): number {
    return this.stateNow === 0 ? 0 : now() - this.started[0]!;
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * What comes back: an error the job threw (marked's `RangeError` on a post
 * nested 2,000 levels deep) is a result, not a failed task, so the pool can
 * tell a post that cannot be rendered from a thread that could not start.
 */
export type WorkerResult = { readonly ok: true; readonly value: PageBody | Summary } | { readonly ok: false; readonly message: string };

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
