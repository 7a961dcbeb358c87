/** The health check: is the server up, how many posts, how many content errors, how long the event loop was held. */
import type { Router } from 'express';
import { ROUTES } from '../content/urls.js';
import { loopDelay } from '../http/loop-delay.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export function healthRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.health, async (_req, res) => {
    const [view, pages] = await Promise.all([ctx.store.view(), ctx.pages.view()]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', posts: view.posts.length, errors: view.errorCount + pages.errorCount, eventLoopDelay: loopDelay() });
  });
  return router;
}
