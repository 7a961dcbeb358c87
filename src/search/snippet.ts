/**
 * The snippet of a search result: a short passage of the document's plain
 * text around the words the query matched, as HTML. Each piece of text is
 * escaped first and only then are the matched words wrapped in `<mark>`, so
 * nothing a post says can become markup.
 */
import { escapeHtml } from '../html/escape.js';
import { isPlain, wordSpans } from './terms.js';

/** About two lines of a result list. */
export const SNIPPET_CHARS = 180;
/** Matches are looked for in this much of the text: a 2 MB post costs no more than a long one. */
export const SNIPPET_SCAN_CHARS = 100_000;
/** Windows tried, one starting at each of the first matches. */
const MAX_WINDOWS = 50;
const TRAILING = /[\s,;:.-]/;
const ASCII_WORD = /[a-z0-9]+/g;

/** The part of a text a snippet of at most SNIPPET_CHARS can read: matches in the scanned part, and a passage reaching a little past it. */
export function snippetSource(text: string): string {
  const reach = SNIPPET_SCAN_CHARS + SNIPPET_CHARS + 1;
  return text.length > reach ? text.slice(0, reach) : text;
}

export function snippet(text: string, matched: ReadonlySet<string>, maxChars = SNIPPET_CHARS): string {
  const scanned = text.length > SNIPPET_SCAN_CHARS ? text.slice(0, SNIPPET_SCAN_CHARS) : text;
  const hits = findMatches(scanned, matched, maxChars);
  const from = hits.length ? bestWindow(hits, maxChars) : 0;
  // Start a little before the first match, at a word boundary, so it reads as a passage.
  let start = hits.length ? Math.max(0, from - Math.floor(maxChars / 4)) : 0;
  if (start > 0) start = Math.min(wordStartAfter(text, start), from);
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    end = wordEndBefore(text, end, start);
    // The ellipsis replaces the punctuation it follows (`proof…`, not `proof.…`).
    while (end > start && TRAILING.test(text[end - 1]!)) end--;
  }
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const hit of hits) {
    if (hit.start < start || hit.end > end) continue;
    html += `${escapeHtml(text.slice(at, hit.start))}<mark>${escapeHtml(text.slice(hit.start, hit.end))}</mark>`;
    at = hit.end;
  }
  html += escapeHtml(text.slice(at, end));
  return end < text.length ? `${html}…` : html;
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly term: string;
}

/**
 * Where the matched words stand in the text, in order: one pass over the
 * words of the text, each looked up in `matched` (a query may match a few
 * hundred words: MAX_MATCHED_TERMS, src/search/search-index.ts), so the
 * work is the length of the text whatever the query. Text whose letters
 * are all ASCII (most English posts, typographic quotes and dashes allowed)
 * is scanned lower-cased, which keeps every offset; other text is split
 * into words and each one normalised, as accents and case may change
 * lengths. The scan stops once every word the passage could show is
 * known (docs/search.md, "Bounded work").
 */
function findMatches(text: string, matched: ReadonlySet<string>, maxChars: number): Hit[] {
  const hits: Hit[] = [];
  const spans = isPlain(text) ? asciiSpans(text.toLowerCase()) : wordSpans(text);
  for (const span of spans) {
    // Past this, a word is in no window and beyond any passage cut around one (the passage is at most `maxChars` from its window's start).
    const last = hits.length >= MAX_WINDOWS ? hits[MAX_WINDOWS - 1]! : undefined;
    if (last && span.end - last.start > maxChars) break;
    if (matched.has(span.term)) hits.push(span);
  }
  return hits;
}

/** The words of lower-cased ASCII text with their offsets: `[a-z0-9]+` runs, as the index splits such text (src/search/terms.ts). */
function* asciiSpans(lower: string): Generator<Hit> {
  for (const match of lower.matchAll(ASCII_WORD)) yield { start: match.index, end: match.index + match[0].length, term: match[0] };
}

/** How far past its first match a window reaches. */
function windowReach(maxChars: number): number {
  return maxChars * 0.75;
}

/** Where the window with the most different matched words begins (the earliest of equals). */
function bestWindow(hits: readonly Hit[], maxChars: number): number {
  let best = hits[0]!.start;
  let bestCount = 0;
  for (let i = 0; i < Math.min(hits.length, MAX_WINDOWS); i++) {
    const seen = new Set<string>();
    for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= windowReach(maxChars); j++) seen.add(hits[j]!.term);
    if (seen.size > bestCount) {
      bestCount = seen.size;
      best = hits[i]!.start;
    }
  }
  return best;
}

/** The first word start at or after `from` (so a passage never begins mid-word). */
function wordStartAfter(text: string, from: number): number {
  const space = text.indexOf(' ', from);
  return space < 0 ? from : space + 1;
}

/** The last word end at or before `to`, after `min` (so a passage never ends mid-word). */
function wordEndBefore(text: string, to: number, min: number): number {
  const space = text.lastIndexOf(' ', to);
  return space > min ? space : to;
}
