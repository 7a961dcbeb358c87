/**
 * The raw HTML of a post that the sanitizer will remove, for `npm run check`:
 * each kind of element once per file, at its first line. (Components such as
 * `<Video>` are named by src/content/foreign-markup.ts instead.)
 */
import { Lexer, type Token } from 'marked';
import { lineOf } from '../content/line-at.js';
import { ALLOWED_TAGS, TEXTLESS_TAGS } from './sanitize.js';

export interface RemovedHtml {
  /** 1-based line in `original`, where found. */
  readonly line: number | undefined;
  readonly message: string;
}

const OPEN_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])/g;
/** The parts of an `<svg>` or `<math>`: the drawing is named once, not each of its shapes. */
const PARTS = new Set([
  'g',
  'path',
  'circle',
  'ellipse',
  'rect',
  'line',
  'polyline',
  'polygon',
  'defs',
  'use',
  'text',
  'tspan',
  'mask',
  'clippath',
  'lineargradient',
  'radialgradient',
  'stop',
  'symbol',
  'pattern',
  'filter',
  'desc',
  'mi',
  'mo',
  'mn',
  'mrow',
  'msup',
  'msub',
  'mfrac',
  'msqrt',
  'mtext',
  'semantics',
  'annotation',
]);

/**
 * `markdown` is the body as rendered (template syntax already translated);
 * `original` gives the file as written, where lines are looked up (read only
 * when there is something to report).
 */
export function removedHtml(markdown: string, original: () => string = () => markdown): RemovedHtml[] {
  // Lexing is the slow part: only bodies with a tag the sanitizer would remove are lexed (to skip code).
  if (!mayHoldRemovedHtml(markdown)) return [];
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(markdown);
  } catch {
    return [];
  }
  const seen = new Map<string, RemovedHtml>();
  walk(tokens, (html) => {
    for (const match of html.matchAll(OPEN_TAG)) {
      const written = match[1]!;
      const tag = written.toLowerCase();
      // A capitalised name is a component, reported with the template syntax.
      if (seen.has(tag) || ALLOWED_TAGS.has(tag) || PARTS.has(tag) || /^[A-Z]/.test(written)) continue;
      const line = lineOf(original(), `<${written}`);
      const what = TEXTLESS_TAGS.has(tag) ? 'removed with its content' : 'removed, its text kept';
      seen.set(tag, { line, message: `<${tag}> ${what} (not allowed); set raw_html or use a link` });
    }
  });
  return [...seen.values()];
}

/** False when the body has no tag the sanitizer would remove, so `removedHtml` finds nothing. */
export function mayHoldRemovedHtml(markdown: string): boolean {
  for (const match of markdown.matchAll(OPEN_TAG)) {
    const name = match[1]!;
    if (!ALLOWED_TAGS.has(name.toLowerCase()) && !/^[A-Z]/.test(name)) return true;
  }
  return false;
}

function walk(tokens: readonly Token[], visit: (html: string) => void): void {
  for (const token of tokens) {
    if (token.type === 'html') visit((token as { text: string }).text);
    const nested = token as { tokens?: unknown; items?: readonly { tokens?: unknown }[] };
    if (Array.isArray(nested.tokens)) walk(nested.tokens as Token[], visit);
    if (Array.isArray(nested.items)) for (const item of nested.items) if (Array.isArray(item.tokens)) walk(item.tokens as Token[], visit);
    if (token.type === 'table') {
      const table = token as { header: { tokens: Token[] }[]; rows: { tokens: Token[] }[][] };
      for (const cell of table.header) walk(cell.tokens, visit);
      for (const row of table.rows) for (const cell of row) walk(cell.tokens, visit);
    }
  }
}
