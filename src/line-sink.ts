/**
 * Where log lines go in production: a bounded buffer in front of a file
 * descriptor (stdout, redirected to a file or a pipe by a process manager).
 *
 * A line costs a copy into a preallocated buffer. The lines of one turn of
 * the event loop are written together, with one asynchronous `write(2)` (on
 * libuv's thread pool, so a slow disk or a full pipe never blocks a request),
 * and at most one write is in flight, so lines keep their order. While it is
 * in flight, new lines wait in the buffer; when the buffer is full (the output
 * cannot keep up), further lines are dropped and counted, rather than held in
 * ever more memory, and the count is reported once the output catches up.
 *
 * pino writes its own lines here too (it takes any stream with `write`), so
 * access lines and the other lines share one order, one bound and one flush.
 * `flushSync()` writes what is waiting; the server calls it on exit.
 */
import { write as writeAsync, writeSync } from 'node:fs';

export interface LineWriter {
  /** Appends a line (ending in `\n`); false when it was dropped. */
  write(line: string): boolean;
}

export interface LineSinkOptions {
  readonly fd: number;
  /** Bytes of lines waiting to be written at most (1 MiB: about 3,000 access lines). */
  readonly capacity?: number;
  /** Called after a write, when lines were dropped since the last call, with their number. */
  readonly onDrop?: (dropped: number) => void;
}

const DEFAULT_CAPACITY = 1024 * 1024;
/** How long to wait before writing again to a non-blocking output that said "try again". */
const RETRY_MS = 10;

export class LineSink implements LineWriter {
  private readonly fd: number;
  private readonly onDrop: ((dropped: number) => void) | undefined;
  /** Lines waiting; appended at `length`. */
  private pending: Buffer;
  private length = 0;
  /** The buffer being written, swapped with `pending` once written. */
  private spare: Buffer;
  private writing = false;
  private scheduled = false;
  private closed = false;
  /** Lines dropped since the last report, and in all. */
  private unreported = 0;
  private droppedTotal = 0;

  constructor(options: LineSinkOptions) {
    this.fd = options.fd;
    this.onDrop = options.onDrop;
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.pending = Buffer.allocUnsafe(capacity);
    this.spare = Buffer.allocUnsafe(capacity);
  }

  /** Lines dropped since the start because the output could not keep up. */
  get dropped(): number {
    return this.droppedTotal;
  }

  write(line: string): boolean {
    if (this.closed) return false;
    // Each UTF-16 unit is at most 3 UTF-8 bytes: only a line that might not fit is measured.
    const room = this.pending.length - this.length;
    if (line.length * 3 > room && Buffer.byteLength(line) > room) {
      this.unreported++;
      this.droppedTotal++;
      return false;
    }
    this.length += this.pending.write(line, this.length);
    if (!this.writing && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return true;
  }

  /** Writes what is waiting, synchronously: for the process's exit, when there is no event loop left. */
  flushSync(): void {
    // A write in flight is left to finish (writing it again could duplicate it); what waits behind it is written now.
    let offset = 0;
    // A non-blocking output that is full says "try again": for a second at most, then the rest is lost.
    const deadline = Date.now() + 1000;
    while (offset < this.length) {
      try {
        offset += writeSync(this.fd, this.pending, offset, this.length - offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) break;
      }
    }
    this.length = 0;
  }

  /** Writes what is waiting, then stops taking lines. */
  close(): void {
    this.flushSync();
    this.closed = true;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.writing || this.length === 0 || this.closed) return;
    const chunk = this.pending;
    const length = this.length;
    this.pending = this.spare;
    this.spare = chunk;
    this.length = 0;
    this.writing = true;
    this.writeFrom(chunk, 0, length);
  };

  private writeFrom(chunk: Buffer, offset: number, length: number): void {
    writeAsync(this.fd, chunk, offset, length - offset, null, (err, written) => {
      if (err) {
        if (err.code === 'EAGAIN') {
          setTimeout(() => this.writeFrom(chunk, offset, length), RETRY_MS);
          return;
        }
        // The output is gone (EPIPE, EBADF, ENOSPC): these lines cannot be written; count them as dropped.
        this.droppedTotal += countLines(chunk, offset, length);
        this.unreported += countLines(chunk, offset, length);
      } else if (offset + written < length) {
        this.writeFrom(chunk, offset + written, length);
        return;
      }
      this.writing = false;
      this.reportDrops();
      if (this.length > 0) this.flush();
    });
  }

  private reportDrops(): void {
    if (this.unreported === 0 || !this.onDrop) return;
    const dropped = this.unreported;
    this.unreported = 0;
    this.onDrop(dropped);
  }
}

function countLines(chunk: Buffer, from: number, to: number): number {
  let lines = 0;
  for (let i = chunk.indexOf(10, from); i >= 0 && i < to; i = chunk.indexOf(10, i + 1)) lines++;
  return lines;
}
