/**
 * Math on the server: `$…$`, `$$…$$` and ` ```math ` fences become KaTeX's
 * HTML plus MathML at render time, so readers need no script (the CSP keeps
 * `script-src 'self'`) and feeds carry MathML that readers can show.
 *
 * KaTeX's output (spans with inline styles, MathML) is not something the
 * sanitizer should ever let an author write. So the renderer writes an
 * unguessable placeholder for each formula (a nonce made per `render` call),
 * the page is sanitized, and only then are the placeholders replaced with
 * KaTeX's output (`substituteFormulas`). Raw HTML from the author never
 * passes as math.
 *
 * Bounded, because render runs within a time budget: at most
 * `MAX_FORMULAS` formulas per page and `MAX_TEX_CHARS` characters each,
 * KaTeX's macro expansion capped (`maxExpand`) and sizes capped (`maxSize`).
 * A formula over a cap, or one KaTeX cannot parse, shows as its source with
 * the `math-error` style and its reason in a tooltip.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type Katex from 'katex';
import type { MarkedExtension, Token, Tokens } from 'marked';
import { escapeHtml } from '../html/escape.js';
import { matchInlineMath, matchMathBlock, nextDollar } from './math-syntax.js';

export const MAX_FORMULAS = 2000;
export const MAX_TEX_CHARS = 10_000;

/** A formula token, inline or display; `placeholder` is set once `renderFormulas` has seen it. */
export interface MathToken extends Tokens.Generic {
  type: 'math';
  raw: string;
  tex: string;
  display: boolean;
  placeholder?: string;
}

/** A formula that could not be shown as math, for `check`. */
export interface MathProblem {
  /** The markdown as written (`$\frac{1}{$`), to find its line in the file. */
  readonly raw: string;
  readonly message: string;
}

/** Formulas rendered for one page: the HTML for each placeholder, and what went wrong. */
export interface Formulas {
  readonly nonce: string;
  readonly html: readonly string[];
  /** Each formula's TeX, for a placeholder that landed in an attribute. */
  readonly sources: readonly string[];
  readonly problems: readonly MathProblem[];
}

/** The marked extension: the tokenizers and the placeholder renderer. */
export function mathSyntax(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'mathBlock',
        level: 'block',
        tokenizer(src: string): MathToken | undefined {
          const found = matchMathBlock(src);
          return found && { type: 'math', raw: found.raw, tex: found.tex, display: true };
        },
      },
      {
        name: 'math',
        level: 'inline',
        start: nextDollar,
        tokenizer(src: string): MathToken | undefined {
          const found = matchInlineMath(src);
          return found && { type: 'math', raw: found.raw, tex: found.tex, display: found.display };
        },
        // Before `renderFormulas` (the outline's pass over headings), a formula reads as its source.
        renderer(token: Tokens.Generic): string {
          const math = token as MathToken;
          return math.placeholder ?? escapeHtml(math.tex);
        },
      },
    ],
  };
}

/**
 * Renders every formula in the tokens with KaTeX and gives its token a
 * placeholder; ` ```math ` fences become display formulas. Headings that
 * hold a formula lose the HTML the outline pass cached, so they are written
 * again with the formula in.
 */
