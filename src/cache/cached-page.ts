/**
 * The one cache-or-render path: every HTML page, feed and crawler document
 * goes through `cachedPage`. A route says which data and which view (`make`);
 * this module owns the rest, in this order: the site view, a cache lookup,
 * the page made from the view, its surrogate keys (set on `res` before the
 * store, because the cache keeps the headers already set and replays them on
 * hits), Last-Modified, the dependencies that keep it current, and the store.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import type { FileSignature, Post } from '../content/post.js';
import type { PageStore, PageView } from '../content/page-store.js';
import type { ContentStore, SiteView } from '../content/store.js';
import { setSurrogateKeys } from '../cdn/surrogate-keys.js';
import { makeRepresentation, type ContentCoding } from './representation.js';
import type { FileDependency, ResponseCache } from './response-cache.js';
import { negotiateEncoding } from './send.js';

export const HTML = 'text/html; charset=utf-8';

/** What a page is made with: the steps before it in the data flow. */
export interface PageContext {
  readonly config: Pick<Config, 'cacheControl' | 'site'>;
  readonly store: Pick<ContentStore, 'view' | 'signatureOf'>;
  readonly pages: Pick<PageStore, 'view' | 'signatureOf'>;
  readonly cache: ResponseCache;
}

/**
 * The key of everything a page may show: the posts and the standalone pages.
 * The response cache compares it on every hit (src/app.ts builds its
 * `currentViewKey` with this too); `undefined` when either must be built again.
 */
export function siteViewKey(posts: string | undefined, pages: string | undefined): string | undefined {
  return posts === undefined || pages === undefined ? undefined : `${posts}|${pages}`;
}

/**
 * The site view key of the moment, for the response cache's check on every
 * hit: the same string as `siteViewKey`, made again only when one of its two
 * parts changed (they are the same strings from one request to the next, so
 * comparing them is a pointer compare; a new key per hit was a concatenation,
 * then a compare of its characters).
 */
export function currentSiteViewKey(posts: () => string | undefined, pages: () => string | undefined): () => string | undefined {
  let lastPosts: string | undefined;
  let lastPages: string | undefined;
  let key: string | undefined;
  return () => {
    const postsKey = posts();
    const pagesKey = pages();
    if (postsKey !== lastPosts || pagesKey !== lastPages) {
      lastPosts = postsKey;
      lastPages = pagesKey;
      key = siteViewKey(postsKey, pagesKey);
    }
    return key;
  };
}

/** A page as a route makes it. */
export interface Page {
  /** Text, or the bytes of a file (src/routes/static-files.ts). */
  readonly body: string | Buffer;
  /** The Content-Type; HTML when left out. */
  readonly type?: string;
  /** A Content-Security-Policy of its own (src/http/security-headers.ts `pagePolicy`), replacing the site's. */
  readonly csp?: string | undefined;
  /** The surrogate keys of what the page shows (src/cdn/surrogate-keys.ts). */
  readonly keys?: readonly string[];
  /**
   * The posts whose files the page was made from: the latest of their
   * modification times is Last-Modified; none gives no Last-Modified.
   */
  readonly modifiedBy?: readonly Pick<Post, 'signature'>[];
  /**
   * Posts whose own file the page depends on beyond the site view (an
   * article: its body). A hit `stat`s each (shared within a loop turn), so an
   * edit shows on the next request even before the folder is scanned again.
   */
  readonly files?: readonly Pick<Post, 'file' | 'signature'>[];
  /**
   * Whether the page depends on the site view at all. A static file does
   * not: it stays cached while posts change, and its `files` alone decide.
   */
  readonly listsContent?: boolean;
  /**
   * For a page that shows only a part of the site view (an article: the post
   * and its two neighbours): whether a later view shows the same part, so the
   * page made from it would be this one. With the same settings and
   * standalone pages, the cached page then stays when the view changes
   * elsewhere; without it, any change to the view makes the page again.
   */
  readonly shownIn?: ((view: SiteView) => boolean) | undefined;
  /** Other files the page shows facts of (its images' sizes and hashes), as they were when it was made. */
  readonly imageFiles?: readonly FileDependency[];
  /**
   * The page was made without posts still rendering (src/render/post-bodies.ts
   * `Listing`): it settles when they have landed, and the page is dropped from
   * the cache then, so the next request includes them. Until then shared
   * caches must ask again each time (`no-cache`), not keep it for `s-maxage`.
   */
  readonly pending?: Promise<void> | undefined;
}

/** Sent with a page made without posts still rendering: a CDN revalidates it (a 304 while it is unchanged) instead of keeping it. */
export const PENDING_CACHE_CONTROL = 'public, no-cache';

