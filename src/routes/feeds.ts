/** The feeds: `/feed.xml` (RSS 2.0), `/atom.xml` (Atom 1.0), `/feed.json` (JSON Feed 1.1). */
import { Router } from 'express';
import { FEED_KEY } from '../cdn/surrogate-keys.js';
import { FEED_PATHS, FEED_TYPES, feedsOf, type FeedFormat } from '../render/feeds.js';
import type { RouteContext } from './context.js';
import { sendDocument } from './documents.js';

export function feedRoutes(ctx: RouteContext): Router {
  const router = Router();
  for (const format of Object.keys(FEED_PATHS) as FeedFormat[]) {
    router.get(FEED_PATHS[format], (req, res) =>
      sendDocument(ctx, req, res, FEED_TYPES[format], (view) => {
        const feeds = feedsOf(view, ctx.config);
        return { body: feeds[format], lastModifiedMs: feeds.lastModifiedMs };
      }, [FEED_KEY]),
    );
  }
  return router;
}
