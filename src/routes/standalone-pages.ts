/**
 * Standalone pages (`content/pages/`) at `/<slug>`, and the archive. Mounted
 * after every other route: a page whose address is a route is not served
 * (the page store sets it aside and reports it), and `/archive` is a route.
 */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { INDEX_KEY, pageKey } from '../cdn/surrogate-keys.js';
import { isSlug } from '../content/slug.js';
import { ROUTES } from '../content/urls.js';
import { pagePolicy } from '../http/security-headers.js';
import type { Rendered } from '../render/markdown.js';
import { UnrenderablePost } from '../render/post-bodies.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

/** `/archive`: every published post by year and month; a listing of posts, so it carries their key. */
export function archiveRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.archive, (req, res, next) =>
    cachedPage(ctx, req, res, next, (view) => ({ body: ctx.renderer.archive(view.posts), keys: [INDEX_KEY], modifiedBy: view.posts })),
  );
  return router;
}

export function standalonePageRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.page, async (req, res, next) => {
    const slug = req.params.slug!;
    if (!isSlug(slug)) return next();
    // Checked against its file first (one `stat`): an edit or a deletion shows at once, as for posts.
    const page = await ctx.pages.getPage(slug);
    if (!page) return next();
    return cachedPage(ctx, req, res, next, async () => {
      // Rendered off the main thread, as posts are; a page that cannot be rendered answers 404.
      let body: Rendered;
      try {
        [body] = await Promise.all([ctx.bodies.page(page, ctx.config.site.raw_html, { bundleFiles: false }), ctx.bodies.summary(page)]);
      } catch (err) {
        if (err instanceof UnrenderablePost) return undefined;
        throw err;
      }
      const problem = ctx.config.env === 'production' ? undefined : ctx.pages.currentError(page.file);
      const made = ctx.renderer.standalonePage(page, body, problem);
      // KaTeX's and mermaid's styles on the pages that have them, nowhere else.
      return { body: made.html, csp: pagePolicy(made.needs), keys: [pageKey(page.slug)], modifiedBy: [page], files: [page] };
    });
  });
  return router;
}
