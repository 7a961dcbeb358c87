/** For search engines: `/sitemap.xml` and `/robots.txt`, which names it. */
import { Router } from 'express';
import { FEED_KEY } from '../cdn/surrogate-keys.js';
import { robotsTxt, ROBOTS_TYPE, sitemapOf, SITEMAP_TYPE } from '../render/sitemap.js';
import type { RouteContext } from './context.js';
import { sendDocument } from './documents.js';

export function crawlerRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.get('/sitemap.xml', (req, res) =>
    sendDocument(ctx, req, res, SITEMAP_TYPE, (view) => ({
      body: sitemapOf(view, ctx.config),
      lastModifiedMs: view.posts.length ? Math.max(...view.posts.map((p) => p.signature.mtimeMs)) : undefined,
    }), [FEED_KEY]),
  );
  router.get('/robots.txt', (req, res) => sendDocument(ctx, req, res, ROBOTS_TYPE, () => ({ body: robotsTxt(ctx.config) })));
  return router;
}
