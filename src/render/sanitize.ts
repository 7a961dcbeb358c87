/**
 * The HTML that markdown produces is sanitized before it reaches a page: an
 * allow-list of the elements and attributes articles legitimately use
 * (headings with ids and anchors, tables, code with highlighting classes,
 * footnotes, definition lists, images, links, details, figures), and only
 * http(s), mailto and relative URLs. Script, style, iframes, forms, event
 * handlers and `javascript:`/`data:` URLs are dropped. Authors who need raw
 * HTML opt in with `raw_html: true` in the site settings.
 *
 * KaTeX's output (inline styles, MathML) is deliberately not on this list:
 * formulas reach the sanitizer as placeholders and their HTML replaces them
 * afterwards (src/render/math.ts), so an author's `<math>` or
 * `<span class="katex" style=…>` is stripped like any other markup.
 *
 * Runs once per content change (pages are cached), never per request.
 */
import sanitizeHtml from 'sanitize-html';
import { SAFE_SCHEMES } from '../validate/safe-url.js';
import { bodyId } from './layout-ids.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** highlight.js classes: `hljs`, `language-ts`, `hljs-keyword`, and its `title class_`-style sub-scopes. */
const HIGHLIGHT_CLASSES = ['hljs', /^language-[\w+#.-]+$/, /^lang-[\w+#.-]+$/];
const TOKEN_CLASSES = [/^hljs-[\w-]+$/, /^[a-z]+_+$/];

/** Elements removed with their content: what is inside them is never text a reader sees. */
export const TEXTLESS_TAGS: ReadonlySet<string> = new Set(['script', 'style', 'iframe', 'template', 'title']);

/** The elements articles may use, for `check` to name the ones it removes. */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set<string>();

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS,
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'samp',
    'var',
    'em',
    'strong',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'mark',
    'small',
    'sup',
    'sub',
    'abbr',
    'cite',
    'q',
    'dfn',
    'time',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'img',
    'picture',
    'source',
    'figure',
    'figcaption',
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'details',
    'summary',
    'section',
    'span',
    'div',
    'input',
    // Callouts and admonitions of other tools (`> [!NOTE]`, `:::tip`, `!!! note`), and `[[TOC]]` in a body.
    'aside',
    'nav',
    // Progress bars, as in project updates.
    'progress',
    'meter',
  ],
  allowedAttributes: {
    '*': ['id', 'title', 'lang', 'dir', 'aria-label', 'aria-describedby', 'aria-hidden'],
    a: ['href', 'rel', 'hreflang', 'data-footnote-ref', 'data-footnote-backref'],
    img: ['src', 'alt', 'width', 'height', 'loading', 'decoding'],
    source: ['srcset', 'type', 'media'],
    ol: ['start', 'reversed', 'type'],
    li: ['value'],
    th: ['align', 'scope', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    col: ['span'],
    colgroup: ['span'],
    time: ['datetime'],
    abbr: ['title'],
    q: ['cite'],
    blockquote: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
    progress: ['value', 'max'],
    meter: ['value', 'min', 'max', 'low', 'high', 'optimum'],
    // GFM task lists: `- [x] done` renders a disabled checkbox.
    input: ['type', 'checked', 'disabled', 'aria-label'],
    // Classes are allowed per element below; this only lets the attribute through.
    pre: ['class'],
    code: ['class'],
    span: ['class'],
    // A callout is a note, not a landmark of its own (several on a page would need a name each).
    aside: ['class', 'role'],
    details: ['open', 'class'],
    summary: ['class'],
    section: ['data-footnotes', 'class'],
    nav: ['class'],
    p: ['class'],
  },
  allowedClasses: {
    pre: HIGHLIGHT_CLASSES,
    span: TOKEN_CLASSES,
    // A template tag Lede cannot run, shown as text (src/content/foreign-markup.ts).
    code: [...HIGHLIGHT_CLASSES, 'leftover'],
    // Callouts, tabs and a table of contents in the body (src/content/foreign-blocks.ts, src/render/callouts.ts).
    aside: ['callout', /^callout-[a-z]+$/],
    details: ['callout', /^callout-[a-z]+$/],
    summary: ['callout-title'],
    p: ['callout-title', 'tab-label'],
    nav: ['toc-inline'],
    a: ['anchor', 'heading-anchor', 'footnote-ref', 'footnote-backref', 'data-footnote-backref'],
    section: ['footnotes', 'tab'],
    h2: ['sr-only'],
    ul: ['contains-task-list'],
    ol: ['contains-task-list'],
    li: ['task-list-item'],
    input: ['task-list-item-checkbox'],
    div: ['footnotes', 'table-wrapper'],
  },
  allowedSchemes: [...SAFE_SCHEMES],
  // Images load from http(s) or this site only: no `data:` documents, no `mailto:`.
  allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'srcset'],
  allowProtocolRelative: true,
  // Drop the contents of elements that are never text, not just their tags;
  // every other element that is removed keeps its text (a `<Callout>` of MDX,
  // a `<noscript>` fallback), so no sentence of a post is lost unseen.
  nonTextTags: [...TEXTLESS_TAGS],
  disallowedTagsMode: 'discard',
  // `<iframe ... />` and `<Video ... />` as JSX writes them: HTML has no
  // self-closing syntax for them, so a parser would read the rest of the post
  // as their content and drop it with them. Closed where written instead.
  parser: { recognizeSelfClosing: true },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    // A checkbox in an article is a task-list mark, never a form control; its name says its state
    // (a control needs one: WCAG 4.1.2, axe's `label` rule), whatever name the post gave it.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '', 'aria-label': attribs.checked === undefined ? 'To do' : 'Done' } }),
    // An id from the post never takes one the layout uses (the skip link's `main`).
    '*': layoutSafeId,
    // A callout is a note, not a landmark of its own (several on a page would each need a name): no other role.
    aside: (tagName, attribs) => {
      const { role, ...rest } = attribs;
      return layoutSafeId(tagName, role === 'note' ? { ...rest, role } : rest);
    },
  },
};

/** An id from the post never takes one the layout uses. */
function layoutSafeId(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  return attribs.id === undefined ? { tagName, attribs } : { tagName, attribs: { ...attribs, id: bodyId(attribs.id) } };
}

for (const tag of OPTIONS.allowedTags || []) (ALLOWED_TAGS as Set<string>).add(tag);

/** sanitize-html writes void elements XHTML-style (`<img />`); HTML writes them `<img>`. */
const SELF_CLOSED = /<(img|br|hr|input|source|col|wbr)\b([^>]*?) \/>/g;

/** Sanitized HTML: what articles use, nothing that runs. */
export function sanitize(html: string): string {
  // Safe to rewrite: sanitize-html escapes `>` inside attribute values, so `[^>]*` stays in the tag.
  return sanitizeHtml(html, OPTIONS).replace(SELF_CLOSED, '<$1$2>');
}
