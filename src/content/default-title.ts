/**
 * The title of a post whose header gives none (docs/writing-posts.md): the
 * first `# Heading` of its body, else its file name made readable. A
 * heading that opens the body is taken out of it, since the article shows
 * the title as its own heading (views/post.ejs); one further down stays
 * where it is. Each default comes with the notice `npm run check` prints.
 */
import { MAX_LINE_CHARS } from './bounds.js';
import { lineAt } from './line-at.js';
import { leadingHeading } from './text.js';

export interface DefaultTitle {
  readonly title: string;
  /** Where the body starts now: after an opening heading, taken out. */
  readonly bodyStart: number;
  /** The notice for `check`, on the heading's line where the title came from one. */
  readonly notice: { readonly line: number | undefined; readonly message: string };
}

/** How far into a body a heading is looked for: a title is near the top, and this runs on the main thread. */
const HEADING_SEARCH_CHARS = 256 * 1024;

/** A line that is an ATX level-one heading (up to three spaces before `#`). */
const H1 = /^ {0,3}# +(.*?)(?:[ \t]+#+)?[ \t]*$/;
/** A line that opens or closes a fenced code block. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The title for a post whose header has none: `text` is the whole file, `bodyStart` where its body starts, `nameTitle` its name made readable. */
export function defaultTitle(text: string, bodyStart: number, nameTitle: string): DefaultTitle {
  const leading = leadingHeading(text.slice(bodyStart));
  if (leading) {
    const at = text.indexOf('#', bodyStart);
    const title = bounded(leading.title);
    return { title, bodyStart: text.length - leading.rest.length, notice: { line: lineAt(text, at), message: headingNotice(title) } };
  }
  const later = firstHeading(text, bodyStart);
  if (later) return { title: later.title, bodyStart, notice: { line: later.line, message: headingNotice(later.title) } };
  const title = bounded(nameTitle.trim()) || 'Untitled';
  return {
    title,
    bodyStart,
    notice: { line: undefined, message: `has no title (no \`title\` field, no \`# heading\`); its file name gives it: "${title}"` },
  };
}

function headingNotice(title: string): string {
  return `has no \`title\` field; its first heading is the title: "${title}"`;
}

/** The first level-one heading of the body outside code blocks, with its line. */
function firstHeading(text: string, from: number): { title: string; line: number } | undefined {
  const end = Math.min(text.length, from + HEADING_SEARCH_CHARS);
  let fence: string | undefined;
  for (let at = from; at < end; ) {
    const newline = text.indexOf('\n', at);
    const stop = newline < 0 || newline > end ? end : newline;
    const line = text.slice(at, stop).replace(/\r$/, '');
    const opening = FENCE.exec(line);
    if (opening) {
      const marker = opening[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (fence === undefined) {
      const heading = H1.exec(line);
      const title = heading ? bounded(heading[1]!.replace(/[*_`]/g, '').trim()) : '';
      if (title) return { title, line: lineAt(text, at) };
    }
    at = stop + 1;
  }
  return undefined;
}

/** A title within the bound of a one-line field, cut at a word where it is longer. */
function bounded(title: string): string {
  if (title.length <= MAX_LINE_CHARS) return title;
  const cut = title.slice(0, MAX_LINE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_LINE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}
