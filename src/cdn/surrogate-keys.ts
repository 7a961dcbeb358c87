/**
 * Surrogate keys: each page names what it was made from, so a CDN can drop
 * exactly the pages a change touches ("purge by key") instead of everything.
 *
 * The same keys go out twice, in the two conventions CDNs read:
 * `Surrogate-Key` (Fastly, Varnish xkey, Bunny: space-separated) and
 * `Cache-Tag` (Cloudflare, Akamai: comma-separated). A CDN strips them before
 * the response reaches a reader. Set them on `res` BEFORE `ctx.cache.store()`:
 * the response cache keeps the headers already set and replays them on hits.
 */
import type { ServerResponse } from 'node:http';

/** Every listing of posts (the index and its further pages). */
export const INDEX_KEY = 'index';
/** Every feed and the sitemap (they list the newest posts). */
export const FEED_KEY = 'feed';
/** The tag index (every tag with its count). */
export const TAGS_KEY = 'tags';
/** The site-wide files of `content/static/`. */
export const STATIC_KEY = 'static';

/** One standalone page of `content/pages/`. */
export function pageKey(slug: string): string {
  return `page:${slug}`;
}

/** One article, its bundle files, and the pages that link to it by title. */
export function postKey(slug: string): string {
  return `post:${slug}`;
}

/** The pages of one tag (its listing and its further pages). */
export function tagKey(tagSlug: string): string {
  return `tag:${tagSlug}`;
}

/** The pages of one author. */
export function authorKey(authorSlug: string): string {
  return `author:${authorSlug}`;
}

/** A key is one token CDNs accept: no spaces or commas, at most 256 bytes. */
const KEY = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

/** Sets `Surrogate-Key` and `Cache-Tag` to these keys (duplicates dropped). */
export function setSurrogateKeys(res: ServerResponse, keys: Iterable<string>): void {
  const unique = [...new Set(keys)];
  for (const key of unique) {
    if (!KEY.test(key)) throw new TypeError(`surrogate key must be 1-256 visible characters without spaces or commas: ${JSON.stringify(key)}`);
  }
  if (unique.length === 0) return;
  res.setHeader('Surrogate-Key', unique.join(' '));
  res.setHeader('Cache-Tag', unique.join(','));
}
