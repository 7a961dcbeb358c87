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

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** highlight.js classes: `hljs`, `language-ts`, `hljs-keyword`, and its `title class_`-style sub-scopes. */
const HIGHLIGHT_CLASSES = ['hljs', /^language-[\w+#.-]+$/, /^lang-[\w+#.-]+$/];
const TOKEN_CLASSES = [/^hljs-[\w-]+$/, /^[a-z]+_+$/];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS,
    'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
    'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sup', 'sub', 'abbr', 'cite', 'q', 'dfn', 'time',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd',
    'a', 'img', 'picture', 'source', 'figure', 'figcaption',
    'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'details', 'summary', 'section', 'span', 'div', 'input',
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
    details: ['open'],
    section: ['data-footnotes'],
    // GFM task lists: `- [x] done` renders a disabled checkbox.
    input: ['type', 'checked', 'disabled'],
    // Classes are allowed per element below; this only lets the attribute through.
    pre: ['class'],
    code: ['class'],
    span: ['class'],
  },
  allowedClasses: {
    pre: HIGHLIGHT_CLASSES,
    code: HIGHLIGHT_CLASSES,
    span: TOKEN_CLASSES,
    a: ['anchor', 'heading-anchor', 'footnote-ref', 'footnote-backref', 'data-footnote-backref'],
    section: ['footnotes'],
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
  // Drop the contents of elements that are never text, not just their tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template', 'title'],
  disallowedTagsMode: 'discard',
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs['type'] !== 'checkbox',
  transformTags: {
    // A checkbox in an article is a task-list mark, never a form control.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
  },
};

/** sanitize-html writes void elements XHTML-style (`<img />`); HTML writes them `<img>`. */
const SELF_CLOSED = /<(img|br|hr|input|source|col|wbr)\b([^>]*?) \/>/g;

/** Sanitized HTML: what articles use, nothing that runs. */
export function sanitize(html: string): string {
  // Safe to rewrite: sanitize-html escapes `>` inside attribute values, so `[^>]*` stays in the tag.
  return sanitizeHtml(html, OPTIONS).replace(SELF_CLOSED, '<$1$2>');
}
