/**
 * `WEB_CONCURRENCY=N`: the primary process forks N workers that share the
 * port (node:cluster), replaces a worker that dies, and on SIGTERM/SIGINT
 * asks every worker to finish its requests and exit. Each worker has its own
 * content store and page cache, and each checks the files itself, so every
 * worker is as fresh as a single process.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

const SHUTDOWN_GRACE_MS = 10_000;
/** A worker that dies sooner than this after starting counts towards a crash loop. */
const EARLY_DEATH_MS = 5_000;
const MAX_EARLY_DEATHS = 5;

export function runPrimary(workers: number, logger: Pick<Logger, 'info' | 'warn' | 'error'>): void {
  let stopping = false;
  let earlyDeaths = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    if (lived < EARLY_DEATH_MS && ++earlyDeaths >= MAX_EARLY_DEATHS) {
      logger.error('workers keep dying at start-up; giving up');
      process.exit(1);
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('workers did not stop in time');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  logger.info({ workers }, `starting ${workers} workers`);
  for (let i = 0; i < workers; i++) fork();
}

export const isPrimary = (): boolean => cluster.isPrimary;
