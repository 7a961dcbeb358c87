/**
 * `createApp(config)` builds Lede without listening: the content store, the
 * renderer, the response cache in front, and the Express app behind it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import express, { type Express } from 'express';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { currentSiteViewKey } from './cache/cached-page.js';
import { isInside } from './files/inside.js';
import { PageStore } from './content/page-store.js';
import { ContentStore, type StoreOptions } from './content/store.js';
import { ROUTES } from './content/urls.js';
import type { Post } from './content/post.js';
import { HttpError } from './errors.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { accessLog, REQUEST_ID_HEADER, requestIds } from './http/request-log.js';
import type { LineWriter } from './line-sink.js';
import { LISTING_GRACE_MS, ResponseCache } from './cache/response-cache.js';
import { dropInvalidModifiedSince } from './cache/send.js';
import { securityHeaders } from './http/security-headers.js';
import { LiveReload } from './http/live-reload.js';
import { loadVendorAssets, vendorAssetRoutes } from './http/vendor-assets.js';
import { queryString } from './http/query-string.js';
import { MAX_URL_BYTES, urlGuard } from './http/url-guard.js';
import { PostBodies, PRODUCTION_LISTING_WAIT_MS } from './render/post-bodies.js';
import { sharedRenderPool, type RenderPool } from './render/render-pool.js';
import { Renderer } from './render/renderer.js';
import { themeAssetFolder, themeFolders, themeHasFile } from './render/theme.js';
import { brandRoutes } from './routes/brand.js';
import { archiveRoutes, standalonePageRoutes } from './routes/standalone-pages.js';
import { staticFileRoutes } from './routes/static-files.js';
import { legacyAssetRoutes } from './routes/legacy-assets.js';
import { LinkSiteSource } from './content/link-site.js';
import { themeAssetRoutes } from './routes/theme-assets.js';
import type { RouteContext } from './routes/context.js';
import { crawlerRoutes } from './routes/crawlers.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { watchLoopDelay } from './http/loop-delay.js';
import { pageRoutes } from './routes/pages.js';
import { postRoutes } from './routes/posts.js';
import { imageRoutes } from './routes/images.js';
import { SiteImages } from './images/site-images.js';
import { taxonomyRoutes } from './routes/taxonomies.js';
import { aliasLookup, aliasRoutes } from './routes/aliases.js';
import { contentProblemRoutes, pageProblemRoutes } from './routes/content-problems.js';
import { searchRoutes } from './routes/search.js';
import { pageSource, postSource } from './search/post-source.js';
import { SiteSearch, type SiteSearchOptions as SearchOptions } from './search/site-search.js';
import { siteLayoutOf } from './content/site-layout/site-layout.js';

export interface AppOptions {
  logger?: Logger;
  /** Where post bodies are rendered; by default the process's shared pool. */
  renderPool?: RenderPool;
  /** The clock, for tests of future-dated posts. */
  now?: () => number;
  /** The post parser, for tests that count parses from outside. */
  parse?: StoreOptions['parse'];
  /** Post files together above this size keep their bodies on disk (src/content/store.ts); tests set 0 to read every body from its file. */
  bodyMemoryBytes?: number;
  /** How long a post file must stay unchanged to be read as written (src/content/store.ts, `SETTLE_MS`). */
  settleMs?: number;
  /**
   * Open pages reload when a post, the settings, a view or an asset changes.
   * On by default in development (`NODE_ENV` unset), never in production;
   * tests turn it on to test it.
   */
  liveReload?: boolean;
  /**
   * How the search index's background build waits for its next slice
   * (`setImmediate`); tests step it by hand to see the build in progress.
   */
  searchSchedule?: SearchOptions['schedule'];
  /**
   * The logger's own JSON output (from `createLogging`): access lines are
   * written there ready-made instead of through `logger.info`.
   */
  accessLines?: LineWriter | undefined;
}

