/**
 * The URL scheme: every address the site has, and the route patterns that
 * answer them. No other module spells a path; to move a page, change it here
 * (and the URL table of docs/urls-and-feeds.md).
 *
 * Helpers take slugs (src/content/slug.ts) or names that they slugify, and
 * percent-encode them: a slug keeps the letters of every script
 * (`привет-мир`), and goes out as UTF-8, percent-encoded, in capitals, the
 * one spelling the URL guard lets through (src/http/url-guard.ts). A name
 * with no letters or digits has no page, and its helper returns `undefined`
 * instead of a broken link.
 */
import { safeDecode } from './safe-decode.js';
import { slugify } from './slug.js';

/** The Express route patterns, one per kind of page, for src/routes/. */
export const ROUTES = {
  index: '/',
  indexPage: '/page/:n',
  post: '/posts/:slug',
  /** `*file` so bundles may keep images in sub-folders (`images/a.png`). */
  bundleFile: '/posts/:slug/*file',
  tags: '/tags',
  tag: '/tags/:slug',
  tagPage: '/tags/:slug/page/:n',
  author: '/authors/:slug',
  authorPage: '/authors/:slug/page/:n',
  health: '/healthz',
  sitemap: '/sitemap.xml',
  /** One part of a sitemap too large for one file (`sitemapPartUrl`); `/sitemap.xml` is then their index. */
  sitemapPart: '/sitemap-:n.xml',
  robots: '/robots.txt',
  archive: '/archive',
  search: '/search',
  searchJson: '/search.json',
  /**
   * Lede's own files: the theme's stylesheet, scripts and fonts, and the
   * self-hosted packages (mounted as a prefix). `_lede` is a name no blog
   * uses (a static file's name starts with a letter or digit), so the
   * writer's `/assets/…` is theirs (docs/pages-and-static-files.md).
   */
  assets: '/_lede',
  /**
   * Where Lede's own files were before: still answered, after the writer's
   * files, so a page cached or linked with the old address keeps its style.
   */
  legacyAssets: '/assets',
  /** Development only: the Server-Sent Events stream that tells open pages to reload. */
  liveReload: '/_lede/live-reload',
  /** The stylesheet made from the branding settings (`accent_color`); a route, so it wins over a theme file. */
  brandStyle: '/_lede/brand.css',
  /** A standalone page from `content/pages/`: after every other route, so routes win. */
  page: '/:slug',
  /** A file from `content/static/`, served at the root: after the pages. */
  staticFile: '/*file',
  /** Resized variants of bundle and static images (`imageVariantUrl`). */
  imageVariant: '/_img/*path',
  /** Generated social cards (`socialCardUrl`). */
  socialCard: '/_card/:slug/:file',
} as const;

