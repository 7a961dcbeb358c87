/**
 * The sitemap (https://www.sitemaps.org/protocol.html) and robots.txt.
 * The sitemap lists every published post, every page of the index, the tag
 * index and every page of each tag and author listing, the archive and the
 * standalone pages, each with the date its newest post last changed. Built
 * once per site view (a new view of the pages is a new site view too).
 */
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { memoByObject } from '../content/memo.js';
import type { PageView } from '../content/page-store.js';
import type { SiteView } from '../content/store.js';
import { taxonomiesOf, type Term } from '../content/taxonomy.js';
import { escapeHtml } from './escape.js';
import { ARCHIVE_URL, INDEX_URL, listingPageUrl, pageUrl, postUrl, SITEMAP_URL, siteLink, TAGS_URL, termUrl } from '../content/urls.js';
import { isoMoment, lastChanged, pageCount } from './links.js';

export const SITEMAP_TYPE = 'application/xml; charset=utf-8';
export const ROBOTS_TYPE = 'text/plain; charset=utf-8';

interface UrlEntry {
  path: string;
  lastmod: string | undefined;
}

/** The sitemap of a view, built on first use and kept with the view. */
/** Keyed by the view of the pages, then by the view of the posts: a change to either is a new sitemap. */
export const sitemapOf = memoByObject((pages: PageView) => memoByObject((view: SiteView, config: Config): string => buildSitemap(view, config, pages)));

export function buildSitemap(view: SiteView, config: Config, pages?: PageView): string {
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
  const terms = (kind: 'tag' | 'author', map: ReadonlyMap<string, Term>): UrlEntry[] => [...map.values()].flatMap((term) => listing(termUrl(kind, term.slug), term.posts));

  const { tags, authors } = taxonomiesOf(view);
  const entries: UrlEntry[] = [
    ...listing(INDEX_URL, view.posts),
    ...view.posts.map((post) => ({ path: postUrl(post), lastmod: lastmodOf(post).text })),
    ...(tags.size ? [{ path: TAGS_URL, lastmod: newest(view.posts.filter((p) => p.tags.length)) }] : []),
    ...terms('tag', tags),
    ...terms('author', authors),
    ...(view.posts.length ? [{ path: ARCHIVE_URL, lastmod: newest(view.posts) }] : []),
    ...(pages?.pages ?? []).map((page) => ({ path: pageUrl(page.slug), lastmod: lastmodOf(page).text })),
  ];
  const urls = entries.map(
    (e) => `  <url>\n    <loc>${escapeHtml(config.siteUrl + e.path)}</loc>\n${e.lastmod ? `    <lastmod>${e.lastmod}</lastmod>\n` : ''}  </url>\n`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('')}</urlset>\n`;
}

/** Every crawler may read everything; the sitemap tells it where the posts are. */
export function robotsTxt(config: Config): string {
  return `User-agent: *\nAllow: ${INDEX_URL}\n\nSitemap: ${siteLink(config.siteUrl, SITEMAP_URL)}\n`;
}
