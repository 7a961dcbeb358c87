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

/**
 * Elements removed with their content, and template syntax. Bounded, and
 * never spanning the opening of another, so hostile text costs linear time.
 */
const TEXTLESS = /<(script|style|iframe|template|title)\b[^<>]{0,1000}?(?:\/>|>(?:[^<]|<(?!\/?\1\b)){0,100000}?<\/\1\s*>)/gi;
const TEMPLATE_SYNTAX = /\{%(?:[^%{]|%(?!\})|\{(?!%)){0,1000}?%\}|\{\{(?:[^{}]|\}(?!\})){0,1000}?\}\}|\{\/\*(?:[^*{]|\*(?!\/\})|\{(?!\/\*)){0,5000}\*\/\}/g;

export function plainText(markdown: string): string {
  return (
    withoutComments(withoutFences(markdown))
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
      .replace(/^[ \t]{0,3}\[[^\]\n]+\]:.*$/gm, ' ') // link definitions
      .replace(/^[ \t]{0,3}(#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+/gm, '') // block markers
      .replace(/^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$/gm, ' ') // rules
      // Other tools' markup the renderer reads (src/render/callouts.ts, keys.ts, toc-marker.ts): its markers are no text.
      .replace(/^\[![A-Za-z][\w-]{0,40}\][+-]?/gm, '')
      .replace(/^[ \t]{0,3}\[\[?TOC\]\]?[ \t]*$/gim, ' ')
      .replace(/\+\+([A-Za-z0-9][\w-]{0,30}(?:\+[A-Za-z0-9][\w-]{0,30}){0,9})\+\+/g, '$1')
      .replace(/[*_~`]+/g, '')
      .replace(/\|/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Fenced code blocks become a space; a fence never closed runs to the end, as in CommonMark. */
function withoutFences(markdown: string): string {
  if (!markdown.includes('```') && !markdown.includes('~~~')) return markdown;
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^[ \t]{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker) {
        fence = marker;
        out.push(' ');
      } else {
        out.push(line);
      }
    } else if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
      fence = undefined;
    }
  }
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
