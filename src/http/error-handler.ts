/**
 * Errors are handled once, at the edge: a 404 for what no route answered,
 * then one error handler that answers in the client's format (HTML, JSON or
 * text) and never shows a stack trace in production. If the error page's
 * own template fails, it falls back to plain escaped HTML.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError, NotFoundError } from '../errors.js';
import { escapeHtml } from '../html/escape.js';
import type { Renderer } from '../render/renderer.js';

/**
 * The one "no such page" error, made once: its stack is never shown or
 * logged, and capturing one through Express's stack was most of the cost of
 * a 404 (a reader asking for a deleted post, a crawler's probe).
 */
export const NOT_FOUND: Readonly<NotFoundError> = Object.freeze(new NotFoundError());

export function notFound(): RequestHandler {
  return (_req, _res, next) => next(NOT_FOUND);
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Page not found',
  405: 'Method not allowed',
  414: 'Address too long',
  500: 'Something went wrong',
};

export function errorHandler(options: { renderer: Renderer; production: boolean; logger: Pick<Logger, 'error'> }): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    // The access log line of this request (src/http/request-log.ts) reports the cause of a 5xx.
    if (status >= 500) res.err = err instanceof Error ? err : new Error(String(err));
    const title = TITLES[status] ?? (status >= 500 ? TITLES[500]! : TITLES[400]!);
    const exposed = status < 500 && err instanceof Error && err instanceof HttpError;
    const message = exposed
      ? err.message
      : status === 404
        ? 'There is no page at this address.'
        : status >= 500
          ? 'The server could not answer this request. Please try again.'
          : 'This request cannot be answered.';
    const detail = options.production
      ? undefined
      : err instanceof HttpError && err.detail
        ? err.detail
        : status >= 500 && err instanceof Error
          ? err.stack
          : undefined;

    res.status(status);
    res.setHeader('Cache-Control', 'no-store');
    res.format({
      html: () => {
        let page: string;
        try {
          page = options.renderer.error(status, title, message, detail);
        } catch (renderErr) {
          options.logger.error({ err: renderErr, reqId: req.id }, 'error page failed to render');
          page = `<!doctype html><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`;
        }
        res.type('html').send(page);
      },
      json: () => res.json({ error: { status, message } }),
      default: () => res.type('text').send(`${status} ${title}: ${message}\n`),
    });
  };
}

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err && typeof err === 'object') {
    const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return 500;
}
