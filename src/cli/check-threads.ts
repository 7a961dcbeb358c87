/**
 * `npm run check`'s render threads: every post rendered as the server
 * renders it, many posts to a task. They are the server's kind of threads
 * (src/render/thread-pool.ts: piscina, the same heap limits), but where the
 * server sends one job per task, for 100,000 posts that would be two round
 * trips each (page and summary), with the main thread busy sending and
 * receiving. Here a task is a batch of posts: the thread reads each body
 * from disk itself, renders it and times it (src/cli/check-render.ts), and
 * answers once per batch (src/cli/check-worker.ts). Posts may be sent while
 * the folder is still being read (`add`), so the threads render while the
 * main thread parses (the store reads in slices, src/content/folder-scan.ts,
 * and answers the threads between them). A thread holds a few batches ahead,
 * so it never waits for the main thread between them; one thread starts at
 * once, the others when there is work waiting for them (a folder of a few
 * posts needs one).
 *
 * The time limit still holds for every post: the thread marks on the
 * batch's job clock (src/render/job-clock.ts) which post it is rendering and
 * when that post started, and the main thread looks a few times a second; a
 * post running for longer than the limit has its task aborted, which stops
 * its thread (the other posts of its batch, and the batches queued on that
 * thread, are sent again). A post that runs over, throws, or whose thread
 * dies (its heap limit) gets a failed verdict; the caller renders it again
 * alone, as the server would, to name it.
 */
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { DONE, JobClock } from '../render/job-clock.js';
import { DEFAULT_THREAD_HEAP_MB, threadPool, type LoadBalancer } from '../render/thread-pool.js';
import type { CheckItem, CheckVerdict } from './check-render.js';
import type { CheckTask } from './check-worker.js';

export interface CheckThreadsOptions {
  /** The render time limit of one post (`RENDER_TIMEOUT_MS`). */
  timeoutMs: number;
  threads?: number;
  /** Posts in one task at most. */
  batchSize?: number;
  /** Heap limit of each thread, as the server's render threads have. */
  maxHeapMb?: number;
}

/** Told the verdicts of a batch, in its order; a post stopped by the time limit comes alone, not ok. */
export type OnVerdicts = (items: readonly CheckItem[], verdicts: readonly CheckVerdict[]) => void;

/** Enough posts to make a task's cost small beside their renders, few enough to send again cheaply. */
const BATCH_SIZE = 64;
/** Body bytes in one task at most (posts of 2 MB go a few at a time). */
const BATCH_BYTES = 4 * 1024 * 1024;
/** Batches given ahead to each thread, so it never waits for the main thread between them. */
const AHEAD = 2;
/**
 * Before `run`, while the main thread reads the folder and hears from the
 * threads only between its slices of parsing (20 ms): batches given ahead
 * to each, some 200 ms of work.
 */
const AHEAD_WHILE_READING = 16;
/**
 * A batch whose thread was lost before it started, with no post to blame
 * since it was sent, is sent again this many times at most; then the check
 * fails (a thread that cannot start: ours, not the posts').
 */
const MAX_TRIES = 3;

interface Batch {
  readonly items: readonly CheckItem[];
  readonly clock: JobClock;
  readonly abort: AbortController;
  /** Losses with no post to blame so far. */
  readonly tries: number;
  /** Posts blamed (over the limit, or their thread died) when it was sent. */
  readonly faultsAtSend: number;
  /** The step seen over the limit, when it was aborted for it. */
  stuckStep?: number;
}

export class CheckThreads {
  readonly #options: Required<CheckThreadsOptions>;
  readonly #pool: Piscina<CheckTask, CheckVerdict[]>;
  /** Posts added and not yet in a batch. */
  #queue: CheckItem[] = [];
  #ahead = AHEAD_WHILE_READING;
  readonly #inFlight = new Set<Batch>();
  /** Posts added and not yet given a verdict. */
  #remaining = 0;
  /** Verdicts that came before `run` gave a listener. */
  #early: [readonly CheckItem[], readonly CheckVerdict[]][] = [];
  #onVerdicts: OnVerdicts | undefined;
  #done: { resolve: () => void; reject: (err: Error) => void } | undefined;
  #failure: Error | undefined;
  #watch: NodeJS.Timeout | undefined;
  #closed = false;
  /** Posts blamed so far: a thread lost with them takes the batches queued on it along. */
  #faults = 0;

