/**
 * Standalone pages (`content/pages/`) at `/<slug>`, and the archive. Mounted
 * after every other route: a page whose address is a route is not served
 * (the page store sets it aside and reports it), and `/archive` is a route.
 */
import { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { INDEX_KEY, pageKey } from '../cdn/surrogate-keys.js';
import { isSlug } from '../content/slug.js';
import { ROUTES } from '../content/urls.js';
import { pagePolicy } from '../http/security-headers.js';
import type { RouteContext } from './context.js';

/** `/archive`: every published post by year and month; a listing of posts, so it carries their key. */
export function archiveRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.get(ROUTES.archive, (req, res, next) =>
    cachedPage(ctx, req, res, next, (view) => ({ body: ctx.renderer.archive(view.posts), keys: [INDEX_KEY], modifiedBy: view.posts })),
  );
  return router;
}

export function standalonePageRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.get(ROUTES.page, async (req, res, next) => {
    const slug = req.params['slug']!;
    if (!isSlug(slug)) return next();
    // Checked against its file first (one `stat`): an edit or a deletion shows at once, as for posts.
    const page = await ctx.pages.getPage(slug);
    if (!page) return next();
    return cachedPage(ctx, req, res, next, () => {
      const problem = ctx.config.env === 'production' ? undefined : ctx.pages.currentError(page.file);
      const made = ctx.renderer.standalonePage(page, problem);
      // KaTeX's and mermaid's styles on the pages that have them, nowhere else.
      return { body: made.html, csp: pagePolicy(made.needs), keys: [pageKey(page.slug)], modifiedBy: [page], files: [page] };
    });
  });
  return router;
}
