/**
 * How long a safety round of a watched, quiet folder takes: every post file
 * is `stat`ed once a round, a share each second (src/content/safety-round.ts),
 * in case the watch missed an event. A `stat` of every file costs what a
 * listing does: 60 ms with 10,000 posts, 0.4-0.6 s with 100,000, which every
 * 10 s was 4-6% of a core taken from readers. The safety net is kept to
 * about 1% of the time: a folder whose listing takes 0.5 s has a round of
 * 50 s. Events, a changed folder mtime (checked once a second) and a post's
 * own changed file still show a change at once.
 */

/** A round may take at most this share of the time it lasts. */
export const SAFETY_LISTING_SHARE = 0.01;

/** The length of a safety round: `minimumMs`, or longer when the last listing took `listingMs`. */
export function safetyRescanInterval(minimumMs: number, listingMs: number): number {
  return Math.max(minimumMs, listingMs / SAFETY_LISTING_SHARE);
}
