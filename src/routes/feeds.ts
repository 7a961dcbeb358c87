/** The feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 (addresses in src/content/urls.ts). */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { FEED_KEY } from '../cdn/surrogate-keys.js';
import { FEED_URLS } from '../content/urls.js';
import { FEED_TYPES, feedsOf, type FeedFormat } from '../render/feeds.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export function feedRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  for (const format of Object.keys(FEED_URLS) as FeedFormat[]) {
    router.get(FEED_URLS[format], (req, res, next) =>
      cachedPage(ctx, req, res, next, async (view) => {
        const feeds = await feedsOf(view, ctx.config, ctx.bodies, ctx.renderer.images.catalog);
        return { body: feeds[format], type: FEED_TYPES[format], keys: [FEED_KEY], modifiedBy: feeds.posts, pending: feeds.pending };
      }),
    );
  }
  return router;
}
