/**
 * The fence-less header of Pelican and MultiMarkdown posts: `Key: value`
 * lines from the first line of the file to the first blank line, a line
 * indented under a key continuing its value.
 *
 *     Title: My post
 *     Date: 2012-10-31 10:20
 *     Tags: python, web
 *     Summary: A summary
 *         that goes on.
 *
 *     The text of the post.
 *
 * Read only when the file starts with such a block and it names a `Title`
 * (Pelican and MultiMarkdown both require one) or holds several keys: a post
 * that merely opens with "Note: ..." is not a header.
 */

export interface FencelessHeader {
  /** Keys lower-cased (Pelican reads them case-insensitively); values as text. */
  readonly data: Record<string, string>;
  /** 1-based line of each key, for messages. */
  readonly lines: Record<string, number>;
  /** The index in the text where the body starts (after the blank line). */
  readonly bodyStart: number;
}

/** `Key: value`; keys as MultiMarkdown allows them (letters, digits, spaces, `_`, `-`). */
const KEY_LINE = /^([A-Za-z][A-Za-z0-9_ -]{0,40}):(?:[ \t]+(.*)|[ \t]*)$/;
const CONTINUATION = /^[ \t]+\S/;

/** The header at the start of `text`, or `undefined` when the file does not start with one. */
export function readFencelessHeader(text: string): FencelessHeader | undefined {
  if (!KEY_LINE.test(firstLine(text))) return undefined;
  const data: Record<string, string> = {};
  const lines: Record<string, number> = {};
  let key: string | undefined;
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline < 0 ? text.length : newline + 1;
    const line = text.slice(offset, end).replace(/\r?\n$/, '');
    lineNo++;
    if (!line.trim()) {
      offset = end;
      break;
    }
    const match = KEY_LINE.exec(line);
    if (match) {
      key = match[1]!.trim().toLowerCase();
      data[key] = (match[2] ?? '').trim();
      lines[key] = lineNo;
    } else if (key !== undefined && CONTINUATION.test(line)) {
      data[key] = `${data[key]}${data[key] ? ' ' : ''}${line.trim()}`;
    } else {
      // A line that is neither: this was text, not a header.
      return undefined;
    }
    offset = end;
  }
  // A title, or at least two keys: one "Note: ..." line is prose. (A header
  // with no title is then reported as missing its title, not its frontmatter.)
  if (data.title === undefined && Object.keys(data).length < 2) return undefined;
  return { data, lines, bodyStart: offset };
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
}
