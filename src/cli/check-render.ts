/**
 * One post of `npm run check`, rendered on a check thread
 * (src/cli/check-worker.ts) as the server renders it: its body read from
 * where the store left it, its page rendered (`runBodyJob`, the server's own
 * job: markdown, highlighting, math, sanitizing where it could matter, the
 * 4 MB bound), its summary made when its size does not rule out a slow one,
 * each part timed.
 * Pure apart from reading the body; the thread only adds the messaging.
 */
import { readBodySource, type BodySource } from '../content/parse-post.js';
import { runBodyJob, type BodyLinks } from '../render/body-job.js';
import { bodyNeeds, type BodyNeeds } from './body-needs.js';

export interface CheckItem {
  /** The post's place in the list being checked. */
  readonly id: number;
  readonly body: BodySource;
  /** The file the body is from (no site: a verdict needs no addresses). */
  readonly links?: BodyLinks | undefined;
  readonly rawHtml: boolean;
}

/**
 * `ok`: rendered within the limit, with what the main thread's checks need.
 * Not ok (it threw, ran over the limit, its body could not be read): the
 * post is rendered again alone, as the server would render it, to name it
 * with the server's words.
 */
export type CheckVerdict = { readonly ok: true; readonly needs: BodyNeeds } | { readonly ok: false };

/**
 * A summary (plain text, word count, excerpt: src/content/text.ts) costs
 * time in proportion to the body, whatever it holds: a fixed series of
 * bounded regular expressions, no recursion (test/hostile/linear-text.test.ts
 * runs it on 2 MB of each hostile pattern found). Measured on 31 such
 * patterns of 2 MB each on a loaded machine, the slowest took 669 ms:
 * 0.33 µs a character. This bound is ten times that. A body whose summary
 * could not pass a tenth of the time limit even at this rate is not
 * summarized by `check`: 8,000 characters cannot take over 24 ms.
 */
export const SUMMARY_BOUND_US_PER_CHAR = 3;

/**
 * And never above this size, whatever the limit: even a pass quadratic in
 * the body (none is known) over 16 K characters would be some 2.7 × 10^8
 * steps, well under the default limit of 5 s.
 */
export const SUMMARY_SKIP_MAX_CHARS = 16 * 1024;

/** Whether `check` makes the summary of a body of `chars` characters too (see `SUMMARY_BOUND_US_PER_CHAR`). */
export function needsSummary(chars: number, timeoutMs: number): boolean {
  return chars > SUMMARY_SKIP_MAX_CHARS || (chars * SUMMARY_BOUND_US_PER_CHAR) / 1000 > timeoutMs / 10;
}

/**
 * Sanitizing HTML that markdown without raw HTML renders to costs time in
 * proportion to it: measured on 17 patterns (emphasis, tables, line breaks,
 * links, entities, 400 levels of nesting) of up to 2 MB of HTML each
 * (bench/sanitize-rate.mts), the slowest took under 0.5 µs a character on a
 * loaded machine. This bound is ten times that. `check` does not sanitize
 * such HTML when sanitizing it could not take a tenth of the time limit even
 * at this rate (`RenderOptions.sanitizeFromChars`): below 100,000
 * characters with the default limit of 5 s.
 */
export const SANITIZE_BOUND_US_PER_CHAR = 5;

/** And never from this size on, whatever the limit: HTML this long is sanitized as the server does. */
export const SANITIZE_SKIP_MAX_CHARS = 256 * 1024;

/** The HTML length from which `check` sanitizes a body without raw HTML, for this time limit. */
export function sanitizeFromChars(timeoutMs: number): number {
  return Math.min(SANITIZE_SKIP_MAX_CHARS, Math.floor((timeoutMs * 1000) / 10 / SANITIZE_BOUND_US_PER_CHAR));
}

/** Renders one post; never throws (a failure is a verdict). */
export function checkOne(item: CheckItem, timeoutMs: number): CheckVerdict {
  const started = performance.now();
  try {
    const { markdown, foreign } = readBodySource(item.body);
    runBodyJob({ kind: 'page', markdown, links: item.links, rawHtml: item.rawHtml, sanitizeFromChars: sanitizeFromChars(timeoutMs) });
    if (needsSummary(markdown.length, timeoutMs)) runBodyJob({ kind: 'summary', markdown });
    // Over the limit, even if it finished: the server would have stopped it, or tried it again.
    if (performance.now() - started > timeoutMs) return { ok: false };
    return { ok: true, needs: bodyNeeds(markdown, foreign) };
  } catch {
    return { ok: false };
  }
}
