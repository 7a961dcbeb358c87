/**
 * The theme's `assets/` at `/_lede/…` (and at the old `/assets/…`, src/routes/legacy-assets.ts), before the built-in `public/`
 * (docs/themes.md). Each file is judged by its real target and read from a
 * handle opened without blocking (src/render/theme.ts): a symlink out of the
 * folder, a FIFO or a device is a 404 and a warning naming the file, never
 * a file from elsewhere on the machine and never a request that hangs. A
 * name the theme does not have falls through to the built-in assets.
 */
import type { Request, Response, NextFunction, Router } from 'express';
import { pipeline } from 'node:stream/promises';
import mime from 'mime-types';
import type { Logger } from 'pino';
import { ROUTES } from '../content/urls.js';
import { NOT_FOUND } from '../http/error-handler.js';
import { openThemeFile, ThemeFileError, type ThemeFile } from '../render/theme.js';
import { strictRouter } from './router.js';

export interface ThemeAssetOptions {
  /** The theme's `assets/` folder. */
  readonly dir: string;
  /** `Cache-Control: public, max-age=…` (0 in development, so a reload shows an edit). */
  readonly maxAgeS: number;
  readonly logger: Pick<Logger, 'warn'>;
}

export function themeAssetRoutes(options: ThemeAssetOptions): Router {
  const router = strictRouter();
  router.get(`${ROUTES.assets}/*file`, (req, res, next) => {
    const segments = req.params.file as unknown as string[];
    // Dot files are not the theme's to publish (`.git`, `.env`), as with the built-in assets.
    if (segments.some((segment) => segment.startsWith('.'))) return next();
    void serveThemeFile(options, segments.join('/'), req, res, next);
  });
  return router;
}

async function serveThemeFile(options: ThemeAssetOptions, rel: string, req: Request, res: Response, next: NextFunction): Promise<void> {
  let file: ThemeFile | undefined;
  try {
    file = await openThemeFile(options.dir, rel);
  } catch (err) {
    if (!(err instanceof ThemeFileError)) return next(err);
    options.logger.warn({ file: err.file, reason: err.reason }, `theme asset refused: ${err.message}`);
    return next(NOT_FOUND);
  }
  if (!file) return next();
  try {
    setHeaders(res, file, options.maxAgeS);
    // `fresh` compares the validators just set with the request's (a future date was dropped before: src/cache/send.ts).
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (req.method === 'HEAD') {
      res.setHeader('Content-Length', String(file.stats.size));
      res.status(200).end();
      return;
    }
    // Streamed from the judged handle, its `fstat` size at most: a theme file may be 16 MiB, and
    // reading it whole for each of many concurrent requests would hold that much memory for each.
    res.status(200).setHeader('Content-Length', String(file.stats.size));
    if (file.stats.size === 0) {
      res.end();
      return;
    }
    // A reader gone mid-file ends the stream; nothing is left to answer.
    await pipeline(file.stream(), res).catch(() => undefined);
  } catch (err) {
    next(err);
  } finally {
    await file.close().catch(() => undefined);
  }
}

function setHeaders(res: Response, file: ThemeFile, maxAgeS: number): void {
  const { stats } = file;
  const type = mime.lookup(file.target) || 'application/octet-stream';
  res.setHeader('Content-Type', /^text\/|javascript|json|\+xml$/.test(type) ? `${type}; charset=utf-8` : type);
  res.setHeader('Cache-Control', `public, max-age=${maxAgeS}`);
  res.setHeader('Last-Modified', stats.mtime.toUTCString());
  res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`);
}
