/**
 * Plain text from markdown, for excerpts and word counts. Approximate on
 * purpose: it only has to read well as a summary.
 *
 * Linear in the length of the text, whatever it holds: posts are written by
 * people who are not trusted with the server's time. Every pattern below
 * either cannot cross the character that starts its next possible match
 * (`[^\][]` inside brackets, `[^<>]` inside a tag), or stays on one line, so
 * a failed match costs at most the distance to the next start; code fences
 * and comments are found with `indexOf`, never a lazy `[\s\S]*?` that
 * rescans the rest of the file from every opening (100 KB of `[` took 7 s).
 */
import { decodeHTML } from 'entities';

/**
 * Elements removed with their content, and template syntax. Bounded, and
 * never spanning the opening of another, so hostile text costs linear time.
 */
const TEXTLESS = /<(script|style|iframe|template|title)\b[^<>]{0,1000}?(?:\/>|>(?:[^<]|<(?!\/?\1\b)){0,100000}?<\/\1\s*>)/gi;
const TEMPLATE_SYNTAX = /\{%(?:[^%{]|%(?!\})|\{(?!%)){0,1000}?%\}|\{\{(?:[^{}]|\}(?!\})){0,1000}?\}\}|\{\/\*(?:[^*{]|\*(?!\/\})|\{(?!\/\*)){0,5000}\*\/\}/g;

/** Characters that mark a held piece of text (below): private-use, removed from the input first. */
const HELD = /\uE000(\d{1,9})\uE001/g;
const HOLD_MARKS = /[\uE000-\uE005]/g;
/** Pieces held at most (a long real post has a few hundred formulas and code spans). */
const MAX_HELD = 4096;

/**
 * Math as its TeX without delimiters, by Pandoc's rules (src/render/math-syntax.ts):
 * `$$…$$`, and `$…$` with no blank after the opening `$` or before the
 * closing one, and no digit after it. Neither part can cross a `$`, so a
 * failed match costs at most the distance to the next one.
 */
const DISPLAY_MATH = /\$\$([^$]+)\$\$/g;
const INLINE_MATH = /(?<![\\$])\$([^\s$](?:[^$\n]|\n(?![ \t]*\n)){0,4000}?)(?<!\s)\$(?![\d$])/g;
/** A code span of one or two backticks, on one line. */
const CODE_SPAN = /(`{1,2})([^`\n]+)\1(?!`)/g;
/** A backslash escape of punctuation: the character itself (after math is found: `\$` opens none). */
const ESCAPE = /\\([!-/:-@[-`{-~])/g;

export interface PlainTextOptions {
  /** Keep the text of code blocks (search finds code); a summary leaves them out. */
  readonly code?: boolean;
}

/**
 * The text of markdown as a reader sees it: math as its TeX, code as its
 * text (spans always, blocks with `code`), footnote marks and task boxes
 * dropped, each heading a sentence of its own, HTML tags gone and entities
 * decoded. Math and code are held aside while markup is removed (an
 * underscore in `t_{stat}` is no emphasis) and put back at the end.
 */
