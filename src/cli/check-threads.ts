/**
 * `npm run check`'s render threads: every post rendered as the server
 * renders it, many posts to a message. The server's pool (piscina,
 * src/render/render-pool.ts) sends one job per message and times it from the
 * main thread; for 100,000 posts that was two round trips each (page and
 * summary), with the main thread busy sending and receiving. Here a thread
 * gets batches of posts, reads each body from disk itself, renders it and
 * times it (src/cli/check-render.ts), and answers once per batch.
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
import { loaderFlags } from '../render/render-pool.js';
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
  #ran = false;

  /** Starts the threads now, so they load their modules while the folder is read. */
  constructor(options: CheckThreadsOptions) {
    this.#options = {
      threads: options.threads ?? Math.max(1, Math.min(4, availableParallelism())),
      batchSize: options.batchSize ?? BATCH_SIZE,
      maxHeapMb: options.maxHeapMb ?? 512,
      timeoutMs: options.timeoutMs,
    };
    for (let i = 0; i < this.#options.threads; i++) this.#slots.push(this.#start());
  }

  #start(): Slot {
    const state = new Int32Array(new SharedArrayBuffer(STATE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const entry = workerEntry();
    const workerData: CheckWorkerData = { state, timeoutMs: this.#options.timeoutMs };
    const worker = new Worker(entry.script, { eval: entry.eval, execArgv: entry.execArgv, workerData, resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb } });
    return { worker, state, inFlight: [], seenStarted: -1, seenAt: 0, stopped: false };
  }

  /**
   * Renders every item (once per instance); `onVerdicts` is told of each batch as it comes back.
   * Rejects only when a thread fails outside any post (ours, not the post's).
   */
  run(items: readonly CheckItem[], onVerdicts: OnVerdicts): Promise<void> {
    if (this.#ran) throw new Error('CheckThreads.run is called once');
    this.#ran = true;
    const { batchSize, timeoutMs } = this.#options;
    let cursor = 0;
    const retry: CheckItem[] = [];
    let remaining = items.length;
    const sizeOf = (item: CheckItem): number => (item.body.kind === 'bytes' ? item.body.bytes.byteLength : item.body.signature.size);
    const nextBatch = (): CheckItem[] | undefined => {
      const batch: CheckItem[] = [];
      let bytes = 0;
      while (batch.length < batchSize && (retry.length || cursor < items.length)) {
        const item = retry.length ? retry[0]! : items[cursor]!;
        if (batch.length && bytes + sizeOf(item) > BATCH_BYTES) break;
        if (retry.length) retry.shift();
        else cursor++;
        batch.push(item);
        bytes += sizeOf(item);
      }
      return batch.length ? batch : undefined;
    };

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        if (err) reject(err);
        else resolve();
      };
      const deliver = (batch: readonly CheckItem[], verdicts: readonly CheckVerdict[]): void => {
        remaining -= batch.length;
        try {
          onVerdicts(batch, verdicts);
        } catch (err) {
          finish(err as Error);
          return;
        }
        if (remaining === 0) finish();
      };
      const fill = (slot: Slot): void => {
        while (!slot.stopped && slot.inFlight.length < AHEAD) {
          const batch = nextBatch();
          if (!batch) return;
          slot.inFlight.push(batch);
          slot.worker.postMessage({ items: batch });
        }
      };
      const listen = (slot: Slot): void => {
        slot.worker.on('message', ({ verdicts }: CheckBatchResult) => {
          const batch = slot.inFlight.shift();
          if (!batch || slot.stopped) return;
          // The next batches go out before this one's posts are checked here.
          fill(slot);
          deliver(batch, verdicts);
        });
        slot.worker.on('error', (err) => lose(slot, err));
        slot.worker.on('exit', (code) => lose(slot, new Error(`a check thread stopped (exit code ${code})`)));
      };
      /** The thread is gone, or stopped here: the post it was rendering fails, the rest go again to a new thread. */
      const lose = (slot: Slot, err: Error): void => {
        if (slot.stopped || settled) return;
        slot.stopped = true;
        void slot.worker.terminate();
        const running = Atomics.load(slot.state, RUNNING) === 1 ? Atomics.load(slot.state, ITEM) : undefined;
        const pending = slot.inFlight.flat();
        const culprit = pending.find((item) => item.id === running);
        if (!culprit) {
          // Not while a post ran (it could not start): the check cannot go on.
          for (const other of this.#slots) void other.worker.terminate();
          finish(new Error(`a check render thread failed: ${err.message}`));
          return;
        }
        retry.unshift(...pending.filter((item) => item !== culprit));
        const fresh = this.#start();
        this.#slots[this.#slots.indexOf(slot)] = fresh;
        listen(fresh);
        fill(fresh);
        deliver([culprit], [{ ok: false }]);
      };
      const watch = setInterval(
        () => {
          const now = performance.now();
          for (const slot of this.#slots) {
            if (slot.stopped) continue;
            const started = Atomics.load(slot.state, STARTED);
            if (Atomics.load(slot.state, RUNNING) !== 1 || started !== slot.seenStarted) {
              slot.seenStarted = Atomics.load(slot.state, RUNNING) === 1 ? started : -1;
              slot.seenAt = now;
            } else if (now - slot.seenAt > timeoutMs) {
              lose(slot, new Error('over the time limit'));
            }
          }
        },
        Math.max(10, Math.min(100, timeoutMs / 10)),
      );
      if (remaining === 0) {
        finish();
        return;
      }
      for (const slot of this.#slots) listen(slot);
      for (const slot of this.#slots) fill(slot);
    });
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    for (const slot of slots) slot.stopped = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
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
