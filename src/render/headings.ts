/**
 * Headings in a post body: one h1 per page, a link to every section, and the
 * outline the table of contents is built from.
 *
 * The page's h1 is the post title, so a body that uses `#` headings has all its
 * headings moved down one level (`#` → h2, `##` → h3 …), keeping their order.
 * Each heading's text becomes a link to its own id (as MDN does), so a reader
 * can copy a link to a section, and screen readers hear the heading once, not
 * "heading, link, #". Headings that already contain a link keep their text and
 * only get the id: links cannot nest.
 *
 * Ids are GitHub's (github-slugger, as marked-gfm-heading-id made them), given
 * in document order by `outlineOf` before the parse and carried on each
 * heading token, so anchors and the outline always agree and no state
 * outlives one render.
 */
import GithubSlugger from 'github-slugger';
import type { MarkedExtension, Parser, Token, Tokens } from 'marked';
import { MAX_OUTLINE_ENTRIES } from '../content/bounds.js';
import { bodyId } from './layout-ids.js';

export interface OutlineEntry {
  /** 2 to 6 after demotion. */
  readonly level: number;
  readonly id: string;
  /** Plain text of the heading (markup removed). */
  readonly text: string;
}

/** A heading token once `outlineOf` has seen it. */
interface NamedHeading extends Tokens.Heading {
  anchorId?: string;
  /** The heading's inline HTML. */
  html?: string;
}

/**
 * Demotes the headings when the body has an h1, then gives each heading its
 * id (on the token) and returns the outline (h2 and below). `parser`
 * renders a heading's inline content, as the page will show it.
 */
export function outlineOf(tokens: readonly Token[], parser: Parser): OutlineEntry[] {
  let hasH1 = false;
  forEachHeading(tokens, (h) => {
    if (h.depth === 1) hasH1 = true;
  });
  if (hasH1) forEachHeading(tokens, (h) => void (h.depth = Math.min(h.depth + 1, 6)));
  const slugger = new GithubSlugger();
  const outline: OutlineEntry[] = [];
  forEachHeading(tokens, (h: NamedHeading) => {
    const html = parser.parseInline(h.tokens);
    const raw = decodeReferences(html)
      .trim()
      .replace(/<[!/a-z].*?>/gi, '');
    h.html = html;
    // Never an id the layout uses (`main` is the skip link's target): `main-section` instead.
    h.anchorId = bodyId(slugger.slug(raw.toLowerCase()));
    // Bounded: a post of 100,000 headings still has a table of contents a reader can use.
    if (h.depth >= 2 && outline.length < MAX_OUTLINE_ENTRIES) outline.push({ level: h.depth, id: h.anchorId, text: raw.replace(/\s+/g, ' ').trim() });
  });
  return outline;
}

/** The marked extension that writes a heading with the id `outlineOf` gave it. */
export function headingAnchors(): MarkedExtension {
  return {
    renderer: {
      heading(token: NamedHeading): string {
        const html = token.html ?? this.parser.parseInline(token.tokens);
        const id = token.anchorId ?? '';
        const inner = /<a[\s>]/i.test(html) ? html : `<a class="anchor" href="#${id}">${html}</a>`;
        return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`;
      },
    },
  };
}

function forEachHeading(tokens: readonly Token[], visit: (heading: Tokens.Heading) => void): void {
  for (const token of tokens) {
    if (token.type === 'heading') visit(token as Tokens.Heading);
    // Extension tokens (footnotes) may hold `items` of their own shape: only arrays are walked.
    const nested = token as { tokens?: unknown; items?: readonly { tokens?: unknown }[] };
    if (Array.isArray(nested.tokens)) forEachHeading(nested.tokens as Token[], visit);
    if (Array.isArray(nested.items)) for (const item of nested.items) if (Array.isArray(item.tokens)) forEachHeading(item.tokens as Token[], visit);
  }
}

/** HTML character references back to text, as marked-gfm-heading-id did before slugging. */
function decodeReferences(html: string): string {
  return html.replace(/&(#(?:\d+)|(?:#x[0-9A-Fa-f]+)|(?:\w+));?/gi, (_, ref: string) => {
    const n = ref.toLowerCase();
    if (n === 'colon') return ':';
    if (n.charAt(0) === '#') return n.charAt(1) === 'x' ? String.fromCharCode(parseInt(n.substring(2), 16)) : String.fromCharCode(+n.substring(1));
    return '';
  });
}
