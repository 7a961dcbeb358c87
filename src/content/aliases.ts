/**
 * Renamed posts: frontmatter `aliases` lists the old addresses of a post, as
 * old slugs (`old-name`) or paths on this site (`/old-url`, or an
 * old post URL). Each one answers with a 301 to the post's URL, unless a
 * real post lives there: an alias never shadows a post.
 */
import type { ContentError, Post } from './post.js';
import { canonicalEncoding, pathFault, type PathFault } from './request-path.js';
import { slugify } from './slug.js';
import { FEED_URLS, postUrl, ROBOTS_URL, ROUTES, SITEMAP_URL, TAGS_URL } from './urls.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The path an alias stands for (an old slug's post URL, `/old-url`), in the very
 * form the URL guard leaves a request path in (src/content/request-path.ts:
 * percent-encoded with upper-case hex, unreserved characters decoded, no dot
 * segments, no trailing slash), so `/caf%c3%a9`, `/café` and `/caf%C3%A9`
 * are one alias and match the request; an `Error` with a message for the
 * author when no request could ever reach it.
 */
export function normaliseAlias(raw: string): string | Error {
  const text = raw.trim();
  if (!text) return new Error('an alias is empty');
  if (SCHEME.test(text) || text.startsWith('//')) {
    return new Error(`alias "${text}" is a full URL; write the path on this site, like /old-url`);
  }
  // Checked before the URL parser, which reads `\` as `/` (so `/\evil.com` would become `//evil.com`).
  if (text.includes('\\')) return new Error(`alias "${text}" contains a backslash, which the server refuses in an address; write the path with /`);
  if (!text.includes('/')) {
    const slug = slugify(text);
    if (!slug) return new Error(`alias "${text}" has no letters or digits to make a URL from`);
    return postUrl(slug);
  }
  let pathname: string;
  try {
    // The URL parser applies the same rules as browsers: dot segments go, spaces are encoded.
    pathname = new URL(text.startsWith('/') ? text : `/${text}`, 'http://alias.invalid').pathname;
  } catch {
    return new Error(`alias "${text}" is not a path`);
  }
  pathname = canonicalEncoding(pathname).replace(/\/+$/, '');
  if (!pathname) return new Error(`alias "${text}" is the front page; an alias must be another address`);
  const fault = pathFault(pathname);
  if (fault) return new Error(`alias "${text}" can never be requested: the server refuses an address with ${FAULTS[fault]}`);
  return pathname;
}

const FAULTS: Record<PathFault, string> = {
  'encoded separator': 'an encoded / or \\ (%2F, %5C) or NUL (%00)',
  'bad encoding': 'a % that does not start a valid percent-encoded character',
  'bad character': 'control characters',
};

/** The request path in the form aliases are kept in, or undefined when it cannot be one. */
export function normaliseRequestPath(requestPath: string): string | undefined {
  try {
    return canonicalEncoding(new URL(requestPath, 'http://alias.invalid').pathname).replace(/\/+$/, '') || undefined;
  } catch {
    return undefined;
  }
}

export interface AliasMap {
  /** Alias path -> the post it redirects to. */
  readonly targets: ReadonlyMap<string, Post>;
  /** Aliases that could not be used: taken by a post, or claimed twice. */
  readonly problems: readonly ContentError[];
}

/**
 * Builds the alias map of a set of posts. An alias equal to a post's own URL
 * is never used (the post wins); when two posts claim one alias, the post
 * whose file path sorts first wins, as with slugs.
 */
export function buildAliasMap(posts: Iterable<Post>): AliasMap {
  const sorted = [...posts].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const owners = new Map(sorted.map((p) => [postUrl(p), p]));
  const routes = fixedRoutes();
  const targets = new Map<string, Post>();
  const problems: ContentError[] = [];
  for (const post of sorted) {
    for (const alias of post.aliases) {
      const owner = owners.get(alias);
      if (owner === post) continue; // An alias of itself: harmless, nothing to redirect.
      if (routes.has(alias)) {
        problems.push({
          file: post.relPath,
          line: undefined,
          field: 'aliases',
          message: `alias ${alias} is an address of the site itself (${routes.get(alias)}); that answers first, the alias is ignored`,
        });
        continue;
      }
      if (owner) {
        problems.push({
          file: post.relPath,
          line: undefined,
          field: 'aliases',
          message: `alias ${alias} is the address of ${owner.relPath}; the post is served there, the alias is ignored`,
        });
        continue;
      }
      const earlier = targets.get(alias);
      if (earlier && earlier !== post) {
        problems.push({
          file: post.relPath,
          line: undefined,
          field: 'aliases',
          message: `alias ${alias} is already an alias of ${earlier.relPath}; it redirects there`,
        });
        continue;
      }
      targets.set(alias, post);
    }
  }
  return { targets, problems };
}

/** Addresses a route always answers, whatever the content: an alias there is never reached. */
function fixedRoutes(): ReadonlyMap<string, string> {
  return new Map([
    [FEED_URLS.rss, 'the RSS feed'],
    [FEED_URLS.atom, 'the Atom feed'],
    [FEED_URLS.json, 'the JSON feed'],
    [SITEMAP_URL, 'the sitemap'],
    [ROBOTS_URL, 'robots.txt'],
    [TAGS_URL, 'the list of tags'],
    [ROUTES.health, 'the health check'],
  ]);
}
