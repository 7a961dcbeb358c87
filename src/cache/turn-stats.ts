import { statSync, type Stats } from 'node:fs';

/**
 * `stat` results shared by the requests of one turn of the event loop, and
 * forgotten at its end (`setImmediate` runs right after the I/O phase). Under
 * load a turn answers dozens of requests; they all need the same few files.
 *
 * This keeps "an edit shows on the next request": a request answered in this
 * turn was read from a socket that was readable when the turn began (a client
 * waits for its answer before it sends the next request on a connection, and
 * a new connection is read in a later turn), so it was sent before the first
 * `stat` of the turn was taken, and an edit that finished before the request
 * was sent is in that `stat`.
 */
export class TurnStats {
  private readonly known = new Map<string, Stats | undefined>();
  private clearing = false;
  private readonly clear = (): void => {
    this.known.clear();
    this.clearing = false;
  };

  get(path: string): Stats | undefined {
    if (this.known.has(path)) return this.known.get(path);
    const stats = statSync(path, { throwIfNoEntry: false });
    this.known.set(path, stats);
    if (!this.clearing) {
      this.clearing = true;
      setImmediate(this.clear);
    }
    return stats;
  }
}
