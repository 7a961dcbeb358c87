/**
 * The site's feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest
 * published posts, with their full HTML, made by the `feed` package.
 *
 * All three are built together, once per site view (so once per change to
 * the posts), and each post's HTML is kept with the post, so a change to one
 * post renders only that post again.
 */
import { Feed, type Author, type Category, type Enclosure, type FeedOptions, type Item } from 'feed';
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { slugify } from '../content/slug.js';
import type { SiteView } from '../content/store.js';
import { escapeHtml } from '../html/escape.js';
import { assetUrl, authorUrl, FEED_URLS, INDEX_URL, postUrl, siteLink, termUrl } from '../content/urls.js';
import { absoluteUrl, absolutizeHtml, isoMoment, lastChanged } from './links.js';
import type { ImageCatalog } from '../images/catalog.js';
import type { PostBodies } from './post-bodies.js';
import { prepareImages, responsiveHtml } from '../images/responsive.js';

/** How many posts a feed carries. */
export const FEED_SIZE = 20;

export const FEED_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

export type FeedFormat = keyof typeof FEED_TYPES;

export interface Feeds {
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
  /** The posts in the feeds, newest first (their files give Last-Modified). */
  readonly posts: readonly Post[];
  /** Settles when posts left out while they rendered have landed: these feeds are stale from then on. */
  readonly pending?: Promise<void> | undefined;
}

/**
 * The most HTML one feed item carries. A longer post's item carries its
 * summary and a link to the page instead: feed readers fetch the whole feed
 * every time, and the feed is written on the main thread, so 20 posts of
 * megabytes each would cost readers and the server alike.
 */
export const MAX_FEED_ITEM_BYTES = 256 * 1024;

/**
 * The feeds of a view, built on first use and kept with the view. Bodies are
 * rendered on the render pool; a post that cannot be rendered is left out of
 * the feeds, never the feeds themselves. So, after a moment's wait
 * (`LISTING_WAIT_MS`, src/render/post-bodies.ts), is a post whose summary or
 * body is still rendering: the feeds are built again, with it, once it has
 * landed (`pending`), rather than kept for the view (docs/urls-and-feeds.md).
 *
 * `images`: local images in the feeds get their `width` and `height` (a
 * refused one becomes a link), but no `srcset`: feed readers drop or rewrite
 * `<picture>` and `srcset` and lay images out in their own column, so the
 * plain absolute `src` is what they use.
 */
export function feedsOf(view: SiteView, config: Config, bodies: PostBodies, images?: ImageCatalog): Promise<Feeds> {
  const kept = feedsByView.get(view);
  if (kept && !kept.stale) return kept.feeds;
  const entry: KeptFeeds = {
    stale: false,
    feeds: renderedFeedPosts(view.posts.slice(0, FEED_SIZE), config, bodies, images).then(({ posts, pending }) => {
      void pending?.then(() => (entry.stale = true));
      return { ...buildFeeds(posts, config), pending };
    }),
  };
  feedsByView.set(view, entry);
  return entry.feeds;
}

interface KeptFeeds {
  readonly feeds: Promise<Feeds>;
  /** Posts left out while they rendered have landed: build again. */
  stale: boolean;
}

/** Each view's feeds, kept as long as the view (the store makes a new one when the posts change). */
const feedsByView = new WeakMap<SiteView, KeptFeeds>();

/** A post's feed HTML, kept as long as the post object (which is replaced when its file changes). */
const contentByPost = new WeakMap<Post, string>();

/**
 * The posts whose summary and feed HTML are made, in order, their HTML ready
 * for `buildFeeds`, and when those left out because they were still
 * rendering have landed.
 */
async function renderedFeedPosts(
  candidates: readonly Post[],
  config: Config,
  bodies: PostBodies,
  images: ImageCatalog | undefined,
): Promise<{ posts: Post[]; pending: Promise<void> | undefined }> {
  const listed = await bodies.usable(candidates);
  // Feeds are always sanitized: a feed reader is not this site, whatever `raw_html` says (`listedPages`).
  const bodiesNow = await bodies.listedPages(listed.posts.filter((post) => !contentByPost.has(post)));
  await Promise.all(
    [...bodiesNow.pages].map(async ([post, { html }]) => {
      contentByPost.set(post, await feedHtml(post, siteLink(config.siteUrl, postUrl(post)), html, images));
    }),
  );
  const pending = [listed.pending, bodiesNow.pending].filter((p): p is Promise<void> => p !== undefined);
  // A post whose page is still being made is shown in its version before, when that one is in the feeds.
  const posts: Post[] = [];
  for (const post of listed.posts) {
    const shown = contentByPost.has(post) ? post : bodies.versionBefore(post);
    if (shown !== undefined && contentByPost.has(shown)) posts.push(shown);
  }
  return { posts, pending: pending.length ? Promise.all(pending).then(() => undefined) : undefined };
}

