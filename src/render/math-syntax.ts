/**
 * Where math is in markdown, by Pandoc's `tex_math_dollars` rules
 * (https://pandoc.org/MANUAL.html#extension-tex_math_dollars):
 *
 * - `$…$` is inline math when the opening `$` has a non-space character
 *   right after it, and the closing `$` (the next unescaped one) has a
 *   non-space character right before it and no digit right after it. So
 *   `$5 and $10` stays text.
 * - `\$` is a literal dollar (marked's escape rule), and never opens or
 *   closes math; inside math, `\$` is TeX's own dollar.
 * - `$$…$$` is display math; the formula may be separated from its
 *   delimiters by whitespace, but holds no blank line.
 *
 * Pure string scanning, no TeX: KaTeX decides later whether a formula parses.
 */

export interface MathMatch {
  /** The whole match, delimiters included. */
  readonly raw: string;
  /** The TeX between the delimiters. */
  readonly tex: string;
  readonly display: boolean;
}

/** Inline `$…$` or `$$…$$` at the start of `src`, or `undefined`. */
export function matchInlineMath(src: string): MathMatch | undefined {
  if (src.startsWith('$$')) return matchDisplay(src);
  if (!src.startsWith('$')) return undefined;
  const first = src[1];
  if (first === undefined || /\s/.test(first)) return undefined;
  for (let i = 1; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    // A blank line ends the paragraph, and with it any chance of a closer.
    if (c === '\n' && src[i + 1] === '\n') return undefined;
    if (c !== '$') continue;
    // The first unescaped `$` closes, or nothing does (Pandoc's parser does not look further):
    // after a space or before a digit, it is not math at all (`$5 and $10`, `$x$5`).
    const after = src[i + 1];
    if (/\s/.test(src[i - 1]!) || (after !== undefined && /\d/.test(after))) return undefined;
    return { raw: src.slice(0, i + 1), tex: src.slice(1, i), display: false };
  }
  return undefined;
}

/** `$$…$$` at the start of `src`: no blank line inside, something between. */
function matchDisplay(src: string): MathMatch | undefined {
  if (!src.startsWith('$$')) return undefined;
  const end = src.indexOf('$$', 2);
  if (end < 0) return undefined;
  const tex = src.slice(2, end);
  if (!tex.trim() || /\n[ \t]*\n/.test(tex)) return undefined;
  return { raw: src.slice(0, end + 2), tex: tex.trim(), display: true };
}

/**
 * A display block: a line that starts with `$$` (up to three spaces of
 * indent) through the `$$` that closes it, with nothing but spaces after.
 */
export function matchMathBlock(src: string): MathMatch | undefined {
  const indent = /^ {0,3}/.exec(src)![0].length;
  const found = matchDisplay(src.slice(indent));
  if (!found) return undefined;
  const rest = /^[ \t]*(?:\n|$)/.exec(src.slice(indent + found.raw.length));
  if (!rest) return undefined;
  return { ...found, raw: src.slice(0, indent + found.raw.length + rest[0].length) };
}

/**
 * Where the next inline math may start, for marked's `start` hook: the first
 * `$` that is not backslash-escaped (an odd run of backslashes before it).
 * Text stops there so the tokenizer gets a look; an escaped `\$` must stay
 * whole for marked's escape rule.
 */
export function nextDollar(src: string): number | undefined {
  // Looked for this far ahead only: marked asks at every step of a line, and a scan to the end each
  // time was quadratic (a 400 KB line of `[!` spent a second here). Past the window, text is cut at
  // its edge, where marked asks again (adjacent text is joined back into one token).
  const head = src.length > DOLLAR_WINDOW ? src.slice(0, DOLLAR_WINDOW) : src;
  for (let i = head.indexOf('$'); i >= 0; i = head.indexOf('$', i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && head[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) return i;
  }
  if (head === src) return undefined;
  // Never between a backslash and what it escapes.
  let cut = DOLLAR_WINDOW;
  while (cut > 1 && src[cut - 1] === '\\') cut--;
  return cut;
}

/** How far ahead `nextDollar` looks for a dollar. */
const DOLLAR_WINDOW = 1024;

/** More dollars than this and a body is simply rendered: scanning from each would cost more. */
const MAX_DOLLARS_SCANNED = 64;

/**
 * False only when no formula can be in `markdown`: no ` ```math ` fence, and
 * no dollar from which inline or display math matches (as the renderer's
 * tokenizers match it from that dollar; the whole body after it is a
 * superset of what they see). `check` renders a body for its formulas only
 * when this is true: `$78 and $5.6` in a post is text, not math.
 */
export function mayHoldMath(markdown: string): boolean {
  if (/^ {0,3}(`{3,}|~{3,})\s*math/im.test(markdown)) return true;
  let seen = 0;
  for (let i = markdown.indexOf('$'); i >= 0; i = markdown.indexOf('$', i + 1)) {
    if (++seen > MAX_DOLLARS_SCANNED) return true;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && markdown[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0 && matchInlineMath(markdown.slice(i)) !== undefined) return true;
  }
  return false;
}
