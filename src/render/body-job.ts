/**
 * The work done off the main thread for one post body: the page HTML with
 * its outline, or the plain-text summary (word count and excerpt). Pure:
 * what it returns depends only on the job, so any worker may run it, and the
 * CLIs may run it in-process (src/render/render-pool.ts).
 */
import { countWords, excerpt, plainText } from '../content/text.js';
import { renderedOutline, type OutlineEntry } from './headings.js';
import { renderMarkdown } from './markdown.js';

export type BodyJob =
  | { readonly kind: 'page'; readonly markdown: string; readonly bundleSlug: string | undefined; readonly rawHtml: boolean }
  | { readonly kind: 'summary'; readonly markdown: string };

export interface PageBody {
  readonly html: string;
  readonly outline: readonly OutlineEntry[];
}

export interface Summary {
  readonly wordCount: number;
  /** The first sentences of the plain text (the description when the post has none). */
  readonly excerpt: string;
}

export type BodyResult<J extends BodyJob> = J extends { kind: 'page' } ? PageBody : Summary;

export function runBodyJob(job: BodyJob): PageBody | Summary {
  if (job.kind === 'summary') {
    const plain = plainText(job.markdown);
    return { wordCount: countWords(plain), excerpt: excerpt(plain) };
  }
  const html = renderMarkdown(job.markdown, { bundleSlug: job.bundleSlug, rawHtml: job.rawHtml });
  // Read right after the render: the outline is the headings of the body just rendered.
  return { html, outline: renderedOutline() };
}
