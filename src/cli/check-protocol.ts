/**
 * What the main thread and a check thread (src/cli/check-worker.ts) say to
 * each other. The thread gets batches of posts in messages and answers each
 * batch with one message; between them, a small shared array says which post
 * it is rendering, so the main thread can stop a thread that is stuck on one
 * (src/cli/check-threads.ts).
 */
import type { CheckItem, CheckVerdict } from './check-render.js';

export interface CheckWorkerData {
  /** Shared with the main thread: see the slots below. */
  readonly state: Int32Array;
  /** The render time limit of one post (`RENDER_TIMEOUT_MS`). */
  readonly timeoutMs: number;
}

/** Posts started on this thread so far: changes as each post starts. */
export const STARTED = 0;
/** The id of the post started last. */
export const ITEM = 1;
/** 1 while a post renders, 0 between posts. */
export const RUNNING = 2;
export const STATE_SLOTS = 3;

export interface CheckBatch {
  readonly items: readonly CheckItem[];
}

/** The verdict of each item of a batch, in its order. */
export interface CheckBatchResult {
  readonly verdicts: readonly CheckVerdict[];
}
