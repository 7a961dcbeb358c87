/**
 * The snippet of a search result: a short passage of the document's plain
 * text around the words the query matched, as HTML. Each piece of text is
 * escaped first and only then are the matched words wrapped in `<mark>`, so
 * nothing a post says can become markup.
 */
import { escapeHtml } from '../render/escape.js';
import { isPlain, wordSpans } from './terms.js';

/** About two lines of a result list. */
export const SNIPPET_CHARS = 180;
/** Matches are looked for in this much of the text: a 2 MB post costs no more than a long one. */
const SCAN_CHARS = 100_000;
/** Windows tried, one starting at each of the first matches. */
const MAX_WINDOWS = 50;
const TRAILING = /[\s,;:.-]/;

export function snippet(text: string, matched: ReadonlySet<string>, maxChars = SNIPPET_CHARS): string {
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  const hits = findMatches(scanned, matched);
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
 * Where the matched words stand in the text, in order. Text whose letters
 * are all ASCII (most English posts, typographic quotes and dashes allowed)
 * is searched for each word with `indexOf` on its lower-cased copy, which
 * has the same offsets; other text is split into words and each one
 * normalised, ten times slower, as accents and case may change lengths.
 */
function findMatches(text: string, matched: ReadonlySet<string>): Hit[] {
  const hits: Hit[] = [];
  if (!isPlain(text)) {
    for (const span of wordSpans(text)) if (matched.has(span.term)) hits.push(span);
    return hits;
  }
  const lower = text.toLowerCase();
  for (const term of matched) {
    if (!isPlain(term)) continue;
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
      const end = at + term.length;
      if (!isWordChar(lower, at - 1) && !isWordChar(lower, end)) hits.push({ start: at, end, term });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}


function isWordChar(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false;
  const c = text.charCodeAt(at);
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Where the window with the most different matched words begins (the earliest of equals). */
function bestWindow(hits: readonly Hit[], maxChars: number): number {
  let best = hits[0]!.start;
  let bestCount = 0;
  for (let i = 0; i < Math.min(hits.length, MAX_WINDOWS); i++) {
    const seen = new Set<string>();
    for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= maxChars * 0.75; j++) seen.add(hits[j]!.term);
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