/**
 * Sends the cached page for `req.path`, or makes it from the current site
 * view with `make` and keeps it until the view (or one of its `files`)
 * changes. `make` returning `undefined` means there is no such page: the
 * request goes on to the next route (in the end, the 404).
 *
 * When a hit can happen here: the front door (`ResponseCache.serve`, before
 * Express) already answered every request whose page was current, so this
 * lookup hits only when another request for the same address stored the
 * page while this one was on its way through the middleware (two first
 * readers of a page at once). It is kept so that they share one render.
 */
export async function cachedPage(
  ctx: PageContext,
  req: Request,
  res: Response,
  next: NextFunction,
  make: (view: SiteView, pages: PageView) => Promise<Page | undefined> | Page | undefined,
): Promise<void> {
  const [view, pages] = await Promise.all([ctx.store.view(), ctx.pages.view()]);
  const viewKey = siteViewKey(view.key, pages.key);
  if (viewKey !== undefined) latestViews.set(ctx.cache, { key: viewKey, view, pages });
  const key = req.path;
  const cached = ctx.cache.get(key) ?? ctx.cache.stale(key);
  if (cached) return ctx.cache.send(req, res, key, cached);
  // Another request is making this page (and its last version may not be answered: its file
  // changed): wait for that one rather than make it twice (docs/security.md, "Churn under load").
  const making = ctx.cache.makingOf(key);
  if (making) {
    await making;
    const made = ctx.cache.get(key);
    if (made) return ctx.cache.send(req, res, key, made);
  }
  // May wait for post bodies rendered off the main thread (src/render/post-bodies.ts).
  const made = make(view, pages);
  ctx.cache.makeOnce(key, Promise.resolve(made));
  const page = await made;
  if (!page) return next();
  setSurrogateKeys(res, page.keys ?? []);
  if (page.csp) res.setHeader('Content-Security-Policy', page.csp);
  const deps = {
    viewKey: page.listsContent === false ? undefined : viewKey,
    files: [...(page.files ?? []).map((post) => fileDependency(ctx, post)), ...(page.imageFiles ?? [])],
    stillShown: page.shownIn && stillShown(ctx, page.shownIn, pages.key),
  };
  ctx.cache.store(key, req, res, {
    // Compressed now only as this reader asked (the cache makes the other encoding right after).
    rep: makeRepresentation(page.body, page.type ?? HTML, latestModification(page.modifiedBy ?? []), codingsFor(req)),
    cacheControl: page.pending ? PENDING_CACHE_CONTROL : ctx.config.cacheControl,
    deps,
  });
  if (page.pending) void page.pending.then(() => dropIfStill(ctx, key, deps));
}

/**
 * The site view each cache's pages were last made or looked up with: the
 * response cache checks a page's `stillShown` synchronously, on its front door,
 * and can do so only with a view already built for the current key (the first
 * request after a change builds it, on its way through `cachedPage`).
 */
const latestViews = new WeakMap<ResponseCache, { readonly key: string; readonly view: SiteView; readonly pages: PageView }>();

/**
 * A page's `stillShown` check: the view of `currentKey` is built, with the
 * same settings (the object changes with `_site.yml`) and standalone pages as
 * the page was made with, and shows the page's part of the posts as it was.
 */
function stillShown(ctx: PageContext, shownIn: (view: SiteView) => boolean, pagesKey: string | undefined): (currentKey: string) => boolean {
  const site = ctx.config.site;
  return (currentKey) => {
    const latest = latestViews.get(ctx.cache);
    return latest !== undefined && latest.key === currentKey && latest.pages.key === pagesKey && ctx.config.site === site && shownIn(latest.view);
  };
}

/**
 * Drops the page kept under `key` if it is still the one made with `deps`
 * (the cache keeps the same `deps` when it adds the other encodings; a page
 * made again since has its own).
 */
function dropIfStill(ctx: PageContext, key: string, deps: object): void {
  if (ctx.cache.get(key)?.deps === deps) ctx.cache.delete(key);
}

/**
 * The newest modification time of the files, or `undefined` for none. A
 * loop, not `Math.max(...list)`, which overflows the stack for very long
 * lists (a sitemap of 100,000 posts).
 */
export function latestModification(posts: readonly { readonly signature: Pick<FileSignature, 'mtimeMs'> }[]): number | undefined {
  let latest: number | undefined;
  for (const post of posts) if (latest === undefined || post.signature.mtimeMs > latest) latest = post.signature.mtimeMs;
  return latest;
}

/**
 * The file as the store saw it last: the store may have looked again since
 * the post object was made (a `touch` that changed nothing the post shows).
 */
function fileDependency(ctx: PageContext, post: Pick<Post, 'file' | 'signature'>): FileDependency {
  return { path: post.file, signature: ctx.store.signatureOf(post.file) ?? ctx.pages.signatureOf(post.file) ?? post.signature };
}

/** The encoding this request is answered in, as the one to make before answering. */
function codingsFor(req: Request): readonly ContentCoding[] {
  const wanted = negotiateEncoding(req.headers['accept-encoding']);
  return wanted === 'br' || wanted === 'gzip' ? [wanted] : [];
}
