/**
 * `npm run check`'s render threads: every post rendered as the server
 * renders it, many posts to a message. The server's pool (piscina,
 * src/render/render-pool.ts) sends one job per message and times it from the
 * main thread; for 100,000 posts that was two round trips each (page and
 * summary), with the main thread busy sending and receiving. Here a thread
 * gets batches of posts, reads each body from disk itself, renders it and
 * times it (src/cli/check-render.ts), and answers once per batch. Posts may
 * be sent while the folder is still being read (`add`), so the threads
 * render while the main thread parses.
 *
 * The time limit still holds for every post: the thread marks in a shared
 * array which post it is rendering, and the main thread looks a few times a
 * second; a post seen running for longer than the limit has its thread
 * stopped (the other posts of its batches are sent again, to a new thread).
 * Since the main thread sees a post start no sooner than it started, no
 * post is stopped before it ran over the limit. A post that runs over,
 * throws, or whose thread dies (its heap limit) gets a failed verdict; the
 * caller renders it again alone, as the server would, to name it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_THREAD_HEAP_MB, loaderFlags } from '../render/render-pool.js';
import { ITEM, RUNNING, STARTED, STATE_SLOTS, type CheckBatchResult, type CheckWorkerData } from './check-protocol.js';
import type { CheckItem, CheckVerdict } from './check-render.js';

export interface CheckThreadsOptions {
  /** The render time limit of one post (`RENDER_TIMEOUT_MS`). */
  timeoutMs: number;
  threads?: number;
  /** Posts in one message at most. */
  batchSize?: number;
  /** Heap limit of each thread, as the server's render threads have. */
  maxHeapMb?: number;
}

/** Told the verdicts of a batch, in its order; a post stopped by the time limit comes alone, not ok. */
export type OnVerdicts = (items: readonly CheckItem[], verdicts: readonly CheckVerdict[]) => void;

/** Enough posts to make a message's cost small beside their renders, few enough to resend cheaply. */
const BATCH_SIZE = 64;
/** Body bytes in one message at most (posts of 2 MB go a few at a time). */
const BATCH_BYTES = 4 * 1024 * 1024;
/** Batches sent ahead to each thread, so it never waits for the main thread between them. */
const AHEAD = 2;
/**
 * Before `run`, while the main thread is busy reading the folder and cannot
 * hear from the threads: batches sent ahead to each, enough for seconds of work.
 */
const AHEAD_WHILE_READING = 256;

interface Slot {
  readonly worker: Worker;
  readonly state: Int32Array;
  /** Batches sent and not answered, oldest first (the thread runs them in order). */
  readonly inFlight: CheckItem[][];
  /** The last `STARTED` count seen with a post running, and when it was first seen. */
  seenStarted: number;
  seenAt: number;
  stopped: boolean;
}

export class CheckThreads {
  readonly #options: Required<Omit<CheckThreadsOptions, 'threads'>> & { threads: number };
  #slots: Slot[] = [];
  /** Posts waiting to be sent, from `#head` on (an index, not `shift`: 100,000 of them). */
  #queue: CheckItem[] = [];
  #head = 0;
  /** Posts of a lost thread's batches, sent again before the queue. */
  readonly #retry: CheckItem[] = [];
  #ahead = AHEAD_WHILE_READING;
  /** Posts added and not yet given a verdict. */
  #remaining = 0;
  /** Verdicts that came before `run` gave a listener. */
  #early: [readonly CheckItem[], readonly CheckVerdict[]][] = [];
  #onVerdicts: OnVerdicts | undefined;
  #done: { resolve: () => void; reject: (err: Error) => void } | undefined;
  #failure: Error | undefined;
  #watch: NodeJS.Timeout | undefined;

