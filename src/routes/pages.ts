/** The index and its further pages: `/` and `/page/:n`. */
import { Router, type Request, type Response, type NextFunction } from 'express';
import { makeRepresentation } from '../cache/representation.js';
import { INDEX_KEY, postKey, setSurrogateKeys } from '../cdn/surrogate-keys.js';
import { HTML, type RouteContext } from './context.js';

export function pageRoutes(ctx: RouteContext): Router {
  const router = Router();
  const urlFor = (page: number): string => (page <= 1 ? '/' : `/page/${page}`);

  async function listing(page: number, req: Request, res: Response, next: NextFunction): Promise<void> {
    const view = await ctx.store.view();
    const key = req.path;
    const cached = ctx.cache.get(key);
    if (cached) return ctx.cache.send(req, res, cached);
    const perPage = ctx.config.site.posts_per_page;
    const totalPages = Math.max(1, Math.ceil(view.posts.length / perPage));
    if (page > totalPages) return next();
    const posts = view.posts.slice((page - 1) * perPage, page * perPage);
    const html = ctx.renderer.index(posts, { page, totalPages, urlFor });
    const lastModified = Math.max(0, ...posts.map((p) => p.signature.mtimeMs));
    setSurrogateKeys(res, [INDEX_KEY, ...posts.map((p) => postKey(p.slug))]);
    ctx.cache.store(key, req, res, {
      rep: makeRepresentation(html, HTML, lastModified || undefined),
      cacheControl: ctx.config.cacheControl,
      deps: { viewKey: view.key },
    });
  }

  router.get('/', (req, res, next) => listing(1, req, res, next));

  router.get('/page/:n', (req, res, next) => {
    const n = req.params.n;
    if (!/^[1-9]\d{0,5}$/.test(n)) return next();
    // Page 1 lives at `/`: one URL per page.
    if (n === '1') return res.redirect(301, '/');
    return listing(Number(n), req, res, next);
  });

  return router;
}
