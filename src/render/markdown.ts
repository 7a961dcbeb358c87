/**
 * Markdown to HTML as a pure function: `render(markdown, { links })` gives
 * the HTML and the outline of its headings, and keeps nothing between calls.
 *
 * One configured `Marked` instance (GFM, highlighted code, lazy images),
 * driven step by step: lex, then the passes over the tokens that depend on
 * this call (headings demoted below the page's h1, ids and the outline,
 * relative references resolved from the file's own folder), then the
 * extensions' own token walk (highlighting), then the parser. Whatever a
 * call needs travels on its tokens, never through module state.
 *
 * Math is rendered with KaTeX in the same call (src/render/math.ts), after
 * the outline (which reads formulas as their source) and after the
 * sanitizer (KaTeX's output replaces placeholders), so it runs wherever
 * render runs and is bounded like the rest of it. The result says what the
 * page needs beyond the theme (`needs`), so the head links KaTeX's
 * stylesheet or the diagram script only where they are used.
 */
import { memoByText } from '../content/memo.js';
import { Marked, type Token, type Tokens } from 'marked';
import markedFootnote from 'marked-footnote';
import { wikilinks } from '../content/wikilinks.js';
import { escapeHtml } from '../html/escape.js';
import { calloutQuotes, callouts } from './callouts.js';
import { headingAnchors, outlineOf, type OutlineEntry } from './headings.js';
import { resolveLinks, type LinkContext } from './link-pass.js';
import { codeHighlighting } from './highlight.js';
import { keyMarks } from './keys.js';
import { mathSyntax, renderFormulas, substituteFormulas, type MathProblem } from './math.js';
import { sanitize } from './sanitize.js';
import { placeTocs, tocMarkers } from './toc-marker.js';

export type { MathProblem, OutlineEntry };

/** What a page needs beyond the theme's stylesheet, for the head partial. */
export interface PageNeeds {
  /** KaTeX's stylesheet (and its fonts). */
  readonly math: boolean;
  /** The diagram script (mermaid). */
  readonly mermaid: boolean;
}

export const NEEDS_NOTHING: PageNeeds = Object.freeze({ math: false, mermaid: false });

export interface RenderOptions {
  /** The file the body is from, and the site its relative references resolve in (src/render/link-pass.ts). */
  links?: LinkContext | undefined;
  /** Let the author's raw HTML through unsanitized (the `raw_html` site setting). */
  rawHtml?: boolean | undefined;
  /**
   * For a verdict, not a reader (`npm run check` keeps no HTML): a body
   * with no raw HTML whose HTML is shorter than this many characters is
   * not sanitized: that would only drop an unsafe link, write an entity as
   * its character or rename an id the layout uses. It cannot fail, and at
   * that size cannot take long or bring the HTML near its limit
   * (src/cli/check-render.ts sets the size). It is 40% of a render.
   */
  sanitizeFromChars?: number | undefined;
}

export interface Rendered {
  readonly html: string;
  /** The body's sections (h2 to h6 after demotion), in order, for the table of contents. */
  readonly outline: readonly OutlineEntry[];
  readonly needs: PageNeeds;
  /** Formulas shown as source instead of math (a parse error, a cap), for `check`. */
  readonly mathProblems: readonly MathProblem[];
  /** Some link was resolved among the site's other files (a post's source, a wikilink): a new post may change it. */
  readonly linksSite?: boolean;
}

const marked = new Marked({ gfm: true, async: false })
  .use(headingAnchors())
  .use(codeHighlighting())
  .use(mathSyntax())
  // GFM footnotes (`[^1]`), rendered as GitHub does: the section the sanitizer allows and feeds carry.
  .use(markedFootnote())
  // Other tools' markup: GitHub's and Obsidian's callouts, `++ctrl+q++` keys, `[[TOC]]`.
  .use(callouts())
  .use(keyMarks())
  .use(tocMarkers())
  // `[[Note]]`, `![[image.png]]`: resolved by the link pass.
  .use(wikilinks())
  .use({
    renderer: {
      image({ href, title, text, tokens }: Tokens.Image): string {
        const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(alt)}"${titleAttr} loading="lazy" decoding="async">`;
      },
    },
  });

/** Renders a post body. */
export function render(markdown: string, options: RenderOptions = {}): Rendered {
  const tokens = marked.lexer(markdown);
  calloutQuotes(tokens, inlineTokens(tokens));
  const linksSite = options.links ? resolveLinks(tokens, options.links, (list, visit) => void marked.walkTokens(list, visit)) : false;
  // After the link pass: a heading's text may hold a link to a file.
  const outline = outlineOf(tokens, new marked.Parser(marked.defaults));
  placeTocs(tokens, outline);
  // After the outline (headings' ids come from a formula's source) and before highlighting (a ```math fence is no code).
  const formulas = renderFormulas(tokens);
  const walk = marked.defaults.walkTokens;
  if (walk) marked.walkTokens(tokens, walk);
  const markup = marked.parser(tokens);
  const html = substituteFormulas(verdictNeedsNoSanitizing(tokens, markup, options) ? markup : safe(markup, options), formulas);
  const needs = { math: formulas.html.length > formulas.problems.length, mermaid: hasDiagram(tokens) };
  return { html, outline, needs, mathProblems: formulas.problems, linksSite };
}

/** Lexes a line of inline markdown as part of the body `tokens` came from (its link definitions). */
function inlineTokens(tokens: Token[]): (text: string) => Token[] {
  return (text) => {
    const lexer = new marked.Lexer(marked.defaults);
    const links = (tokens as Token[] & { links?: Record<string, { href: string | null; title: string | null }> }).links;
    if (links) Object.assign(lexer.tokens.links, links);
    return lexer.inlineTokens(text);
  };
}

/** See `RenderOptions.sanitizeFromChars`. */
function verdictNeedsNoSanitizing(tokens: Token[], markup: string, { sanitizeFromChars }: RenderOptions): boolean {
  if (sanitizeFromChars === undefined || markup.length >= sanitizeFromChars) return false;
  let raw = false;
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'html') raw = true;
  });
  return !raw;
}

/** A ```mermaid fence anywhere (lists and quotes included): the page loads the diagram script. */
function hasDiagram(tokens: Token[]): boolean {
  let found = false;
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'code' && (token as Tokens.Code).lang?.trim().toLowerCase() === 'mermaid') found = true;
  });
  return found;
}

/** Renders one line of inline markdown (the CTA): links and emphasis, no blocks. */
export function renderInline(source: string, options: Pick<RenderOptions, 'rawHtml'> = {}): string {
  return options.rawHtml ? inlineRaw(source) : inlineSafe(source);
}

// The same CTA and footer are on every page a render makes: parsed and sanitized once.
const inlineSafe = memoByText((source) => safe(marked.parseInline(source, { async: false }), { rawHtml: false }));
const inlineRaw = memoByText((source) => safe(marked.parseInline(source, { async: false }), { rawHtml: true }));

/** The one place where rendered markdown is sanitized (src/render/sanitize.ts). */
function safe(html: string, options: Pick<RenderOptions, 'rawHtml'>): string {
  return options.rawHtml ? html : sanitize(html);
}