  /** Starts a thread now, so it loads its modules while the folder is read. */
  constructor(options: CheckThreadsOptions) {
    this.#options = {
      threads: options.threads ?? Math.max(1, Math.min(4, availableParallelism())),
      batchSize: options.batchSize ?? BATCH_SIZE,
      maxHeapMb: options.maxHeapMb ?? DEFAULT_THREAD_HEAP_MB,
      timeoutMs: options.timeoutMs,
    };
    this.#pool = threadPool<CheckTask, CheckVerdict[]>({
      module: { name: 'check-worker', beside: import.meta.url },
      threads: this.#options.threads,
      minThreads: 1,
      maxHeapMb: this.#options.maxHeapMb,
      loadBalancer: this.#balancer,
    });
    // A thread lost with no task on it: not a post's doing.
    this.#pool.on('error', (err: Error) => this.#fail(new Error(`a check render thread failed: ${err.message}`)));
  }

  /** Queues a post, and sends a batch once there are enough: the threads start on it even while this thread is busy. */
  add(item: CheckItem): void {
    this.#queue.push(item);
    this.#remaining++;
    if (this.#queue.length >= this.#options.batchSize) this.#sendQueued(false);
  }

  /**
   * Adds these posts, sends every one, and resolves once each post added
   * has its verdict; `onVerdicts` is told of each batch (those that came
   * back already first). Called once. Rejects only when a thread fails
   * outside any post (ours, not the post's).
   */
  run(items: readonly CheckItem[], onVerdicts: OnVerdicts): Promise<void> {
    if (this.#onVerdicts) throw new Error('CheckThreads.run is called once');
    this.#onVerdicts = onVerdicts;
    for (const item of items) this.#queue.push(item);
    this.#remaining += items.length;
    this.#ahead = AHEAD;
    const done = new Promise<void>((resolve, reject) => (this.#done = { resolve, reject }));
    const { timeoutMs } = this.#options;
    this.#watch = setInterval(() => this.#lookForStuck(), Math.max(10, Math.min(100, timeoutMs / 10)));
    const early = this.#early;
    this.#early = [];
    for (const [batch, verdicts] of early) this.#deliver(batch, verdicts);
    this.#sendQueued(true);
    this.#settle();
    return done;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    clearInterval(this.#watch);
    this.#closed = true;
    await this.#pool.destroy();
  }

  /**
   * The thread with the fewest batches, below `#ahead`; none while every
   * thread has work and another may start (piscina then starts one), or when
   * all are full (the batch waits in piscina's queue). Piscina's own balancer
   * gives a thread one task at a time when tasks can be aborted; here a
   * thread holds several, run in turn.
   */
  readonly #balancer: LoadBalancer = (_task, workers) => {
    let best: (typeof workers)[number] | null = null;
    let fewest = this.#ahead;
    for (const worker of workers) {
      if (worker.terminating || worker.destroyed) continue;
      // Piscina counts a thread holding one abortable task as full (Infinity).
      const load = worker.isRunningAbortableTask ? 1 : worker.currentUsage;
      if (load < fewest) {
        best = worker;
        fewest = load;
      }
    }
    if ((!best || fewest > 0) && this.#pool.threads.length < this.#options.threads) return null;
    return best;
  };

  /** Batches of the queued posts; `all`: a last batch short of full too. */
  #sendQueued(all: boolean): void {
    let start = 0;
    while (start < this.#queue.length) {
      const end = batchEnd(this.#queue, start, this.#options.batchSize);
      if (!all && end - start < this.#options.batchSize && end === this.#queue.length) break;
      this.#send(this.#queue.slice(start, end), 1);
      start = end;
    }
    this.#queue = this.#queue.slice(start);
  }

  #send(items: readonly CheckItem[], tries: number): void {
    const batch: Batch = { items, clock: new JobClock(), abort: new AbortController(), tries, faultsAtSend: this.#faults };
    this.#inFlight.add(batch);
    const task: CheckTask = { items, timeoutMs: this.#options.timeoutMs, clock: batch.clock.buffer };
    this.#pool.run(task, { signal: batch.abort.signal }).then(
      (verdicts) => {
        this.#inFlight.delete(batch);
        if (!this.#closed) this.#deliver(items, verdicts);
      },
      (err: unknown) => {
        this.#inFlight.delete(batch);
        if (!this.#closed) this.#lose(batch, err as Error);
      },
    );
  }

  #deliver(batch: readonly CheckItem[], verdicts: readonly CheckVerdict[]): void {
    if (!this.#onVerdicts) {
      this.#early.push([batch, verdicts]);
      return;
    }
    this.#remaining -= batch.length;
    try {
      this.#onVerdicts(batch, verdicts);
    } catch (err) {
      this.#failure ??= err as Error;
    }
    this.#settle();
  }

  #settle(): void {
    if (!this.#done) return;
    if (this.#failure) this.#done.reject(this.#failure);
    else if (this.#remaining === 0) this.#done.resolve();
    else return;
    clearInterval(this.#watch);
    this.#done = undefined;
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#settle();
  }

  /**
   * The batch's task failed: aborted here (a post over the limit), or its
   * thread died or was stopped. The post it was rendering fails; the rest go
   * again. A batch that had not started goes again whole, a few times at most.
   */
  #lose(batch: Batch, err: Error): void {
    // The step seen stuck, or the one its dead thread was on (a thread stopped here may have gone on a little since).
    const step = batch.stuckStep ?? (batch.clock.stateNow === DONE ? undefined : batch.clock.running()?.step);
    const culprit = step === undefined ? undefined : batch.items[step];
    if (culprit) {
      if (batch.stuckStep === undefined) this.#faults++;
      const rest = batch.items.filter((item) => item !== culprit);
      if (rest.length) this.#send(rest, batch.tries);
      this.#deliver([culprit], [{ ok: false }]);
      return;
    }
    // Not started (a post on its thread was stopped, or killed it), or done with its answer lost.
    if (this.#faults > batch.faultsAtSend) this.#send(batch.items, batch.tries);
    else if (batch.tries < MAX_TRIES) this.#send(batch.items, batch.tries + 1);
    else this.#fail(new Error(`a check render thread failed: ${err.message}`));
  }

  /** A post running for longer than the limit has its task aborted, which stops its thread. */
  #lookForStuck(): void {
    for (const batch of this.#inFlight) {
      const running = batch.clock.running();
      if (!running || running.ms <= this.#options.timeoutMs) continue;
      batch.stuckStep = running.step;
      this.#faults++;
      batch.abort.abort();
    }
  }
}

/** Where the batch that starts at `start` ends: `size` posts at most, and `BATCH_BYTES` of bodies unless it is one post. */
function batchEnd(items: readonly CheckItem[], start: number, size: number): number {
  let end = start;
  let bytes = 0;
  while (end < items.length && end - start < size) {
    const next = sizeOf(items[end]!);
    if (end > start && bytes + next > BATCH_BYTES) break;
    bytes += next;
    end++;
  }
  return end;
}

function sizeOf(item: CheckItem): number {
  return item.body.kind === 'bytes' ? item.body.bytes.byteLength : item.body.signature.size;
}
