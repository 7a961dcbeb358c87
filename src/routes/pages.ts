/** The index and its further pages. */
import type { Router, NextFunction, Request, Response } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { INDEX_KEY, postKey } from '../cdn/surrogate-keys.js';
import { INDEX_URL, indexPageUrl, PAGE_NUMBER, ROUTES } from '../content/urls.js';
import { pageCount } from '../render/links.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';
import type { FileDependency } from '../cache/response-cache.js';

export function pageRoutes(ctx: RouteContext): Router {
  const router = strictRouter();

  const listing = (page: number, req: Request, res: Response, next: NextFunction): Promise<void> =>
    cachedPage(ctx, req, res, next, async (view) => {
      const perPage = ctx.config.site.posts_per_page;
      const totalPages = pageCount(view.posts.length, perPage);
      if (page > totalPages) return undefined;
      // Cards need each post's summary (made off the main thread); a post that cannot be rendered is left out,
      // and so, after a moment's wait, is one still rendering (`pending`: the page is made again when it lands).
      const { posts, pending } = await ctx.bodies.usable(view.posts.slice((page - 1) * perPage, page * perPage));
      // The cards show their hero images' sizes and variants: an edited image makes the page again.
      const images: FileDependency[] = [];
      await ctx.renderer.images.prepareHeroes(posts);
      return {
        body: ctx.renderer.index(posts, { page, totalPages, urlFor: indexPageUrl }, images),
        imageFiles: images,
        keys: [INDEX_KEY, ...posts.map((p) => postKey(p.slug))],
        modifiedBy: posts,
        pending,
      };
    });

  router.get(ROUTES.index, (req, res, next) => listing(1, req, res, next));

  router.get(ROUTES.indexPage, (req, res, next) => {
    const n = req.params.n!;
    if (!PAGE_NUMBER.test(n)) return next();
    // Page 1 lives at `/`: one URL per page.
    if (n === '1') return res.redirect(301, INDEX_URL);
    return listing(Number(n), req, res, next);
  });

  return router;
}
