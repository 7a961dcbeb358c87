/**
 * Tags and authors: the tag index (every tag with its count), the listing of
 * one tag and of one author, paginated like the index (page 1 redirects to
 * the listing, past the end is a 404).
 */
import type { Router, NextFunction, Request, Response } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { authorKey, postKey, tagKey, TAGS_KEY } from '../cdn/surrogate-keys.js';
import { isSlug } from '../content/slug.js';
import { taxonomiesOf, type Taxonomies } from '../content/taxonomy.js';
import { listingPageUrl, PAGE_NUMBER, ROUTES, termUrl } from '../content/urls.js';
import { pageCount } from '../render/links.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';
import type { FileDependency } from '../cache/response-cache.js';

const PATTERNS = {
  tag: { listing: ROUTES.tag, page: ROUTES.tagPage },
  author: { listing: ROUTES.author, page: ROUTES.authorPage },
} as const;

export function taxonomyRoutes(ctx: RouteContext): Router {
  const router = strictRouter();

  router.get(ROUTES.tags, (req, res, next) =>
    cachedPage(ctx, req, res, next, (view) => ({
      body: ctx.renderer.tagIndex([...taxonomiesOf(view).tags.values()]),
      keys: [TAGS_KEY],
      modifiedBy: view.posts.filter((p) => p.tags.length),
    })),
  );

  for (const kind of ['tag', 'author'] as const) {
    const termsOf = (t: Taxonomies) => (kind === 'tag' ? t.tags : t.authors);

    const listing = (slug: string, page: number, req: Request, res: Response, next: NextFunction): Promise<void> =>
      cachedPage(ctx, req, res, next, async (view) => {
        const term = termsOf(taxonomiesOf(view)).get(slug);
        if (!term) return undefined;
        const perPage = ctx.config.site.posts_per_page;
        const totalPages = pageCount(term.posts.length, perPage);
        if (page > totalPages) return undefined;
        // Cards need each post's summary (made off the main thread); a post that cannot be rendered is left out,
        // and so, after a moment's wait, is one still rendering (`pending`: the page is made again when it lands).
        const { posts, pending } = await ctx.bodies.usable(term.posts.slice((page - 1) * perPage, page * perPage));
        const urlFor = (n: number): string => listingPageUrl(termUrl(kind, term.slug), n);
        const images: FileDependency[] = [];
        await ctx.renderer.images.prepareHeroes(posts);
        return {
          body: ctx.renderer.termListing(
            kind,
            term,
            posts,
            { page, totalPages, urlFor },
            { imageFiles: images, profile: kind === 'author' ? ctx.store.authorProfile(term.name) : undefined },
          ),
          imageFiles: images,
          keys: [kind === 'tag' ? tagKey(term.slug) : authorKey(term.slug), ...posts.map((p) => postKey(p.slug))],
          modifiedBy: posts,
          pending,
        };
      });

    router.get(PATTERNS[kind].listing, (req, res, next) => {
      const slug = req.params.slug!;
      if (!isSlug(slug)) return next();
      return listing(slug, 1, req, res, next);
    });

    router.get(PATTERNS[kind].page, (req, res, next) => {
      const slug = req.params.slug!;
      const n = req.params.n!;
      if (!isSlug(slug) || !PAGE_NUMBER.test(n)) return next();
      // Page 1 lives at the listing's own address: one URL per page.
      if (n === '1') return res.redirect(301, termUrl(kind, slug));
      return listing(slug, Number(n), req, res, next);
    });
  }

  return router;
}
