/**
 * The sitemap (https://www.sitemaps.org/protocol.html) and robots.txt.
 * The sitemap lists every published post, every page of the index, the tag
 * index and every page of each tag and author listing, the archive and the
 * standalone pages, each with the date its newest post last changed. Built
 * once per site view (a new view of the pages is a new site view too).
 *
 * One sitemap file may hold at most 50,000 URLs and 50 MB
 * (https://www.sitemaps.org/protocol.html#index). Past either, `/sitemap.xml`
 * is a sitemap index of `/sitemap-1.xml`, `/sitemap-2.xml`, …, each within
 * both limits; below them it is the one urlset (docs/urls-and-feeds.md).
 *
 * Built in steps of a few milliseconds per turn of the event loop
 * (src/loop/turns.ts): 51,000 URLs took 106-174 ms in one piece, over the
 * main thread's budget (docs/security.md, "One budget for the main thread").
 */
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { memoByObject } from '../content/memo.js';
import type { PageView } from '../content/page-store.js';
import type { SiteView } from '../content/store.js';
import { taxonomiesOf, type Term } from '../content/taxonomy.js';
import { escapeHtml } from '../html/escape.js';
import { Turns } from '../loop/turns.js';
import { ARCHIVE_URL, INDEX_URL, listingPageUrl, pageUrl, postUrl, SITEMAP_URL, sitemapPartUrl, siteLink, TAGS_URL, termUrl } from '../content/urls.js';
import { isoMoment, lastChanged, pageCount } from './links.js';

export const SITEMAP_TYPE = 'application/xml; charset=utf-8';
export const ROBOTS_TYPE = 'text/plain; charset=utf-8';

/** The most URLs one sitemap file may list (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;
/** The most bytes one sitemap file may have, uncompressed (sitemaps.org: 50 MB). */
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

export interface SitemapLimits {
  readonly maxUrls: number;
  readonly maxBytes: number;
}

export const SITEMAP_LIMITS: SitemapLimits = Object.freeze({ maxUrls: SITEMAP_MAX_URLS, maxBytes: SITEMAP_MAX_BYTES });

export interface Sitemap {
  /** `/sitemap.xml`: the urlset, or the index of the parts when there are any. */
  readonly main: string;
  /** `/sitemap-1.xml`, `/sitemap-2.xml`, …; none while one urlset holds every URL. */
  readonly parts: readonly string[];
}

interface UrlEntry {
  path: string;
  lastmod: string | undefined;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const URLSET_OPEN = `${XML_DECLARATION}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n`;
const URLSET_CLOSE = '</urlset>\n';

/** Entries (or URLs) handled between two looks at the clock: about a millisecond of work. */
const STEP = 500;

/** The sitemaps' share of the loop, one for the process. */
const sitemapTurns = new Turns();

/**
 * The sitemap of a view, built in turns on first use and kept with the view.
 * Keyed by the view of the pages, then by the view of the posts: a change to either is a new sitemap.
 */
export const sitemapOf = memoByObject((pages: PageView) =>
  memoByObject((view: SiteView, config: Config): Promise<Sitemap> => sitemapTurns.run(sitemapSteps(view, config, pages, SITEMAP_LIMITS))),
);

/** The sitemap built at once (tests; the export crawls the server's). */
export function buildSitemap(view: SiteView, config: Config, pages?: PageView, limits: SitemapLimits = SITEMAP_LIMITS): Sitemap {
  return Turns.runNow(sitemapSteps(view, config, pages, limits));
}

function* sitemapSteps(view: SiteView, config: Config, pages: PageView | undefined, limits: SitemapLimits): Generator<void, Sitemap, void> {
  const entries = yield* sitemapEntries(view, config, pages);
  const urls: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    urls.push(urlElement(config.siteUrl, entries[i]!));
    if (i % STEP === STEP - 1) yield;
  }
  const groups = yield* splitSteps(urls, limits);
  if (groups.length <= 1) return { main: urlset(groups[0] ?? []), parts: [] };
  const parts: string[] = [];
  for (const group of groups) {
    parts.push(urlset(group));
    yield;
  }
  return { main: sitemapIndex(config.siteUrl, groups.length), parts };
}

/**
 * The `<url>` elements in files that each stay within both limits, in order:
 * one group when they all fit in one file. Pure, so the limits can be tested
 * small and at their real size.
 */