export function renderFormulas(tokens: Token[]): Formulas {
  const nonce = randomBytes(9).toString('base64url');
  const html: string[] = [];
  const sources: string[] = [];
  const problems: MathProblem[] = [];
  const visit = (list: Token[], heading: { html?: string | undefined } | undefined): void => {
    for (const token of list) {
      if (token.type === 'code' && (token as Tokens.Code).lang?.trim().toLowerCase() === 'math') {
        const code = token as Tokens.Code;
        // Retyped in place: the parser then asks the `math` renderer for it.
        Object.assign(token, { type: 'math', tex: code.text, display: true } satisfies Partial<MathToken>);
      }
      if (token.type === 'math') {
        const math = token as MathToken;
        const rendered = renderTex(math, html.length);
        if (rendered.problem) problems.push(rendered.problem);
        math.placeholder = `\uE000${nonce}:${html.length}\uE001`;
        html.push(rendered.html);
        sources.push(math.tex);
        if (heading) heading.html = undefined;
        continue;
      }
      const nested = token as { tokens?: Token[]; items?: Tokens.ListItem[]; rows?: Tokens.TableCell[][]; header?: Tokens.TableCell[] };
      const inHeading = token.type === 'heading' ? (token as { html?: string }) : heading;
      if (nested.tokens) visit(nested.tokens, inHeading);
      if (nested.items) visit(nested.items, inHeading);
      if (nested.header) for (const cell of nested.header) visit(cell.tokens, inHeading);
      if (nested.rows) for (const row of nested.rows) for (const cell of row) visit(cell.tokens, inHeading);
    }
  };
  visit(tokens, undefined);
  return { nonce, html, sources, problems };
}

/**
 * Puts KaTeX's output where the placeholders are, in text only: a
 * placeholder inside a tag (an image's alt text) gets the formula's source,
 * escaped, since markup cannot live in an attribute.
 */
export function substituteFormulas(html: string, formulas: Formulas): string {
  if (!formulas.html.length) return html;
  const placeholder = new RegExp(`\uE000${formulas.nonce}:(\\d+)\uE001`, 'g');
  return html.replace(/(<[^>]*>)|([^<]+)/g, (_all, tag: string | undefined, text: string | undefined) => {
    if (tag) return tag.replace(placeholder, (_m, n: string) => escapeHtml(formulas.sources[Number(n)] ?? ''));
    return text!.replace(placeholder, (_m, n: string) => formulas.html[Number(n)] ?? '');
  });
}

/**
 * KaTeX, loaded on the first formula: 2.5 MB of heap (8.5 MB of RSS) in
 * each thread that imports it, the main thread and every render thread,
 * for the many sites that never write a formula.
 */
let loadedKatex: typeof Katex | undefined;
function katex(): typeof Katex {
  return (loadedKatex ??= createRequire(import.meta.url)('katex') as typeof Katex);
}

interface RenderedTex {
  html: string;
  problem?: MathProblem;
}

function renderTex(math: MathToken, index: number): RenderedTex {
  if (index >= MAX_FORMULAS) return failed(math, `more than ${MAX_FORMULAS} formulas on one page; the rest are shown as source`);
  if (math.tex.length > MAX_TEX_CHARS) return failed(math, `formula longer than ${MAX_TEX_CHARS} characters; shown as source`);
  try {
    const html = katex().renderToString(math.tex, {
      displayMode: math.display,
      output: 'htmlAndMathml',
      throwOnError: true,
      // No \href, \url, \includegraphics or \html…: a formula links and styles nothing.
      trust: false,
      // Unicode text and similar leniencies render as written, without console warnings.
      strict: 'ignore',
      // Bounded work and size: a `\def` loop or a `\rule{1000em}` cannot stall or swamp a page.
      maxExpand: 1000,
      maxSize: 20,
    });
    // A span either way: display math may sit inside a paragraph (`text $$x$$ text`).
    return { html: `<span class="math ${math.display ? 'math-display' : 'math-inline'}">${html}</span>` };
  } catch (err) {
    const message = err instanceof katex().ParseError || err instanceof Error ? err.message : String(err);
    return failed(math, message);
  }
}

/** The formula as written, marked as an error, with the reason on hover; never a broken page. */
function failed(math: MathToken, message: string): RenderedTex {
  const source = math.display ? `$$${math.tex}$$` : `$${math.tex}$`;
  const html = `<code class="math-error${math.display ? ' math-display' : ''}" title="${escapeHtml(message)}">${escapeHtml(source)}</code>`;
  return { html, problem: { raw: math.raw, message } };
}
