/**
 * How often a watched, quiet folder is listed again in case the watch missed
 * an event. A listing `stat`s every post file, on the event loop: 60 ms
 * with 10,000 posts, 0.4-0.6 s with 100,000, which every 10 s was 4-6% of a
 * core taken from readers, and a pause of half a second for the requests
 * that came meanwhile (the cached index and tag pages cost 1.5-1.7x
 * node:http's CPU with 100,000 posts against 1.04x with 10,000). The safety
 * net is kept to about 1% of the time: a folder whose listing takes 0.5 s is
 * listed again every 50 s. Events, a changed folder mtime (checked once a
 * second) and a post's own changed file still show a change at once.
 */

/** A listing may take at most this share of the time between two safety listings. */
export const SAFETY_LISTING_SHARE = 0.01;

/** The time until the next safety listing: `minimumMs`, or longer when the last listing took `listingMs`. */
export function safetyRescanInterval(minimumMs: number, listingMs: number): number {
  return Math.max(minimumMs, listingMs / SAFETY_LISTING_SHARE);
}
