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
import { createHash } from 'node:crypto';
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
  return boundedKey('page', slug);
}

/**
 * The longest key, in bytes (Fastly and Cloudflare both stop at 256). A key
 * whose name would be longer (a 252-character file name made one) is
 * `kind:` and a hash of the name instead: the same for the page and for the
 * purge, since both make it here.
 */
export const MAX_KEY_BYTES = 256;

/**
 * The longest `Surrogate-Key` or `Cache-Tag` header a page sends, in bytes
 * (Fastly's limit is 16 KiB). Keys past it are left out: every caller lists
 * its broad keys (`index`, `tag:x` ...) first, and a change to any post on
 * the page purges those too (src/cdn/purge.ts), so nothing goes stale.
 */
export const MAX_KEYS_HEADER_BYTES = 16 * 1024;

/** One article, its bundle files, and the pages that link to it by title. */
export function postKey(slug: string): string {
  return boundedKey('post', slug);
}

/** The pages of one tag (its listing and its further pages). */
export function tagKey(tagSlug: string): string {
  return boundedKey('tag', tagSlug);
}

/** The pages of one author. */
export function authorKey(authorSlug: string): string {
  return boundedKey('author', authorSlug);
}

/** A key is one token CDNs accept: no spaces or commas, at most 256 bytes. */
const KEY = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

function boundedKey(kind: string, name: string): string {
  const key = `${kind}:${name}`;
  return KEY.test(key) ? key : `${kind}:#${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** Sets `Surrogate-Key` and `Cache-Tag` to these keys (duplicates dropped, at most `MAX_KEYS_HEADER_BYTES`). */
export function setSurrogateKeys(res: ServerResponse, keys: Iterable<string>): void {
  const unique: string[] = [];
  let bytes = 0;
  for (const key of new Set(keys)) {
    if (!KEY.test(key)) throw new TypeError(`surrogate key must be 1-256 visible characters without spaces or commas: ${JSON.stringify(key)}`);
    bytes += key.length + 1;
    if (bytes > MAX_KEYS_HEADER_BYTES + 1) break;
    unique.push(key);
  }
  if (unique.length === 0) return;
  res.setHeader('Surrogate-Key', unique.join(' '));
  res.setHeader('Cache-Tag', unique.join(','));
}
