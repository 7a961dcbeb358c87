/**
 * Markdown to HTML: the one configured `Marked` instance (GFM, GitHub-style
 * heading ids, lazy images). Relative links and images inside a page bundle
 * resolve to `/posts/<slug>/<file>`.
 */
import { Marked, type Tokens } from 'marked';
import { gfmHeadingId, resetHeadings } from 'marked-gfm-heading-id';
import { bundleUrl } from '../content/parse-post.js';
import { escapeHtml } from './escape.js';
import { headingAnchors } from './headings.js';
import { codeHighlighting } from './highlight.js';
import { sanitize } from './sanitize.js';

export interface MarkdownOptions {
  /** The slug of a page bundle whose relative references should resolve to its files. */
  bundleSlug?: string | undefined;
  /** Let the author's raw HTML through unsanitized (the `raw_html` site setting). */
  rawHtml?: boolean | undefined;
}

/** Set for the duration of one synchronous render. */
let currentBundle: string | undefined;

const marked = new Marked({ gfm: true, async: false })
  .use(gfmHeadingId())
  .use(headingAnchors())
  .use(codeHighlighting())
  .use({
    walkTokens(token) {
      if (currentBundle && (token.type === 'link' || token.type === 'image')) {
        const t = token as Tokens.Link | Tokens.Image;
        t.href = bundleUrl(currentBundle, t.href);
      }
    },
    renderer: {
      image({ href, title, text, tokens }: Tokens.Image): string {
        const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(alt)}"${titleAttr} loading="lazy" decoding="async">`;
      },
    },
  });

/** Renders a post body. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  currentBundle = options.bundleSlug;
  try {
    resetHeadings();
    return safe(marked.parse(source, { async: false }), options);
  } finally {
    currentBundle = undefined;
  }
}

/** Renders one line of inline markdown (the CTA): links and emphasis, no blocks. */
export function renderInline(source: string, options: Pick<MarkdownOptions, 'rawHtml'> = {}): string {
  return safe(marked.parseInline(source, { async: false }), options);
}

/** The one place where rendered markdown is sanitized (src/render/sanitize.ts). */
function safe(html: string, options: Pick<MarkdownOptions, 'rawHtml'>): string {
  return options.rawHtml ? html : sanitize(html);
}