  /**
   * Starts a thread now, so it loads its modules while the folder is read;
   * the others start once there is work waiting for them (a folder of a few
   * posts needs one).
   */
  constructor(options: CheckThreadsOptions) {
    this.#options = {
      threads: options.threads ?? Math.max(1, Math.min(4, availableParallelism())),
      batchSize: options.batchSize ?? BATCH_SIZE,
      maxHeapMb: options.maxHeapMb ?? DEFAULT_THREAD_HEAP_MB,
      timeoutMs: options.timeoutMs,
    };
    this.#slots.push(this.#start());
  }

  /** Queues a post, and sends a batch once there are enough: the threads start on it even while this thread is busy. */
  add(item: CheckItem): void {
    this.#queue.push(item);
    this.#remaining++;
    if (this.#queue.length - this.#head >= this.#options.batchSize) this.#fill(false);
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
    this.#fill(true);
    this.#settle();
    return done;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    clearInterval(this.#watch);
    const slots = this.#slots;
    this.#slots = [];
    for (const slot of slots) slot.stopped = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #start(): Slot {
    const state = new Int32Array(new SharedArrayBuffer(STATE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const entry = workerEntry();
    const workerData: CheckWorkerData = { state, timeoutMs: this.#options.timeoutMs };
    const worker = new Worker(entry.script, { eval: entry.eval, execArgv: entry.execArgv, workerData, resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb } });
    const slot: Slot = { worker, state, inFlight: [], seenStarted: -1, seenAt: 0, stopped: false };
    worker.on('message', ({ verdicts }: CheckBatchResult) => {
      const batch = slot.inFlight.shift();
      if (!batch || slot.stopped) return;
      // The next batches go out before this one's posts are checked here.
      this.#fill(true);
      this.#deliver(batch, verdicts);
    });
    worker.on('error', (err) => this.#lose(slot, err));
    worker.on('exit', (code) => this.#lose(slot, new Error(`a check thread stopped (exit code ${code})`)));
    return slot;
  }

  /** Sends batches to the threads with the fewest waiting, up to `#ahead` each; `all`: a last batch short of full too. */
  #fill(all: boolean): void {
    for (;;) {
      const waiting = this.#retry.length + this.#queue.length - this.#head;
      if (!waiting || (!all && waiting < this.#options.batchSize)) return;
      // Another thread, while every one has work already.
      if (this.#slots.length < this.#options.threads && this.#slots.every((slot) => slot.stopped || slot.inFlight.length > 0)) this.#slots.push(this.#start());
      const open = this.#slots.filter((slot) => !slot.stopped && slot.inFlight.length < this.#ahead);
      if (!open.length) return;
      const slot = open.reduce((a, b) => (b.inFlight.length < a.inFlight.length ? b : a));
      const batch = this.#nextBatch();
      slot.inFlight.push(batch);
      slot.worker.postMessage({ items: batch });
    }
  }

  #nextBatch(): CheckItem[] {
    const batch: CheckItem[] = [];
    let bytes = 0;
    while (batch.length < this.#options.batchSize) {
      const item = this.#retry.length ? this.#retry[0] : this.#queue[this.#head];
      if (!item) break;
      const size = sizeOf(item);
      if (batch.length && bytes + size > BATCH_BYTES) break;
      if (this.#retry.length) this.#retry.shift();
      else this.#head++;
      batch.push(item);
      bytes += size;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    return batch;
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

  /**
   * The thread is gone, or stopped here (`stuck`): the post it was rendering
   * fails, the rest go again to a new thread.
   */
  #lose(slot: Slot, err: Error, stuck = false): void {
    if (slot.stopped) return;
    slot.stopped = true;
    const running = Atomics.load(slot.state, RUNNING) === 1 ? Atomics.load(slot.state, ITEM) : undefined;
    void slot.worker.terminate();
    const pending = slot.inFlight.flat();
    const culprit = pending.find((item) => item.id === running);
    if (!culprit && stuck) {
      // The post seen stuck ended just as the thread was stopped: all of them go again (met again, it is stopped again).
      this.#retry.push(...pending);
      this.#slots[this.#slots.indexOf(slot)] = this.#start();
      this.#fill(Boolean(this.#onVerdicts));
      return;
    }
    if (!culprit) {
      // Not while a post ran (it could not start): the check cannot go on.
      this.#failure ??= new Error(`a check render thread failed: ${err.message}`);
      for (const other of this.#slots) {
        other.stopped = true;
        void other.worker.terminate();
      }
      this.#settle();
      return;
    }
    this.#retry.push(...pending.filter((item) => item !== culprit));
    this.#slots[this.#slots.indexOf(slot)] = this.#start();
    this.#fill(Boolean(this.#onVerdicts));
    this.#deliver([culprit], [{ ok: false }]);
  }

  /** A post seen running for longer than the limit has its thread stopped. */
  #lookForStuck(): void {
    const now = performance.now();
    for (const slot of this.#slots) {
      if (slot.stopped) continue;
      const started = Atomics.load(slot.state, STARTED);
      const running = Atomics.load(slot.state, RUNNING) === 1;
      if (!running || started !== slot.seenStarted) {
        slot.seenStarted = running ? started : -1;
        slot.seenAt = now;
      } else if (now - slot.seenAt > this.#options.timeoutMs) {
        this.#lose(slot, new Error('over the time limit'), true);
      }
    }
  }
}

function sizeOf(item: CheckItem): number {
  return item.body.kind === 'bytes' ? item.body.bytes.byteLength : item.body.signature.size;
}

/**
 * The worker's module beside this one: `.ts` through tsx when run from
 * source (tests). A thread's first module may load before hooks given with
 * `--import` are ready, so tsx is registered by a line of script that then
 * imports the module.
 */
function workerEntry(): { script: string | URL; eval: boolean; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './check-worker.ts' : './check-worker.js', import.meta.url);
  const execArgv = loaderFlags(process.execArgv);
  if (!fromSource) return { script: url, eval: false, execArgv };
  // tsx's hooks registered and ready before the module is imported.
  return { script: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, eval: true, execArgv };
}
