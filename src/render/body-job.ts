/**
 * The work done off the main thread for one post body: the page HTML with
 * its outline, or the plain-text summary (word count and excerpt). Pure:
 * what it returns depends only on the job, so any worker may run it, and the
 * CLIs may run it in-process (src/render/render-pool.ts).
 */
import type { LinkFrom } from '../content/link-resolver.js';
import { linkSiteOf, type SharedLinkSite } from '../content/link-site.js';
import { summarize } from '../content/text.js';
import type { LinkContext } from './link-pass.js';
import { render, type Rendered } from './markdown.js';

export type BodyJob =
  | {
      readonly kind: 'page';
      readonly markdown: Markdown;
      /** The file the body is from and the site's sources and media, to resolve its links (src/render/link-pass.ts). */
      readonly links?: BodyLinks | undefined;
      readonly rawHtml: boolean;
      /** Make the summary in the same job: one trip to a thread for an article whose summary is not known yet. */
      readonly withSummary?: boolean;
      /** Only for a verdict (`npm run check`): see `RenderOptions.sanitizeFromChars`. */
      readonly sanitizeFromChars?: number;
    }
  | { readonly kind: 'summary'; readonly markdown: Markdown };

/** Plain data: a job is copied to its thread; the site's buffer is shared, not copied. */
export interface BodyLinks {
  readonly from: LinkFrom;
  readonly site: SharedLinkSite | undefined;
}

/** The body as text, or as its UTF-8 bytes (decoded on the thread that runs the job). */
export type Markdown = string | Uint8Array;

function text(markdown: Markdown): string {
  return typeof markdown === 'string' ? markdown : Buffer.from(markdown.buffer, markdown.byteOffset, markdown.byteLength).toString('utf8');
}

/** The body's HTML and the outline of its headings, as `render` gives them; the summary when the job asked for it. */
export type PageBody = Rendered & { readonly summary?: Summary };

export interface Summary {
  readonly wordCount: number;
  /** The first sentences of the plain text (the description when the post has none). */
  readonly excerpt: string;
}

/**
 * The most HTML one body may render to. A post within `MAX_POST_BYTES` of
 * prose renders to about 3 MB; markup that multiplies (2 MB of short code
 * fences made 12.7 MB) would make a page too big for the page cache,
 * rendered again on every request. Over it, the post is a content error.
 */
export const MAX_BODY_HTML_BYTES = 4 * 1024 * 1024;

export type BodyResult<J extends BodyJob> = J extends { kind: 'page' } ? PageBody : Summary;

export function runBodyJob(job: BodyJob): PageBody | Summary {
  if (job.kind === 'summary') {
    return summarize(text(job.markdown));
  }
  const markdown = text(job.markdown);
  const rendered = render(markdown, { links: linkContext(job.links), rawHtml: job.rawHtml, sanitizeFromChars: job.sanitizeFromChars });
  const { html } = rendered;
  if (html.length > MAX_BODY_HTML_BYTES) {
    throw new Error(`its HTML would be ${(html.length / 1024 / 1024).toFixed(1)} MB, over the ${MAX_BODY_HTML_BYTES / 1024 / 1024} MB limit for a page`);
  }
  return job.withSummary ? { ...rendered, summary: summarize(markdown) } : rendered;
}

function linkContext(links: BodyLinks | undefined): LinkContext | undefined {
  return links && { from: links.from, site: links.site && linkSiteOf(links.site) };
}
