/**
 * Post files that may still be being written (an editor or a copy writing in
 * place, in several chunks): a file that changed while it was read, or whose
 * mtime is younger than the settle time while the site is up, is not parsed
 * but noted here, and read again once it has stopped changing; a reader of
 * its post waits for that once, at most the settle time (docs/security.md,
 * "Writes in progress").
 */
import { sameSignature, signatureOf, type PostFile } from './find-posts.js';
import type { PostBytes } from './body-file.js';
import type { FileSignature, Post } from './post.js';
import { parsePostName } from './slug.js';

/**
 * A post file whose mtime is younger than this may still be being written:
 * it is read again once it is this old, and a reader waits for that at most
 * this long.
 */
export const SETTLE_MS = 50;

/** The signature of an entry whose file was read while it was being written: never the file's, so it is read again. */
export const UNSETTLED: FileSignature = { mtimeMs: -1, ctimeMs: -1, size: -1, ino: -1 };

/** What a read of a post file gives for a file read mid-write. */
export const SETTLING = Symbol('settling');

export interface SettleLogger {
  warn(obj: object, msg: string): void;
}

export class WritesInProgress {
  /** Post files read while they may have been being written, with when to read them again (`Date.now()` time). */
  private readonly settling = new Map<string, { readonly due: number; readonly signature: FileSignature }>();
  private timer: NodeJS.Timeout | undefined;
  /** A reader has waited the settle time for the files being read now: their age is not looked at again. */
  private waited = false;

  /**
   * @param readAgain reads these files again, as the store reads named files.
   * @param isKnown whether the store still has a post file at this path.
   */
  constructor(
    private readonly settleMs: number,
    private readonly readAgain: (files: readonly string[]) => void,
    private readonly isKnown: (file: string) => boolean,
    private readonly logger: SettleLogger | undefined,
  ) {}

  get size(): number {
    return this.settling.size;
  }

  /**
   * True, noting when to read it again, for a file read while it may still
   * be being written: it changed during the read, or it was saved less than
   * the settle time ago and `live` (the site is up, and not reading a whole
   * folder at start-up or after a deploy, whose files are not being edited).
   */
  isSettling(file: string, read: PostBytes, live: boolean): boolean {
    const age = Date.now() - read.stats.mtimeMs;
    const seen = this.settling.get(file);
    // After a reader's wait, the file is settled when it did not change across the wait.
    const moved = this.waited && seen !== undefined && !sameSignature(read.stats, seen.signature);
    // A future mtime (a copied file, a clock set by hand) says nothing about a write in progress.
    const young = live && !(this.waited && seen) && age >= 0 && age < this.settleMs;
    if (!read.changedWhileRead && !young && !moved) {
      this.settling.delete(file);
      return false;
    }
    this.settling.set(file, { due: Date.now() + this.settleMs - (young ? age : 0), signature: signatureOf(read.stats) });
    this.settleSoon();
    return true;
  }

  /**
   * Waits, once and at most the settle time, for a file seen mid-write to
   * settle, then reads it again: a reader gets the new version when the
   * write ends within that time, else the last good one.
   */
  async settled(file: string): Promise<void> {
    const seen = this.settling.get(file);
    if (!seen) return;
    const wait = Math.min(this.settleMs, seen.due - Date.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!this.settling.has(file)) return;
    // Timers and file times run on different clocks: after the wait the file is read again,
    // and taken as it is unless it changed across the wait or while it is read.
    this.waited = true;
    try {
      this.readAgain([file]);
    } finally {
      this.waited = false;
    }
    if (!this.isKnown(file)) this.settling.delete(file);
  }

  /** The settling file that is (or would be) the post at `slug`, by its name; `sourceOf` gives the store's post file at a path. */
  fileOf(slug: string, post: Post | undefined, sourceOf: (file: string) => PostFile | undefined): string | undefined {
    if (post) return this.settling.has(post.file) ? post.file : undefined;
    for (const file of this.settling.keys()) {
      const source = sourceOf(file);
      if (source && parsePostName(source.baseName, source.relPath).slug === slug) return file;
    }
    return undefined;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads again the settling files due by `now` (the settle timer); a write still going on leaves them settling. */
  private readDue(now: number): void {
    const due = [...this.settling].filter(([, s]) => s.due <= now).map(([file]) => file);
    if (due.length) this.readAgain(due);
    // A file deleted meanwhile is no longer waited for.
    for (const file of due) if (!this.isKnown(file)) this.settling.delete(file);
  }

  /** With no reader, a settling file is still read again when due, so the listings and the CDN get it. */
  private settleSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.readDue(Date.now() + 1);
      } catch (err) {
        this.logger?.warn({ err: (err as Error).message }, 'reading a settled post file again failed');
      }
      if (this.settling.size) this.settleSoon();
    }, this.settleMs);
    this.timer.unref();
  }
}