/**
 * A body rendered on a render thread, made into a feed item on this one:
 * bounded by `MAX_FEED_ITEM_BYTES` before any of it is read here, then the
 * image sizes (from the site's image catalog) and absolute links.
 */
async function feedHtml(post: Post, url: string, body: string, images: ImageCatalog | undefined): Promise<string> {
  if (body.length > MAX_FEED_ITEM_BYTES) return tooLongForFeed(post, url);
  const hero = post.heroImage ? `<figure><img src="${escapeHtml(post.heroImage)}" alt="${escapeHtml(post.heroImageAlt)}"></figure>\n` : '';
  // A template tag Lede cannot run is shown on the page, for its author to see; feed readers get the text without it.
  const html = hero + body.replace(/<code class="leftover">[^<]*<\/code>/g, '');
  if (!images) return absolutizeHtml(html, url);
  const bundle = post.bundleDir ? { slug: post.slug, dir: post.bundleDir } : undefined;
  // The images are read first, off the event loop (src/images/catalog.ts); responsiveHtml sizes them from memory.
  await prepareImages(html, images, bundle);
  return absolutizeHtml(responsiveHtml(html, { catalog: images, bundle, feed: true }).html, url);
}

function tooLongForFeed(post: Post, url: string): string {
  return `<p>${escapeHtml(post.description)}</p>\n<p><a href="${escapeHtml(url)}">Read “${escapeHtml(post.title)}” on the site</a></p>\n`;
}

/** The feeds of these posts, whose HTML `feedsOf` has made. */
export function buildFeeds(posts: readonly Post[], config: Config): Feeds {
  const { siteUrl, site } = config;
  // The feed's date comes from its posts, never the clock, so its bytes (and ETag) change only with them.
  let newest = Number.NEGATIVE_INFINITY;
  for (const post of posts) newest = Math.max(newest, lastChanged(post).instant);
  const updated = new Date(posts.length ? newest : 0);
  const options: FeedOptions = {
    id: siteLink(siteUrl, INDEX_URL),
    title: site.title,
    description: site.description,
    link: siteLink(siteUrl, INDEX_URL),
    language: site.locale,
    favicon: siteLink(siteUrl, assetUrl('favicon.svg')),
    updated,
    generator: 'Lede',
    author: { name: site.author },
    feedLinks: { rss: siteLink(siteUrl, FEED_URLS.rss), atom: siteLink(siteUrl, FEED_URLS.atom), json: siteLink(siteUrl, FEED_URLS.json) },
  };
  return {
    rss: feedOf(posts, config, { ...options, feed: options.feedLinks!.rss }, 'rss').rss2(),
    atom: fixAtomImageTypes(feedOf(posts, config, { ...options, feed: options.feedLinks!.atom }, 'atom').atom1()),
    json: toJsonFeed11(feedOf(posts, config, options, 'json').json1(), posts, config),
    posts,
  };
}

function feedOf(posts: readonly Post[], config: Config, options: FeedOptions, format: FeedFormat): Feed {
  const feed = new Feed(options);
  for (const post of posts) feed.addItem(itemOf(post, config, format));
  return feed;
}