/** A request listener for `http.createServer` (and supertest), with its parts. */
export interface LedeApp {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly express: Express;
  readonly store: ContentStore;
  readonly renderer: Renderer;
  readonly bodies: PostBodies;
  readonly cache: ResponseCache;
  readonly search: SiteSearch;
  readonly logger: Logger;
  /** Development only: the hub that tells open pages to reload. Close it before shutting down. */
  readonly liveReload: LiveReload | undefined;
  /** The standalone pages of `content/pages/`. */
  readonly pages: PageStore;
  /**
   * Reads the views (a theme's too) again and drops every cached page: what
   * the live-reload hub does when a view, an asset or a theme file changes.
   */
  reloadViews(): void;
}

export function createApp(config: Config, options: AppOptions = {}): LedeApp {
  const logger = options.logger ?? pino({ level: config.logLevel });
  // `/healthz` reports how long the loop was held since start (src/http/loop-delay.ts).
  watchLoopDelay();
  const production = config.env === 'production';
  // Posts and pages are read alike; only the posts' store reads `_site.yml` again (so its
  // problems are counted once), and the pages follow the author and time zone it gives.
  const readOptions = {
    contentDir: config.contentDir,
    defaults: { author: config.site.author, timezone: config.site.timezone },
    showDrafts: !production,
    maxFileBytes: config.maxPostBytes,
    watch: config.contentWatch === 'watch',
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.parse ? { parse: options.parse } : {}),
    ...(options.bodyMemoryBytes !== undefined ? { bodyMemoryBytes: options.bodyMemoryBytes } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
  };
  // A whole blog repository (Jekyll's, Hugo's, …) is read by its own layout; the pages' store keeps Lede's.
  const layout = siteLayoutOf(config.contentDir);
  const store = new ContentStore({ ...readOptions, layout, settings: config.settings, onChanged: (posts) => checkInBackground(posts) });
  const pages = new PageStore({ ...readOptions, layout, followSettings: config.settings });
  const liveReload =
    !production && (options.liveReload ?? config.env === 'development')
      ? new LiveReload({ folders: [config.contentDir, ...themeFolders(config)], logger })
      : undefined;
  // KaTeX's and mermaid's files, hashed once here: the pages link them by these names.
  // One page stylesheet made from public/style.css, unless a theme brings its own or an edit must show on reload.
  const vendorAssets = loadVendorAssets(liveReload || themeHasFile(config, 'style.css') ? undefined : path.join(config.publicDir, 'style.css'));
  const images = new SiteImages(config);
  const renderer = new Renderer(config, { liveReload: liveReload !== undefined, assets: vendorAssets, images });
  const cache = new ResponseCache(
    config.cacheMaxBytes,
    currentSiteViewKey(
      () => store.currentViewKey(),
      () => pages.currentViewKey(),
    ),
    // Listings made at most twice a second while a writer saves, in production (src/cache/response-cache.ts).
    { listingGraceMs: production ? LISTING_GRACE_MS : 0, ...(options.now ? { now: options.now } : {}) },
  );
  const reloadViews = (): void => {
    renderer.forgetViews();
    cache.clear();
  };
  liveReload?.onChange((files) => {
    // Posts, pages and `_site.yml` are the stores' to notice; a view or an asset (a theme's too) changes what every page is made with.
    if (files.some((file) => !isInside(config.contentDir, file))) reloadViews();
  });
  const links = new LinkSiteSource(
    () => store.linkSources(),
    () => pages.linkSources(),
  );
  const bodies = new PostBodies({
    pool: options.renderPool ?? sharedRenderPool(),
    linkSite: () => links.current().shared,
    timeoutMs: config.renderTimeoutMs,
    // In production a reader never waits long for a post someone else saved; an author who saves and looks does.
    listingWaitMs: production ? PRODUCTION_LISTING_WAIT_MS : undefined,
    previousVersion: (post) => store.previousVersion(post),
    // Each store ignores what is not its own: a page goes to the pages' store, a post to the posts'.
    onFailure: (post, error) => {
      store.markUnrenderable(post, error);
      pages.markUnrenderable(post, error);
    },
  });
  /** A post saved while the server runs is rendered once right away: one too slow is reported now, not when first read. */
  const checkInBackground = (posts: readonly Post[]): void => {
    bodies.checkInBackground(posts, config.site.raw_html);
  };
  const ctx: RouteContext = { config, store, pages, renderer, bodies, cache, links };
  // Subscribes to the store's change feed; reads nothing until the first search (or `warm()`).
  const search = new SiteSearch(options.searchSchedule ? { schedule: options.searchSchedule } : {});
  search.addSource(postSource(store));
  search.addSource(pageSource(pages));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from src/cache/send.ts, computed once per change.
  app.set('strict routing', true);
  app.set('case sensitive routing', true);

  // First, so every answer (pages, files, errors, 304s) carries them; the cache replays them.
  app.use(securityHeaders());
  app.use(urlGuard());
  const aliases = aliasLookup(ctx);
  // Not async: only a path with a trailing slash waits (for the alias look-up); every other request goes on in this turn.
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return next(new HttpError(405, 'This address can only be read (GET or HEAD).'));
    }
    // One URL per page: `/a/b/` redirects to `/a/b`. Never to `//host`,
    // which browsers read as another site (an open redirect); `/\host` never
    // gets here: the URL guard refuses backslashes.
    if (req.path.length > 1 && req.path.endsWith('/') && !req.path.startsWith('//')) {
      const bare = req.path.replace(/\/+$/, '');
      // An old address (`/2020/01/02/post/`, a moved blog's) goes to its post in one hop, not via `/2020/01/02/post`.
      aliases(bare).then((target) => res.redirect(301, (target ?? bare) + queryString(req)), next);
      return;
    }
    // A date ahead of now must not make a 304 of any file (src/cache/send.ts).
    dropInvalidModifiedSince(req);
    next();
  });
  const ledeFiles = express.Router();
  ledeFiles.use(brandRoutes(ctx)); // before the assets: a route wins over a file of the same name
  ledeFiles.use(vendorAssetRoutes(vendorAssets));
  // The theme's assets first, then the built-in ones; a new file in the theme is served too.
  // In development they are revalidated on every load, so a reload shows an edit at once.
  const themeAssets = themeAssetFolder(config);
  // The theme's files are judged by their real target and opened without blocking (src/routes/theme-assets.ts).
  if (themeAssets) ledeFiles.use(themeAssetRoutes({ dir: themeAssets, maxAgeS: liveReload ? 0 : 3600, logger }));
  ledeFiles.use(ROUTES.assets, express.static(config.publicDir, { index: false, maxAge: liveReload ? 0 : '1h', fallthrough: true, dotfiles: 'ignore' }));
  app.use(ledeFiles);
  if (liveReload) app.get(ROUTES.liveReload, liveReload.handle);
  app.use(healthRoutes(ctx));
  app.use(searchRoutes({ ...ctx, search }));
  app.use(pageRoutes(ctx));
  app.use(postRoutes(ctx));
  app.use(imageRoutes(ctx, images));
  if (!production) app.use(contentProblemRoutes(ctx));
  app.use(taxonomyRoutes(ctx));
  app.use(feedRoutes(ctx));
  app.use(crawlerRoutes(ctx));
  app.use(archiveRoutes(ctx));
  // After every route: routes answer first, then pages, then site-wide files.
  app.use(standalonePageRoutes(ctx));
  if (!production) app.use(pageProblemRoutes(ctx));
  app.use(staticFileRoutes(ctx));
  // Lede's files at their old prefix, when no file of the writer's is there (src/routes/legacy-assets.ts).
  app.use(legacyAssetRoutes(ledeFiles));
  app.use(aliasRoutes(ctx, aliases)); // Last before the 404: an alias never shadows a real page.
  app.use(notFound());
  app.use(errorHandler({ renderer, production, logger }));

  const access = accessLog(logger, options.accessLines);
  const requestIdOf = requestIds();
  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const startedAt = Date.now();
    const id = requestIdOf(req);
    // The front cache answers first, with the request id and an access line like any other answer.
    // It ignores the query, so an over-long one must reach the URL guard (414) instead.
    if (req.url!.length <= MAX_URL_BYTES && cache.serve(req, res, REQUEST_ID_HEADER, id)) {
      access.sent(req, res, startedAt, id);
      return;
    }
    // Express's side reads it from the request (the error handler's log lines).
    req.id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    access.track(req, res, startedAt);
    app(req, res);
  }) as LedeApp;
  return Object.assign(handler, { express: app, store, pages, renderer, bodies, cache, search, logger, liveReload, reloadViews });
}
