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
 */
import type { MarkedExtension, Token, Tokens } from 'marked';
import { gfmHeadingId, getHeadingList } from 'marked-gfm-heading-id';

export interface OutlineEntry {
  /** 2 to 6 after demotion. */
  readonly level: number;
  readonly id: string;
  /** Plain text of the heading (markup removed). */
  readonly text: string;
}

type HeadingRenderer = (this: unknown, token: Tokens.Heading) => string;

/**
 * The id-making renderer of marked-gfm-heading-id. Calling it keeps its slugger
 * and heading list (module state, reset per parse by its preprocess hook) the
 * single source of ids, so anchors and the outline always agree.
 */
const makeId = gfmHeadingId().renderer?.heading as HeadingRenderer;

export function headingAnchors(): MarkedExtension {
  return {
    hooks: {
      processAllTokens(tokens) {
        let hasH1 = false;
        forEachHeading(tokens, (h) => {
          if (h.depth === 1) hasH1 = true;
        });
        if (hasH1) forEachHeading(tokens, (h) => void (h.depth = Math.min(h.depth + 1, 6)));
        return tokens;
      },
    },
    renderer: {
      heading(token: Tokens.Heading): string {
        makeId.call(this, token);
        const entry = getHeadingList().at(-1);
        if (!entry) return false as unknown as string;
        const inner = /<a[\s>]/i.test(entry.text) ? entry.text : `<a class="anchor" href="#${entry.id}">${entry.text}</a>`;
        return `<h${token.depth} id="${entry.id}">${inner}</h${token.depth}>\n`;
      },
    },
  };
}

/** The headings of the body just rendered (call right after `renderMarkdown`). */
export function renderedOutline(): OutlineEntry[] {
  return getHeadingList()
    .filter((h) => h.level >= 2)
    .map((h) => ({ level: h.level, id: h.id, text: h.raw.replace(/\s+/g, ' ').trim() }));
}

function forEachHeading(tokens: readonly Token[], visit: (heading: Tokens.Heading) => void): void {
  for (const token of tokens) {
    if (token.type === 'heading') visit(token as Tokens.Heading);
    const nested = token as { tokens?: Token[]; items?: Tokens.ListItem[] };
    if (nested.tokens) forEachHeading(nested.tokens, visit);
    if (nested.items) for (const item of nested.items) forEachHeading(item.tokens, visit);
  }
}
