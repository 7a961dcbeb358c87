/**
 * Words as the search index and the snippets see them: letters and digits,
 * lower-cased, accents dropped (`Café` and `cafe` are one word), so a query
 * matches however the post spelled it.
 */

/** A run of letters, digits and the combining marks that belong to them. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const MARKS = /\p{M}+/gu;

/**
 * Longer runs are not words (hashes, base64, URLs without their punctuation):
 * they are left out of the index, which keeps its dictionary small.
 */
export const MAX_TERM_LENGTH = 40;

/** One word in its indexed form. */
export function normalizeTerm(word: string): string {
  const lower = word.toLowerCase();
  // The common case, plain ASCII, skips the Unicode decomposition.
  return isAscii(lower) ? lower : lower.normalize('NFKD').replace(MARKS, '');
}

/**
 * Every word of `text` in its indexed form, in order. The whole text is
 * normalised at once (native string operations), not word by word: this is
 * the hot loop of building the index.
 */
export function terms(text: string): string[] {
  if (!text) return [];
  const lower = text.toLowerCase();
  const normal = isAscii(lower) ? lower : lower.normalize('NFKD').replace(MARKS, '');
  const out: string[] = [];
  for (const match of normal.matchAll(WORD)) if (match[0].length <= MAX_TERM_LENGTH) out.push(match[0]);
  return out;
}

/** The words of `text` with where each one stands in it, for marking them in a snippet. */
export function* wordSpans(text: string): Generator<{ start: number; end: number; term: string }> {
  for (const match of text.matchAll(WORD)) {
    yield { start: match.index, end: match.index + match[0].length, term: normalizeTerm(match[0]) };
  }
}

function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}
