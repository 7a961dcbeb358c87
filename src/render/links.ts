/**
 * The absolute forms of links and dates that feeds, sitemaps, link previews
 * and structured data need (they are read away from the site, where a
 * relative URL means nothing). The addresses themselves live in
 * src/content/urls.ts.
 */
import { DateTime } from 'luxon';
import { mapHtmlRefs } from '../content/html-refs.js';
import type { PostDate } from '../content/dates.js';

/** `ref` resolved against `base` (an absolute URL); `ref` itself when it cannot be parsed. */
export function absoluteUrl(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

/**
 * Every `href`/`src`/`poster` (and `srcset` URL) in HTML resolved against
 * `base`, for HTML read outside the site (feeds). The tags are read by
 * htmlparser2's tokenizer (src/content/html-refs.ts), as a browser reads
 * them: text that merely looks like an attribute stays as written, and a
 * `>` inside a quoted value does not end its tag.
 */
export function absolutizeHtml(html: string, base: string): string {
  return mapHtmlRefs(html, (ref) => {
    // Only references that need resolving; `mailto:`, `https:` and the like stay as they are.
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
    // The attribute is HTML-escaped text: `&amp;` in a query stays as written.
    return absoluteUrl(ref.replace(/&amp;/g, '&'), base).replace(/&/g, '&amp;');
  });
}

/**
 * A post date as an ISO 8601 moment with its offset. A calendar date
 * (`2024-02-09`) stands for midnight in the site's zone, which is when it went
 * live; feeds and structured data need the moment, not the bare date.
 */
export function isoMoment(date: PostDate, zone: string): string {
  if (date.hasTime) return date.iso;
  // Kept with the date: luxon takes tens of microseconds per call, and a
  // sitemap of 10,000 posts asks again after every change to any post.
  const known = moments.get(date);
  if (known?.zone === zone) return known.iso;
  const iso = DateTime.fromMillis(date.instant, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(date.instant).toISOString();
  moments.set(date, { zone, iso });
  return iso;
}

const moments = new WeakMap<PostDate, { zone: string; iso: string }>();

/** The latest of a post's dates: when it last changed, as far as its author says. */
export function lastChanged(post: { published: PostDate; updated: PostDate | undefined }): PostDate {
  return post.updated && post.updated.instant > post.published.instant ? post.updated : post.published;
}

/** How many pages a listing of `count` posts has (at least one, even when empty). */
export function pageCount(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / perPage));
}
