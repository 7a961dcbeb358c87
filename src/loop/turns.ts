/**
 * A share of the event loop for long work (search, the sitemap): work given
 * as steps (generators that yield between bounded pieces of work) runs a few
 * milliseconds per turn of the loop, all callers together, one step of each
 * in turn. Each caller
 * yielding on its own (a `setImmediate` each) would not do: the immediates
 * of one turn all run before the loop looks at anything else, so four
 * searches at once held it four times as long (docs/search.md, "Bounded work").
 */

/** A turn's work, then the loop runs what else is waiting: a request arriving meanwhile waits about this long, plus one step. */
export const SLICE_MS = 5;

export class Turns {
  /** Each job's next step; true when the job is done. */
  private readonly steps: (() => boolean)[] = [];
  private scheduled = false;

  /** `schedule` runs the next turn later (`setImmediate`, after pending I/O). */
  constructor(private readonly schedule: (next: () => void) => void = (next) => setImmediate(next)) {}

  /** Runs `job` a step at a time, from the next turn on, to its value. */
  run<T>(job: Generator<void, T, void>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.steps.push(() => {
        try {
          const step = job.next();
          if (!step.done) return false;
          resolve(step.value);
        } catch (err) {
          reject(err);
        }
        return true;
      });
      this.wake();
    });
  }

  /** Runs `job` to its value at once, without yielding the loop (tests, and callers with no loop to share). */
  static runNow<T>(job: Generator<void, T, void>): T {
    for (;;) {
      const step = job.next();
      if (step.done) return step.value;
    }
  }

  /** Jobs running. */
  get size(): number {
    return this.steps.length;
  }

  private wake(): void {
    if (this.scheduled || !this.steps.length) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.turn();
    });
  }

  /** Steps of the jobs, each in turn, for SLICE_MS (one step at least). */
  private turn(): void {
    const until = performance.now() + SLICE_MS;
    do {
      const step = this.steps.shift()!;
      if (!step()) this.steps.push(step);
    } while (this.steps.length && performance.now() < until);
    this.wake();
  }
}
