/**
 * Words as the search index and the snippets see them: letters and digits,
 * lower-cased, accents dropped (`Café` and `cafe` are one word), so a query
 * matches however the post spelled it.
 */

/** A run of letters, digits and the combining marks that belong to them. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const MARKS = /\p{M}+/gu;
/** WORD, for text with no letter beyond ASCII, lower-cased. */
const ASCII_WORD = /[a-z0-9]+/g;

/**
 * Longer runs are not words (hashes, base64, URLs without their punctuation):
 * they are left out of the index, which keeps its dictionary small.
 */
export const MAX_TERM_LENGTH = 40;

/** One word in its indexed form. */
export function normalizeTerm(word: string): string {
  return fold(word.toLowerCase());
}

/**
 * Every word of `text` in its indexed form, in order. The whole text is
 * normalised at once (native string operations), not word by word: this is
 * the hot loop of building the index.
 */
export function terms(text: string): string[] {
  if (!text) return [];
  const lower = text.toLowerCase();
  const plain = isPlain(lower);
  // `match` with a global pattern gives the strings alone: no match object per
  // word; and plain text needs no Unicode classes (several times faster).
  const words = (plain ? lower.match(ASCII_WORD) : fold(lower).match(WORD)) ?? [];
  return words.some((word) => word.length > MAX_TERM_LENGTH) ? words.filter((word) => word.length <= MAX_TERM_LENGTH) : words;
}

/** The words of `text` with where each one stands in it, for marking them in a snippet. */
export function* wordSpans(text: string): Generator<{ start: number; end: number; term: string }> {
  for (const match of text.matchAll(WORD)) {
    yield { start: match.index, end: match.index + match[0].length, term: normalizeTerm(match[0]) };
  }
}

/** Accents dropped; text with no letter beyond ASCII (the common case) skips the Unicode decomposition. */
function fold(lower: string): string {
  return isPlain(lower) ? lower : lower.normalize('NFKD').replace(MARKS, '');
}

/** ASCII, no-break spaces, guillemets, the middle dot, © and the General Punctuation block (’ “ ” – — …): no letter or digit beyond ASCII. */
// eslint-disable-next-line no-control-regex
const PLAIN = /^[\x00-\x7f\u00a0\u00a9\u00ab\u00b7\u00bb\u2000-\u206f]*$/;

/** True when `text` has no letter or digit beyond ASCII, so lower-casing and folding it keep every offset. */
export function isPlain(text: string): boolean {
  return PLAIN.test(text);
}
