/**
 * Plain text from markdown, for excerpts and word counts. Approximate on
 * purpose: it only has to read well as a summary.
 */

/**
 * Elements removed with their content, and template syntax. Bounded, and
 * never spanning the opening of another, so hostile text costs linear time.
 */
const TEXTLESS = /<(script|style|iframe|template|title)\b[^<>]{0,1000}?(?:\/>|>(?:[^<]|<(?!\/?\1\b)){0,100000}?<\/\1\s*>)/gi;
const TEMPLATE_SYNTAX = /\{%(?:[^%{]|%(?!\})|\{(?!%)){0,1000}?%\}|\{\{(?:[^{}]|\}(?!\})){0,1000}?\}\}|\{\/\*(?:[^*{]|\*(?!\/\})|\{(?!\/\*)){0,5000}\*\/\}/g;

export function plainText(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[\s\S]*?^\1.*$/gm, ' ') // fenced code
    .replace(/<!--(?:[^<-]|-(?!->)|<(?!!--))*-->/g, ' ')
    // What the sanitizer removes with its content is never read (src/render/sanitize.ts).
    .replace(TEXTLESS, ' ')
    // Template syntax of other generators never reads as text (src/content/foreign-markup.ts).
    .replace(/<code class="leftover">[^<]*<\/code>/g, ' ')
    .replace(TEMPLATE_SYNTAX, ' ')
    .replace(/^(?:import|export)\s.*$/gm, ' ')
    .replace(/^:::.*$/gm, ' ')
    // Each pattern stops at the next opening bracket, so unclosed ones cost linear time, not quadratic.
    .replace(/<[^<>]+>/g, ' ') // raw HTML tags
    .replace(/!\[[^[\]]*\]\([^()]*\)/g, ' ') // images
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1') // links keep their text
    .replace(/\[([^[\]]*)\]\[[^[\]]*\]/g, '$1')
    .replace(/^[ \t]{0,3}\[[^[\]\n]+\]:.*$/gm, ' ') // link definitions
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '') // block markers
    .replace(/^\s{0,3}([-*_])(\s*\1){2,}\s*$/gm, ' ') // rules
    .replace(/[*_~`]+/g, '')
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function countWords(text: string): number {
  return text ? text.split(' ').filter((w) => /[\p{L}\p{N}]/u.test(w)).length : 0;
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
  const match = /^\s*#[ \t]+(.+?)[ \t#]*(?:\r?\n|$)/.exec(markdown);
  if (!match) return undefined;
  const title = match[1]!.replace(/[*_`]/g, '').trim();
  return title ? { title, rest: markdown.slice(match[0].length) } : undefined;
}
