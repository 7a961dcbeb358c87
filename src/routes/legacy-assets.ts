/**
 * Lede's own files at the prefix they had before `/_lede/` (`/assets/style.css`):
 * mounted after the writer's files, so `content/static/assets/…` (Jekyll's
 * and many others' site-wide folder) wins, and a page cached or linked with
 * an old address still gets its stylesheet when the writer has no file there.
 */
import type { Handler, Router } from 'express';
import { ROUTES } from '../content/urls.js';
import { strictRouter } from './router.js';

/** `ledeFiles` answers `/_lede/…`; this asks it for `/assets/…` as `/_lede/…`. */
export function legacyAssetRoutes(ledeFiles: Handler): Router {
  const router = strictRouter();
  router.use(ROUTES.legacyAssets, (req, res, next) => {
    // Inside this mount `req.url` is the rest after `/assets`; given back unchanged when nothing answers.
    const rest = req.url;
    if (!rest.startsWith('/') || rest === '/') return next();
    req.url = `${ROUTES.assets}${rest}`;
    ledeFiles(req, res, (err?: unknown) => {
      req.url = rest;
      next(err);
    });
  });
  return router;
}