/** The feeds, by format. */
export const FEED_URLS = { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' } as const;

/** A page number as it may appear in a URL: 1 to 999,999, no leading zero. */
export const PAGE_NUMBER = /^[1-9]\d{0,5}$/;

export const INDEX_URL = ROUTES.index;
export const TAGS_URL = ROUTES.tags;
export const SITEMAP_URL = ROUTES.sitemap;
export const ROBOTS_URL = ROUTES.robots;
export const ARCHIVE_URL = ROUTES.archive;

/** Part `n` (from 1) of a sitemap split in several files. */
export function sitemapPartUrl(n: number): string {
  return `/sitemap-${n}.xml`;
}

/** A slug as one path segment: ASCII slugs (most) as they are, others percent-encoded. */
export function slugSegment(slug: string): string {
  return /^[a-z0-9-]*$/.test(slug) ? slug : encodeURIComponent(slug);
}

/** One article. */
export function postUrl(post: string | { readonly slug: string }): string {
  return `/posts/${slugSegment(typeof post === 'string' ? post : post.slug)}`;
}

/** A file of a page bundle; `file` is already percent-encoded, segments joined by `/`. */
export function bundleFileUrl(slug: string, file: string): string {
  return `${postUrl(slug)}/${file}`;
}

/**
 * The bundle-relative part of a URL made by `bundleFileUrl(slug, …)`
 * (`images/a.png`, still encoded, query and fragment cut), or `undefined`
 * when the URL is not a file of that bundle.
 */
export function bundleFileOf(slug: string, url: string): string | undefined {
  const prefix = `${postUrl(slug)}/`;
  if (!url.startsWith(prefix)) return undefined;
  return url.slice(prefix.length).split(/[?#]/)[0]!;
}

/**
 * A relative reference inside a page bundle becomes its bundle file URL.
 * Absolute URLs, site paths and fragments are left alone. A reference that
 * climbs out of the bundle (`../other/x.png`, also spelled `%2e%2e`) would
 * name a file the bundle does not own: it becomes `#`, never a URL outside.
 */
export function bundleUrl(slug: string, ref: string): string {
  if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(ref)) return ref;
  const cut = ref.search(/[?#]/);
  const pathPart = cut < 0 ? ref : ref.slice(0, cut);
  const suffix = cut < 0 ? '' : ref.slice(cut);
  const segments: string[] = [];
  for (const segment of pathPart.split(/[/\\]/)) {
    // Browsers treat `%2e%2e` as `..` (WHATWG URL, "double-dot path segment").
    const decoded = safeDecode(segment);
    if (decoded === '' || decoded === '.') continue;
    if (decoded === '..') {
      if (!segments.pop()) return '#';
      continue;
    }
    segments.push(segment);
  }
  if (!segments.length) return suffix.startsWith('#') ? suffix : `${postUrl(slug)}${suffix}`;
  return `${bundleFileUrl(slug, segments.join('/'))}${suffix}`;
}

/** The page of a tag, by name; `undefined` for a name with no letters or digits, which has none. */
export function tagUrl(tag: string): string | undefined {
  const slug = slugify(tag);
  return slug ? termUrl('tag', slug) : undefined;
}

/** The page of an author, by name; `undefined` for a name with no letters or digits, which has none. */
export function authorUrl(author: string): string | undefined {
  const slug = slugify(author);
  return slug ? termUrl('author', slug) : undefined;
}

/** The listing of a tag or an author, by its slug. */
export function termUrl(kind: 'tag' | 'author', slug: string): string {
  return `${kind === 'tag' ? '/tags' : '/authors'}/${slugSegment(slug)}`;
}

/** Page `n` of a listing at `base` (`/`, `/tags/ai`): page 1 is the listing itself. */
export function listingPageUrl(base: string, page: number): string {
  if (page <= 1) return base;
  return `${base === '/' ? '' : base}/page/${page}`;
}

/** Page `n` of the index. */
export function indexPageUrl(page: number): string {
  return listingPageUrl(INDEX_URL, page);
}

/** A standalone page from `content/pages/`. */
export function pageUrl(pageSlug: string): string {
  return `/${slugSegment(pageSlug)}`;
}

/**
 * The route that answers `path` before a page or a static file could (docs/pages-and-static-files.md:
 * "Routes answer first"), as its pattern, or `undefined` when none does.
 * A one-segment route (`/tags`, `/feed.xml`) claims that path; a route with
 * more segments (`/posts/:slug`, `/_lede/*`) claims everything under its
 * first segment. Derived from ROUTES and FEED_URLS, so a new route is
 * reserved without a second list.
 */
export function routeClaiming(path: string): string | undefined {
  const first = path.split('/')[1] ?? '';
  // Lede's files live under `/_lede/…` whatever their name.
  if (first === ROUTES.assets.slice(1)) return `${ROUTES.assets}/*`;
  for (const pattern of RESERVING_PATTERNS) {
    const segments = pattern.split('/').slice(1);
    if (segments.length === 1 ? claimsOne(pattern, path) : first === segments[0]) return pattern;
  }
  return undefined;
}

/** A one-segment route claims its own path; one with a parameter (`/sitemap-:n.xml`), every path of its shape. */
function claimsOne(pattern: string, path: string): boolean {
  const shape = SHAPES.get(pattern);
  return shape ? shape.test(path) : path === pattern;
}

/** The patterns that reserve addresses: every route but the catch-alls for pages and static files. */
const RESERVING_PATTERNS: readonly string[] = [
  ...Object.entries(ROUTES)
    .filter(([name, pattern]) => name !== 'page' && name !== 'staticFile' && name !== 'legacyAssets' && pattern !== '/')
    .map(([, pattern]) => pattern),
  ...Object.values(FEED_URLS),
];

/** The one-segment patterns with a parameter, as expressions: a parameter is any text but `/`. */
const SHAPES: ReadonlyMap<string, RegExp> = new Map(
  RESERVING_PATTERNS.filter((pattern) => pattern.split('/').length === 2 && pattern.includes(':')).map((pattern) => {
    const parts = pattern.split(/:[A-Za-z_]\w*/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return [pattern, new RegExp(`^${parts.join('[^/]+')}$`)];
  }),
);

/** A file from `content/static/`, served at the root; `file` is already percent-encoded. */
export function staticFileUrl(file: string): string {
  return `/${file}`;
}

/** A file of the theme (`style.css`, `favicon.svg`); `file` is already percent-encoded. */
export function assetUrl(file: string): string {
  return `${ROUTES.assets}/${file}`;
}

/**
 * A file of a self-hosted package (KaTeX, mermaid) in its content-hashed
 * folder (`katex-3f2a9c0d1e`, src/http/vendor-assets.ts): `/_lede/katex-3f2a9c0d1e/katex.min.css`.
 */
export function vendorAssetUrl(folder: string, file: string): string {
  return `${ROUTES.assets}/${folder}/${file}`;
}

/** The formats images are re-encoded to for `srcset`, best first. */
export const VARIANT_FORMATS = ['avif', 'webp'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

/**
 * A resized variant of the image at `source` (its site path, as in the
 * page: `/posts/a/photo.jpg`, `/logo.png`): `/_img/posts/a/photo.jpg/960-<hash>.avif`.
 * The hash is of the source's bytes, so the URL names one version of the
 * image and may be cached for a year. `_img` cannot be a static file's name
 * (those start with a letter or digit), so it shadows none.
 */
export function imageVariantUrl(source: string, width: number, hash: string, format: VariantFormat): string {
  return `/_img${source}/${width}-${hash}.${format}`;
}

/** The parts of a variant URL (the request path), or `undefined` when it is not one. */
export function imageVariantOf(url: string): { source: string; width: number; hash: string; format: VariantFormat } | undefined {
  const match = /^\/_img(\/.+)\/([1-9]\d{0,4})-([0-9a-f]{16})\.(avif|webp)$/.exec(url);
  if (!match) return undefined;
  return { source: match[1]!, width: Number(match[2]), hash: match[3]!, format: match[4] as VariantFormat };
}

/** The generated link-preview image of a post that has no hero image; `hash` is of what it shows. */
export function socialCardUrl(slug: string, hash: string): string {
  return `/_card/${slugSegment(slug)}/${hash}.png`;
}

/** The search page, with a query and a page (from 2) when given. */
export function searchUrl(query?: string, page = 1): string {
  return searchAddress(ROUTES.search, query, page);
}

/** The search results as JSON, with a query and a page (from 2) when given. */
export function searchJsonUrl(query?: string, page = 1): string {
  return searchAddress(ROUTES.searchJson, query, page);
}

function searchAddress(base: string, query: string | undefined, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}

/**
 * One of the site's own pages as an absolute URL: `SITE_URL` then the path,
 * as the canonical link is made (so a `SITE_URL` with a path prefix, behind a
 * proxy that strips it, keeps it).
 */
export function siteLink(siteUrl: string, path: string): string {
  return `${siteUrl}${path}`;
}

/**
 * The helpers views are given (`urls.tag(name)`, `urls.asset('style.css')`),
 * so no template spells a path either.
 */
export const viewUrls = {
  index: INDEX_URL,
  tags: TAGS_URL,
  archive: ARCHIVE_URL,
  brandStyle: ROUTES.brandStyle,
  post: postUrl,
  tag: tagUrl,
  author: authorUrl,
  asset: assetUrl,
  feed: FEED_URLS,
  /** The action of the search forms (a GET form: `?q=` is added by the browser). */
  search: ROUTES.search,
} as const;

export type ViewUrls = typeof viewUrls;
