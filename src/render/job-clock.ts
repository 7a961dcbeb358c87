/**
 * A job's shared clock, between the main thread and the worker thread that
 * runs the job (src/render/thread-pool.ts): its state (0, `RUNNING`,
 * `DONE`), which step of it runs (a post of `npm run check`'s batch; 0 for
 * a single job), and when that step started, in milliseconds since the
 * epoch (`performance.timeOrigin + performance.now()`, comparable across
 * threads). The main thread holds each step to its time limit from that
 * start, so neither the wait for a free thread nor the steps before count.
 */
export const RUNNING = 1;
export const DONE = 2;

/** Bytes: the state (Int32), the step (Int32), the start of the step (Float64). */
const BYTES = 16;

export class JobClock {
  private readonly state: Int32Array;
  private readonly step: Int32Array;
  private readonly started: Float64Array;

  /** A new clock (the main thread's side), or the one a job was given (the thread's). */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(BYTES)) {
    this.state = new Int32Array(this.buffer, 0, 1);
    this.step = new Int32Array(this.buffer, 4, 1);
    this.started = new Float64Array(this.buffer, 8, 1);
  }

  /**
   * On the thread: step `step` of the job begins now. The time is written
   * before the step and the state, which publish it: a reader that sees the
   * step sees its start, or a later one (never an earlier one, which would
   * make it look older than it is).
   */
  start(step = 0): void {
    this.started[0] = now();
    Atomics.store(this.step, 0, step);
    Atomics.store(this.state, 0, RUNNING);
  }

  finish(): void {
    Atomics.store(this.state, 0, DONE);
  }

  get stateNow(): number {
    return Atomics.load(this.state, 0);
  }

  /** The step started last (0 before any). */
  get stepNow(): number {
    return Atomics.load(this.step, 0);
  }

  /** How long the running step has been running, in ms; 0 before the job started. */
  runningFor(): number {
    return this.stateNow === 0 ? 0 : now() - this.started[0]!;
  }

  /**
   * The step running now and for how long, read so the two belong together;
   * undefined when none runs (not started, done, or moving to the next step
   * while this was read).
   */
  running(): { step: number; ms: number } | undefined {
    if (this.stateNow !== RUNNING) return undefined;
    const step = this.stepNow;
    const ms = now() - this.started[0]!;
    return this.stepNow === step && this.stateNow === RUNNING ? { step, ms } : undefined;
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}
