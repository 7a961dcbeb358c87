/**
 * The safety net of a watched folder, a share at a time. A watch can miss an
 * event (a file system that sends none, a burst past the kernel's queue), so
 * every post file the store knows is `stat`ed once a round: every
 * `rescanEveryMs`, or rarer for a folder slow to list (`safetyRoundMs`
 * below). A listing of the whole folder each round would cost too much: with
 * 100,000 posts it held the event loop for 0.4-0.6 s every 50 s, and each
 * one left about 38 MB of garbage (the listing itself) in the old
 * generation, which a full collection of the 200 MB heap then had to find;
 * under load both showed as a 2-second stretch at 60% of the speed
 * (docs/performance.md).
 *
 * So each time the store looks at the quiet folder (once a second, on a
 * request), the files are `stat`ed a share at a time, so that they are all
 * seen once a round. A file added or removed moves its folder's mtime, which
 * the store checks every time (src/content/scan-timing.ts); what the round
 * is for is a file changed in place without an event. Anything different,
 * and the store lists the folder.
 */
import { statSync } from 'node:fs';
import { sameSignature } from './find-posts.js';
import type { FileSignature } from './post.js';

/** A round may take at most this share of the time it lasts. */
export const SAFETY_LISTING_SHARE = 0.01;

/**
 * The length of a round: `minimumMs`, or longer when the last listing took
 * `listingMs`. A `stat` of every file costs what a listing does: 60 ms with
 * 10,000 posts, 0.4-0.6 s with 100,000, which every 10 s was 4-6% of a core
 * taken from readers. The net is kept to about 1% of the time: a folder
 * whose listing takes 0.5 s has a round of 50 s.
 */
export function safetyRoundMs(minimumMs: number, listingMs: number): number {
  return Math.max(minimumMs, listingMs / SAFETY_LISTING_SHARE);
}

/** A step after a long quiet spell does at most this much time's share: the first request after an idle hour is not a listing. */
const MAX_CATCH_UP_MS = 2000;

export type RoundStep = 'same' | 'changed' | 'round-done';

type Known = ReadonlyMap<string, { readonly signature: FileSignature }>;

export class SafetyRound {
  private cursor: Iterator<[string, { readonly signature: FileSignature }]> | undefined;
  /** What the round is owed, in files times milliseconds: one file per `roundMs / files` ms, a remainder carried over (a folder of one file is still seen once a round). */
  private owed = 0;
  private lastAt: number | undefined;
  /** Files of this round seen so far. */
  private seen = 0;

  /** A listing just saw every file (and may have made a new map of them): the next round starts now, from the first. */
  restart(now: number): void {
    this.cursor = undefined;
    this.seen = 0;
    this.owed = 0;
    this.lastAt = now;
  }

  /**
   * `stat`s the files owed since the last step (all of `files` per
   * `roundMs`), from where the last step stopped. `changed` when one differs
   * from its signature or is gone; `round-done` when the round came to its
   * end and all were the same; else `same`.
   */
  step(files: Known, now: number, roundMs: number): RoundStep {
    const round = Math.max(1, Math.ceil(roundMs));
    // An empty folder still ends a round (the store checks its settings then): as if it held one file.
    const count = Math.max(1, files.size);
    const elapsed = this.lastAt === undefined ? 0 : Math.max(0, now - this.lastAt);
    this.lastAt = now;
    this.owed = Math.min(this.owed + count * elapsed, Math.max(round, count * MAX_CATCH_UP_MS));
    while (this.owed >= round) {
      this.owed -= round;
      if (files.size === 0) return 'round-done';
      this.cursor ??= files.entries();
      // A file the watch named is updated in the map in place: a Map's cursor skips what was deleted and reaches what was added.
      const next = this.cursor.next();
      if (next.done) return this.roundDone();
      const [file, { signature }] = next.value;
      const stats = statSync(file, { throwIfNoEntry: false });
      if (!stats || !sameSignature(stats, signature)) return 'changed';
      if (++this.seen >= files.size) return this.roundDone();
    }
    return 'same';
  }

  private roundDone(): RoundStep {
    this.cursor = undefined;
    this.seen = 0;
    return 'round-done';
  }
}
