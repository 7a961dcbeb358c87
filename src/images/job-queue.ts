/**
 * A bounded queue for heavy image jobs (sharp's decodes and encodes): at
 * most `concurrency` run at once and at most `maxWaiting` wait; past that a
 * job is refused at once (`QueueFull`) instead of waiting without end. Each
 * running job holds a thread of libuv's pool (4 by default), which file
 * reads share: unbounded, eight variant jobs left a static file waiting
 * 10 s (docs/rich-content.md, Images).
 */

/** Thrown (as a rejection) when the waiting list is full. */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

export class JobQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  /** Runs `job` when a place is free; rejects with `QueueFull` at once when the waiting list is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFull(`${this.running} image jobs running and ${this.waiting.length} waiting`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  /** Hands the place to the first waiting job, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
