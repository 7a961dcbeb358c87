/**
 * A check thread: renders the batches of posts it is sent, one post at a
 * time (src/cli/check-render.ts), and marks in the shared state which post
 * runs, so a post that runs over the time limit can be found and its thread
 * stopped (src/cli/check-threads.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkOne, type CheckVerdict } from './check-render.js';
import { ITEM, RUNNING, STARTED, type CheckBatch, type CheckBatchResult, type CheckWorkerData } from './check-protocol.js';

const { state, timeoutMs } = workerData as CheckWorkerData;

parentPort?.on('message', ({ items }: CheckBatch) => {
  const verdicts: CheckVerdict[] = [];
  for (const item of items) {
    Atomics.store(state, ITEM, item.id);
    Atomics.add(state, STARTED, 1);
    Atomics.store(state, RUNNING, 1);
    verdicts.push(checkOne(item, timeoutMs));
    Atomics.store(state, RUNNING, 0);
  }
  const result: CheckBatchResult = { verdicts };
  parentPort?.postMessage(result);
});