export function plainText(markdown: string, options: PlainTextOptions = {}): string {
  const held: string[] = [];
  const hold = (text: string): string => `\uE000${held.push(text) - 1}\uE001`;
  // Past the bound, the rest is read as text: a hostile body of a million formulas would make as many pieces to put back.
  const room = (): boolean => held.length < MAX_HELD;
  const source = markdown.replace(HOLD_MARKS, '');
  let marked = withoutComments(withoutFences(source, options.code ? (code) => (room() ? hold(code) : code) : undefined));
  marked = holdMatches(marked, CODE_SPAN, (m) => hold(m[2]!), room);
  marked = holdMatches(marked, DISPLAY_MATH, (m) => ` ${hold(readableTex(m[1]!))} `, room);
  marked = holdMatches(marked, INLINE_MATH, (m) => hold(readableTex(m[1]!)), room);
  marked = marked.replaceAll('\\*', '\uE002').replaceAll('\\_', '\uE003').replaceAll('\\~', '\uE004').replaceAll('\\`', '\uE005').replace(ESCAPE, '$1');
  return decodeHTML(
    marked
      // What the sanitizer removes with its content is never read (src/render/sanitize.ts).
      .replace(TEXTLESS, ' ')
      // Template syntax of other generators never reads as text (src/content/foreign-markup.ts).
      .replace(/<code class="leftover">[^<]*<\/code>/g, ' ')
      .replace(TEMPLATE_SYNTAX, ' ')
      .replace(/^(?:import|export)[ \t].*$/gm, ' ')
      .replace(/^:::.*$/gm, ' ')
      .replace(/<[^<>]+>/g, ' ') // raw HTML tags
      .replace(/!\[[^\][]*\]\([^()]*\)/g, ' ') // images
      .replace(/\[([^\][]*)\]\([^()]*\)/g, '$1') // links keep their text
      .replace(/\[([^\][]*)\]\[[^\][]*\]/g, '$1')
      .replace(/^[ \t]{0,3}\[\^[^\][\s]{1,200}\]:[ \t]*/gm, ' ') // a footnote's text is read, not its label
      .replace(/\[\^[^\][\s]{1,200}\]/g, '') // footnote marks
      .replace(/^[ \t]{0,3}\[[^\]\n]+\]:.*$/gm, ' ') // link definitions
      .replace(/^[ \t]{0,3}#{1,6}[ \t]+([^\n]*)$/gm, (_m, text: string) => headingSentence(text))
      .replace(/^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[[ xX]\](?=[ \t])/gm, '$1') // task boxes
      .replace(/^[ \t]{0,3}(>|[-*+]|\d{1,9}[.)])[ \t]+/gm, '') // block markers
      .replace(/^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$/gm, ' ') // rules
      // Other tools' markup the renderer reads (src/render/callouts.ts, keys.ts, toc-marker.ts): its markers are no text.
      .replace(/^\[![A-Za-z][\w-]{0,40}\][+-]?/gm, '')
      .replace(/^[ \t]{0,3}\[\[?TOC\]\]?[ \t]*$/gim, ' ')
      .replace(/\+\+([A-Za-z0-9][\w-]{0,30}(?:\+[A-Za-z0-9][\w-]{0,30}){0,9})\+\+/g, '$1')
      .replace(/[*_~`]+/g, '')
      .replace(/\|/g, ' '),
  )
    .replace(HELD, (_m, index: string) => held[Number(index)] ?? '')
    .replaceAll('\uE002', '*')
    .replaceAll('\uE003', '_')
    .replaceAll('\uE004', '~')
    .replaceAll('\uE005', '`')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `text` with each match of `pattern` (global, never empty) replaced by
 * `make`'s piece, while `room` says so: past that, the rest is left as it
 * is, and no more matches are looked for.
 */
function holdMatches(text: string, pattern: RegExp, make: (match: RegExpExecArray) => string, room: () => boolean): string {
  const parts: string[] = [];
  let kept = 0;
  pattern.lastIndex = 0;
  for (let match = room() ? pattern.exec(text) : null; match; match = room() ? pattern.exec(text) : null) {
    parts.push(text.slice(kept, match.index), make(match));
    kept = match.index + match[0].length;
  }
  if (!parts.length) return text;
  parts.push(text.slice(kept));
  return parts.join('');
}

/** Characters that end a sentence: a heading that ends with one gets no full stop. */
const SENTENCE_END = /[.!?:;…]["'”’)]?$/u;

/** A heading's text as a sentence of its own ("How. What next", not "How What next"), its closing `#`s gone. */
function headingSentence(line: string): string {
  let end = line.length;
  // By index, not a pattern: a lazy text before `[ \t#]*$` is quadratic on a long line of blanks.
  while (end > 0 && ' \t#\r'.includes(line[end - 1]!)) end--;
  const text = line.slice(0, end);
  if (!text) return ' ';
  return SENTENCE_END.test(text) ? ` ${text} ` : ` ${text}. `;
}

/** TeX made easier to read: `\text{hits}` is `hits`; the rest is kept as written (what KaTeX's annotation holds). */
export function readableTex(tex: string): string {
  if (!tex.includes('\\')) return tex.trim();
  return tex.replace(/\\(?:text|textrm|textit|textbf|mathrm|mathit|mathbf|operatorname)\{([^{}]{0,200})\}/g, '$1').trim();
}

/**
 * Fenced code blocks become a space, or their code held as text (`keep`; a
 * diagram's source is never text); a fence never closed runs to the end, as
 * in CommonMark.
 */
function withoutFences(markdown: string, keep?: (code: string) => string): string {
  if (!markdown.includes('```') && !markdown.includes('~~~')) return markdown;
  const out: string[] = [];
  let fence: string | undefined;
  let code: string[] | undefined;
  const close = (): void => {
    if (code) out.push(code.length ? ` ${keep!(code.join('\n'))} ` : ' ');
    code = undefined;
  };
  for (const line of markdown.split('\n')) {
    const marker = /^[ \t]{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === undefined) {
      if (marker) {
        fence = marker[1]!;
        const info = marker[2]!.trim().toLowerCase();
        if (keep && !info.startsWith('mermaid')) code = [];
        else out.push(' ');
      } else {
        out.push(line);
      }
    } else if (marker && marker[1]![0] === fence[0] && marker[1]!.length >= fence.length && line.trim() === marker[1]) {
      fence = undefined;
      close();
    } else {
      code?.push(line);
    }
  }
  close();
  return out.join('\n');
}

/** `<!-- … -->` becomes a space; once one is left open, no later one can close. */
function withoutComments(text: string): string {
  let from = text.indexOf('<!--');
  if (from < 0) return text;
  const parts: string[] = [];
  let kept = 0;
  while (from >= 0) {
    const close = text.indexOf('-->', from + 4);
    if (close < 0) break;
    parts.push(text.slice(kept, from), ' ');
    kept = close + 3;
    from = text.indexOf('<!--', kept);
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

export function countWords(text: string): number {
  let words = 0;
  // One pass, no array of words: a 2 MB post has some 300,000 of them.
  for (const match of text.matchAll(/\S+/g)) if (/[\p{L}\p{N}]/u.test(match[0])) words++;
  return words;
}

/** The first sentences of the text, cut at a word boundary near `max` characters. */
export function excerpt(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const sentenceEnd = cut.lastIndexOf('. ');
  if (sentenceEnd > max * 0.5) return cut.slice(0, sentenceEnd + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : max).replace(/[\s,;:.-]+$/, '')}…`;
}

/**
 * The excerpt separators of Jekyll, Hugo, Hexo, Eleventy (`<!--more-->`) and
 * Docusaurus (`<!-- truncate -->`, `{/* truncate *\/}` in MDX).
 */
const SEPARATOR = /<!--\s*(?:more|truncate)\s*-->|\{\/\*\s*truncate\s*\*\/\}/i;

/** The markdown before an excerpt separator, when the post has one. */
export function beforeSeparator(markdown: string): string | undefined {
  const match = SEPARATOR.exec(markdown);
  return match ? markdown.slice(0, match.index) : undefined;
}

/**
 * A body's word count and excerpt, from one pass over its plain text: the
 * author's own excerpt (before `<!--more-->`, `<!-- truncate -->`) when
 * there is one, else the first sentences.
 */
export function summarize(markdown: string): { wordCount: number; excerpt: string } {
  const plain = plainText(markdown);
  const before = beforeSeparator(markdown);
  const chosen = before === undefined ? '' : plainText(before);
  return { wordCount: countWords(plain), excerpt: chosen ? excerpt(chosen, 300) : excerpt(plain) };
}

/** Reading time at 230 words a minute, never less than one minute. */
export function readTime(words: number): string {
  return `${Math.max(1, Math.round(words / 230))} min read`;
}

/**
 * A body that opens with a `# Heading` (Docusaurus and MkDocs take the title
 * from it when the frontmatter has none): the heading's text, and the body
 * without it, so the title is not shown twice.
 */
export function leadingHeading(markdown: string): { title: string; rest: string } | undefined {
  // By index, not one pattern: a lazy heading text before `[ \t#]*` was quadratic on a long line of spaces.
  const start = /^\s*/.exec(markdown)![0].length;
  if (markdown[start] !== '#' || (markdown[start + 1] !== ' ' && markdown[start + 1] !== '\t')) return undefined;
  const newline = markdown.indexOf('\n', start);
  const end = newline < 0 ? markdown.length : newline + 1;
  let last = newline < 0 ? markdown.length : newline;
  if (markdown[last - 1] === '\r') last--;
  // The closing `#`s and blanks go, as CommonMark's closing sequence does.
  while (last > start + 1 && ' \t#'.includes(markdown[last - 1]!)) last--;
  const title = markdown
    .slice(start + 2, last)
    .replace(/[*_`]/g, '')
    .trim();
  return title ? { title, rest: markdown.slice(end) } : undefined;
}