function itemOf(post: Post, config: Config, format: FeedFormat): Item {
  const url = siteLink(config.siteUrl, postUrl(post));
  // Atom's `type="html"` text and RSS's description are HTML; RSS and JSON titles are plain text.
  const asHtml = (text: string): string => (format === 'json' ? text : escapeHtml(text));
  // Every byline where the format takes several (Atom, JSON Feed); RSS takes the first.
  const authors: Author[] = post.authors.map((name) => {
    const author: Author = { name };
    const page = authorUrl(name);
    if (page) author.link = siteLink(config.siteUrl, page);
    return author;
  });
  const item: Item = {
    title: format === 'atom' ? escapeHtml(post.title) : post.title,
    id: url,
    link: url,
    date: new Date(lastChanged(post).instant),
    published: new Date(post.published.instant),
    description: asHtml(post.description),
    content: contentOf(post),
    category: post.tags.map((name) => categoryOf(name, config, format)),
  };
  if (format === 'rss') {
    // RSS's <author> must be an e-mail address; a name goes in Dublin Core's creator.
    item.extensions = [{ name: 'dc:creator', objects: { _cdata: post.author } }];
  } else {
    item.author = authors;
  }
  const image = heroEnclosure(post, url);
  if (image) item.image = image;
  return item;
}

/**
 * RSS writes the name as text. Atom writes attributes, which the `feed`
 * package escapes only partly (`&` and `"`, not `<`): the term is the tag's
 * slug, which needs no escaping, under the scheme of the site's tag pages,
 * and the name is its label unless it holds a `<`.
 */
function categoryOf(name: string, config: Config, format: FeedFormat): Category {
  if (format !== 'atom') return { name };
  const category: Category = { term: slugify(name), scheme: siteLink(config.siteUrl, termUrl('tag', '')) };
  if (!name.includes('<')) category.name = name;
  return category;
}

function contentOf(post: Post): string {
  const html = contentByPost.get(post);
  if (html === undefined) throw new Error(`feed HTML of ${post.relPath} was not made first (feedsOf)`);
  return html;
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** The hero image as an enclosure, when its type can be told from its name (feed readers need it). */
function heroEnclosure(post: Post, url: string): Enclosure | undefined {
  if (!post.heroImage) return undefined;
  const href = absoluteUrl(post.heroImage, url);
  let extension: string | undefined;
  try {
    extension = new URL(href).pathname.split('.').pop()?.toLowerCase();
  } catch {
    return undefined;
  }
  const type = extension ? IMAGE_TYPES[extension] : undefined;
  return type ? { url: href, type } : undefined;
}

/**
 * The `feed` package's Atom writer ignores an enclosure's type and derives it
 * from the file extension (`image/jpg`, `image/svg`); these are the
 * registered names.
 */
function fixAtomImageTypes(xml: string): string {
  return xml.replace(
    /(<link rel="enclosure" [^>]*type=")image\/(jpg|svg)"/g,
    (_m, head: string, ext: string) => `${head}${ext === 'jpg' ? 'image/jpeg' : 'image/svg+xml'}"`,
  );
}

/** The JSON Feed 1.1 fields a JSON Feed version 1 item may carry. */
interface JsonFeedItem {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  image?: string;
  date_published?: string;
  date_modified?: string;
  author?: { name?: string; url?: string };
  authors?: { name?: string; url?: string }[];
  tags?: string[];
}

/**
 * The `feed` package writes JSON Feed version 1; version 1.1
 * (https://www.jsonfeed.org/version/1.1/) adds `authors` (a list) and
 * `language`. The singular `author` stays for readers of version 1, as the
 * spec allows. Dates keep the site's offset rather than UTC.
 */
function toJsonFeed11(json: string, posts: readonly Post[], config: Config): string {
  const { site, siteUrl } = config;
  const feed = JSON.parse(json) as Record<string, unknown> & { items: JsonFeedItem[]; author?: { name?: string } };
  const bySlugUrl = new Map(posts.map((p) => [siteLink(siteUrl, postUrl(p)), p]));
  const items = feed.items.map((item) => {
    const post = bySlugUrl.get(item.id);
    if (!post) return item;
    const out: JsonFeedItem = { ...item };
    if (item.author)
      out.authors = post.authors.map((name) => {
        const page = authorUrl(name);
        return { name, ...(page ? { url: siteLink(siteUrl, page) } : {}) };
      });
    if (post.heroImage) out.image = absoluteUrl(post.heroImage, item.id);
    out.date_published = isoMoment(post.published, site.timezone);
    out.date_modified = isoMoment(lastChanged(post), site.timezone);
    return out;
  });
  const { version: _version, author, items: _items, ...rest } = feed;
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      ...rest,
      language: site.locale,
      favicon: siteLink(siteUrl, assetUrl('favicon.svg')),
      ...(author ? { authors: [author], author } : {}),
      items,
    },
    null,
    2,
  );
}