export function splitSitemap(urls: readonly string[], limits: SitemapLimits = SITEMAP_LIMITS): string[][] {
  return Turns.runNow(splitSteps(urls, limits));
}

function* splitSteps(urls: readonly string[], limits: SitemapLimits): Generator<void, string[][], void> {
  const frame = Buffer.byteLength(URLSET_OPEN) + Buffer.byteLength(URLSET_CLOSE);
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = frame;
  for (let i = 0; i < urls.length; i++) {
    if (i % STEP === STEP - 1) yield;
    const url = urls[i]!;
    const size = Buffer.byteLength(url);
    if (current.length > 0 && (current.length >= limits.maxUrls || bytes + size > limits.maxBytes)) {
      groups.push(current);
      current = [];
      bytes = frame;
    }
    current.push(url);
    bytes += size;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups;
}

function urlElement(siteUrl: string, e: UrlEntry): string {
  return `  <url>\n    <loc>${escapeHtml(siteUrl + e.path)}</loc>\n${e.lastmod ? `    <lastmod>${e.lastmod}</lastmod>\n` : ''}  </url>\n`;
}

function urlset(urls: readonly string[]): string {
  return `${URLSET_OPEN}${urls.join('')}${URLSET_CLOSE}`;
}

/** The index of `count` parts (https://www.sitemaps.org/protocol.html#index). */
function sitemapIndex(siteUrl: string, count: number): string {
  const entries = Array.from(
    { length: count },
    (_, i) => `  <sitemap>\n    <loc>${escapeHtml(siteLink(siteUrl, sitemapPartUrl(i + 1)))}</loc>\n  </sitemap>\n`,
  );
  return `${XML_DECLARATION}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('')}</sitemapindex>\n`;
}

/** Every address the sitemap lists, with the date its newest post last changed. */
function* sitemapEntries(view: SiteView, config: Config, pages?: PageView): Generator<void, UrlEntry[], void> {
  const zone = config.site.timezone;
  const perPage = config.site.posts_per_page;
  // Each post's lastmod is written once, however many listings it is on.
  const lastmods = new Map<Post, { instant: number; text: string }>();
  const lastmodOf = (post: Post): { instant: number; text: string } => {
    let lastmod = lastmods.get(post);
    if (!lastmod) {
      const date = lastChanged(post);
      lastmods.set(post, (lastmod = { instant: date.instant, text: isoMoment(date, zone) }));
    }
    return lastmod;
  };
  const newest = (posts: readonly Post[]): string | undefined => {
    let latest: { instant: number; text: string } | undefined;
    for (const post of posts) {
      const lastmod = lastmodOf(post);
      if (!latest || lastmod.instant > latest.instant) latest = lastmod;
    }
    return latest?.text;
  };
  const listing = (base: string, posts: readonly Post[]): UrlEntry[] =>
    Array.from({ length: pageCount(posts.length, perPage) }, (_, i) => ({
      path: listingPageUrl(base, i + 1),
      lastmod: newest(posts.slice(i * perPage, (i + 1) * perPage)),
    }));
  const entries: UrlEntry[] = [];
  function* terms(kind: 'tag' | 'author', map: ReadonlyMap<string, Term>): Generator<void, void, void> {
    let n = 0;
    for (const term of map.values()) {
      entries.push(...listing(termUrl(kind, term.slug), term.posts));
      if (++n % STEP === 0) yield;
    }
  }

  entries.push(...listing(INDEX_URL, view.posts));
  yield;
  for (let i = 0; i < view.posts.length; i++) {
    const post = view.posts[i]!;
    entries.push({ path: postUrl(post), lastmod: lastmodOf(post).text });
    if (i % STEP === STEP - 1) yield;
  }
  const { tags, authors } = taxonomiesOf(view);
  yield;
  if (tags.size) entries.push({ path: TAGS_URL, lastmod: newest(view.posts.filter((p) => p.tags.length)) });
  yield* terms('tag', tags);
  yield* terms('author', authors);
  if (view.posts.length) entries.push({ path: ARCHIVE_URL, lastmod: newest(view.posts) });
  for (const page of pages?.pages ?? []) entries.push({ path: pageUrl(page.slug), lastmod: lastmodOf(page).text });
  return entries;
}

/** Every crawler may read everything; the sitemap tells it where the posts are. */
export function robotsTxt(config: Config): string {
  return `User-agent: *\nAllow: ${INDEX_URL}\n\nSitemap: ${siteLink(config.siteUrl, SITEMAP_URL)}\n`;
}
