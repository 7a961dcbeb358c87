/**
 * The render budget: post bodies are rendered on worker threads (piscina),
 * never on the event loop, each job with a time limit. Markdown, highlighting
 * and sanitizing a 2 MB post takes most of a second even when it is benign,
 * and hostile input (deep nesting, long runs of `_a`) far longer; on a
 * worker it keeps no other request waiting, and a job over its limit has its
 * thread stopped (piscina terminates a thread whose running task is
 * aborted) and is reported as a content error (src/render/post-bodies.ts).
 *
 * The time limit counts from the moment the job starts on its thread, so
 * neither the wait for a free thread nor a thread's start-up is counted
 * against a post.
 *
 * Jobs of posts already seen running over their limit take the slow lane:
 * they hold at most all threads but one (`slowSlots`), so a reader of any
 * other post always finds a thread within one job's start, however many
 * hostile saves a writer makes (docs/security.md, "Churn under load").
 */
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import type { BodyJob, BodyResult } from './body-job.js';
import { DONE, JobClock } from './job-clock.js';
import type { WorkerResult, WorkerTask } from './render-worker.js';
import { threadPool } from './thread-pool.js';

export interface RenderPoolOptions {
  /** Threads at most; they start when first needed and stop when idle. */
  threads?: number;
  /** A thread idle this long stops (its memory is given back). */
  idleTimeoutMs?: number;
  /** Heap limit of each thread (`DEFAULT_THREAD_HEAP_MB`). */
  maxHeapMb?: number;
  /** Young generation of each thread (`DEFAULT_YOUNG_MB`). */
  youngMb?: number;
}

/** A job ran past its time limit; its thread was stopped. */
export class RenderTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`took over ${limitMs} ms to render`);
    this.name = 'RenderTimeout';
  }
}

/** The job itself failed: it threw, or its thread died while running it (out of memory). */
export class RenderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderFailed';
  }
}

/** While a job waits for a free thread, how often the pool looks whether it has started. */
const WAITING_LOOK_MS = 50;

/** Which jobs a job may wait behind: `slow` ones (posts seen over their limit) share all threads but one. */
export type RenderLane = 'reader' | 'slow';

/** Lets at most `slots` holders through at a time, the others in the order they asked. */
class Gate {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {}

  async enter(): Promise<void> {
    if (this.held < this.slots) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting holder, or frees it. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}

export class RenderPool {
  #piscina: Piscina<WorkerTask, WorkerResult> | undefined;
  readonly #threadCount: number;
  readonly #slowLane: Gate;

  constructor(private readonly options: RenderPoolOptions = {}) {
    this.#threadCount = options.threads ?? Math.max(2, Math.min(4, availableParallelism()));
    this.#slowLane = new Gate(this.slowSlots);
  }

  /** Slow-lane jobs running at once at most: all threads but one (one, with a single thread). */
  get slowSlots(): number {
    return Math.max(1, this.#threadCount - 1);
  }

  /**
   * Starts the pool's first thread now, so it has loaded its modules before
   * the first page needs it (the server calls this once its first scan is
   * done: started earlier, it would compete with the scan for the CPU).
   */
  warm(): void {
    void this.threads;
  }

  /** The threads, started on first use; one stays up from then on, the others stop when idle. */
  private get threads(): Piscina<WorkerTask, WorkerResult> {
    if (!this.#piscina) {
      this.#piscina = threadPool<WorkerTask, WorkerResult>({
        module: { name: 'render-worker', beside: import.meta.url },
        minThreads: 1,
        threads: this.#threadCount,
        idleTimeoutMs: this.options.idleTimeoutMs,
        maxHeapMb: this.options.maxHeapMb,
        youngMb: this.options.youngMb,
      });
    }
    return this.#piscina;
  }

  /** True while jobs wait for a free thread: background work should wait too, readers first. */
  get saturated(): boolean {
    return (this.#piscina?.queueSize ?? 0) > 0;
  }

  /**
   * Runs one job; rejects with `RenderTimeout` or `RenderFailed` when the post
   * is at fault. `onStart` is told when the job started on its thread
   * (`performance.now()` time), seen at the first look after it did: pages
   * that list posts count their wait from then (src/render/post-bodies.ts).
   * A `slow` job first waits for a place in the slow lane.
   */
  async run<J extends BodyJob>(job: J, timeoutMs: number, onStart?: (startedAt: number) => void, lane: RenderLane = 'reader'): Promise<BodyResult<J>> {
    if (lane === 'reader') return this.runNow(job, timeoutMs, onStart);
    await this.#slowLane.enter();
    try {
      return await this.runNow(job, timeoutMs, onStart);
    } finally {
      this.#slowLane.leave();
    }
  }

  private async runNow<J extends BodyJob>(job: J, timeoutMs: number, onStart: ((startedAt: number) => void) | undefined): Promise<BodyResult<J>> {
    const abort = new AbortController();
    const clock = new JobClock();
    // The limit counts from the job's start on its thread, which the thread writes in the shared
    // clock: looked at when the limit could first have passed, then again until it has (a channel
    // per job to say "started" cost the main thread a third of a millisecond per job).
    let timer: NodeJS.Timeout | undefined;
    let seenStarted = false;
    const look = (): void => {
      const state = clock.stateNow;
      if (state === DONE) return;
      if (state !== 0 && !seenStarted) {
        seenStarted = true;
        onStart?.(performance.now() - clock.runningFor());
      }
      // Not started yet: look again soon. Started: when the limit would pass.
      const left = state === 0 ? Math.min(timeoutMs, WAITING_LOOK_MS) : timeoutMs - clock.runningFor();
      if (state !== 0 && left <= 0) abort.abort();
      else timer = setTimeout(look, left).unref();
    };
    look();
    try {
      // The body's bytes move to the thread, not copied again (they are a buffer of their own).
      const transfer = typeof job.markdown === 'string' ? [] : [job.markdown.buffer as ArrayBuffer];
      const task: WorkerTask = { job, clock: clock.buffer };
      const result = await this.threads.run(task, { signal: abort.signal, transferList: transfer });
      if (!result.ok) throw new RenderFailed(result.message);
      return result.value as BodyResult<J>;
    } catch (err) {
      if (err instanceof RenderFailed) throw err;
      if (abort.signal.aborted) throw new RenderTimeout(timeoutMs);
      // The thread died while the job ran (its heap limit): the post's fault. Before: ours.
      if (clock.stateNow !== 0) throw new RenderFailed(`its render thread stopped: ${(err as Error).message}`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every thread (shutdown; tests). */
  close(): Promise<void> {
    return this.#piscina?.destroy() ?? Promise.resolve();
  }
}

let shared: RenderPool | undefined;

/**
 * The process's render pool, made on first use: one per process, as the
 * libuv thread pool is, whatever the number of apps in it (tests build many;
 * the cluster runs one app per process). Its threads start when needed and
 * stop when idle, and never keep the process alive.
 */
export function sharedRenderPool(): RenderPool {
  return (shared ??= new RenderPool());
}
