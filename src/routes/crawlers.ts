/** For search engines: the sitemap (an index of parts past 50,000 URLs), and robots.txt, which names it. */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { FEED_KEY } from '../cdn/surrogate-keys.js';
import { PAGE_NUMBER, ROUTES } from '../content/urls.js';
import { robotsTxt, ROBOTS_TYPE, sitemapOf, SITEMAP_TYPE } from '../render/sitemap.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export function crawlerRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.sitemap, (req, res, next) =>
    cachedPage(ctx, req, res, next, async (view, pages) => ({
      body: (await sitemapOf(pages)(view, ctx.config)).main,
      type: SITEMAP_TYPE,
      keys: [FEED_KEY],
      modifiedBy: [...view.posts, ...pages.pages],
    })),
  );
  router.get(ROUTES.sitemapPart, (req, res, next) => {
    const n = req.params.n ?? '';
    if (!PAGE_NUMBER.test(n)) return next();
    return cachedPage(ctx, req, res, next, async (view, pages) => {
      const part = (await sitemapOf(pages)(view, ctx.config)).parts[Number(n) - 1];
      return part === undefined ? undefined : { body: part, type: SITEMAP_TYPE, keys: [FEED_KEY], modifiedBy: [...view.posts, ...pages.pages] };
    });
  });
  router.get(ROUTES.robots, (req, res, next) => cachedPage(ctx, req, res, next, () => ({ body: robotsTxt(ctx.config), type: ROBOTS_TYPE })));
  return router;
}
