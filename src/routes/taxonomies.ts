/**
 * Tags and authors: `/tags` (every tag with its count), `/tags/:tag` and
 * `/authors/:author`, paginated like the index (`.../page/:n`; page 1 redirects
 * to the listing, past the end is a 404).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { SiteView } from '../content/store.js';
import { isSlug } from '../content/slug.js';
import { taxonomiesOf, type Taxonomies } from '../content/taxonomy.js';
import { makeRepresentation } from '../cache/representation.js';
import { authorKey, postKey, setSurrogateKeys, tagKey, TAGS_KEY } from '../cdn/surrogate-keys.js';
import { listingPageUrl, pageCount } from '../render/links.js';
import { HTML, type RouteContext } from './context.js';

const PAGE = /^[1-9]\d{0,5}$/;

export function taxonomyRoutes(ctx: RouteContext): Router {
  const router = Router();

  /** Sends the cached page for this path, or renders it from the view and keeps it until the view changes. */
  async function respond(req: Request, res: Response, next: NextFunction, render: (view: SiteView, taxonomies: Taxonomies) => { html: string; lastModifiedMs: number; keys: string[] } | undefined): Promise<void> {
    const view = await ctx.store.view();
    const cached = ctx.cache.get(req.path);
    if (cached) return ctx.cache.send(req, res, cached);
    const page = render(view, taxonomiesOf(view));
    if (!page) return next();
    setSurrogateKeys(res, page.keys);
    ctx.cache.store(req.path, req, res, {
      rep: makeRepresentation(page.html, HTML, page.lastModifiedMs || undefined),
      cacheControl: ctx.config.cacheControl,
      deps: { viewKey: view.key },
    });
  }

  router.get('/tags', (req, res, next) =>
    respond(req, res, next, (view, { tags }) => ({
      html: ctx.renderer.tagIndex([...tags.values()]),
      lastModifiedMs: Math.max(0, ...view.posts.filter((p) => p.tags.length).map((p) => p.signature.mtimeMs)),
      keys: [TAGS_KEY],
    })),
  );

  for (const kind of ['tag', 'author'] as const) {
    const base = kind === 'tag' ? '/tags' : '/authors';
    const termsOf = (t: Taxonomies) => (kind === 'tag' ? t.tags : t.authors);

    const listing = (slug: string, page: number, req: Request, res: Response, next: NextFunction): Promise<void> =>
      respond(req, res, next, (_view, taxonomies) => {
        const term = termsOf(taxonomies).get(slug);
        if (!term) return undefined;
        const perPage = ctx.config.site.posts_per_page;
        const totalPages = pageCount(term.posts.length, perPage);
        if (page > totalPages) return undefined;
        const posts = term.posts.slice((page - 1) * perPage, page * perPage);
        const urlFor = (n: number): string => listingPageUrl(`${base}/${term.slug}`, n);
        return {
          html: ctx.renderer.termListing(kind, term, posts, { page, totalPages, urlFor }),
          lastModifiedMs: Math.max(0, ...posts.map((p) => p.signature.mtimeMs)),
          keys: [kind === 'tag' ? tagKey(term.slug) : authorKey(term.slug), ...posts.map((p) => postKey(p.slug))],
        };
      });

    router.get(`${base}/:slug`, (req, res, next) => {
      const { slug } = req.params;
      if (!isSlug(slug)) return next();
      return listing(slug, 1, req, res, next);
    });

    router.get(`${base}/:slug/page/:n`, (req, res, next) => {
      const { slug, n } = req.params;
      if (!isSlug(slug) || !PAGE.test(n)) return next();
      // Page 1 lives at the listing's own address: one URL per page.
      if (n === '1') return res.redirect(301, `${base}/${slug}`);
      return listing(slug, Number(n), req, res, next);
    });
  }

  return router;
}
