/**
 * Plain text from markdown, for excerpts and word counts. Approximate on
 * purpose: it only has to read well as a summary.
 */

export function plainText(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[\s\S]*?^\1.*$/gm, ' ') // fenced code
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ') // raw HTML tags
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ') // images
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links keep their text
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/^\s{0,3}\[[^\]]+\]:.*$/gm, ' ') // link definitions
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

/** Reading time at 230 words a minute, never less than one minute. */
export function readTime(words: number): string {
  return `${Math.max(1, Math.round(words / 230))} min read`;
}
