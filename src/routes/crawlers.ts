/** For search engines: the sitemap, and robots.txt, which names it. */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { FEED_KEY } from '../cdn/surrogate-keys.js';
import { ROUTES } from '../content/urls.js';
import { robotsTxt, ROBOTS_TYPE, sitemapOf, SITEMAP_TYPE } from '../render/sitemap.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export function crawlerRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.sitemap, (req, res, next) =>
    cachedPage(ctx, req, res, next, (view, pages) => ({
      body: sitemapOf(pages)(view, ctx.config),
      type: SITEMAP_TYPE,
      keys: [FEED_KEY],
      modifiedBy: [...view.posts, ...pages.pages],
    })),
  );
  router.get(ROUTES.robots, (req, res, next) => cachedPage(ctx, req, res, next, () => ({ body: robotsTxt(ctx.config), type: ROBOTS_TYPE })));
  return router;
}
