/**
 * Access logs and request ids. Every request gets an id: a sane incoming
 * `X-Request-Id` (from a proxy in front) is kept, else a random UUID is made.
 * The id goes on the response as `X-Request-Id` and on the request's log
 * line. One line per response, at `error` for a 5xx with its cause
 * (`res.err`, set by the error handler), at `info` otherwise.
 *
 * This runs for every request, so it is written for the front cache's hot
 * path: no child logger per request (pino-http makes one, which cost about
 * 20 us a request here), and a hit is logged right after it was answered,
 * synchronously, with no `finish` listener. The line has pino-http's shape
 * (`reqId`, `req`, `res`, `responseTime`), so log tooling reads it the same.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id, also sent as `X-Request-Id`. */
    id?: string;
  }
  interface ServerResponse {
    /** The cause of a 5xx, for the access log. */
    err?: Error;
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What an incoming id may look like: short, printable, safe to echo in a header and a log. */
const SANE_ID = /^[\w.:@-]{1,64}$/;

export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}

export interface AccessLog {
  /** Logs a response that has already been sent (a front-cache hit). */
  sent(req: IncomingMessage, res: ServerResponse, startedAt: number): void;
  /** Logs a response when it finishes (the Express path). */
  track(req: IncomingMessage, res: ServerResponse, startedAt: number): void;
}

export function accessLog(logger: Logger): AccessLog {
  const infoEnabled = logger.isLevelEnabled('info');
  const enabled = infoEnabled || logger.isLevelEnabled('error');
  const write = (req: IncomingMessage, res: ServerResponse, startedAt: number): void => {
    const status = res.statusCode;
    // Checked first: below `info`, a good answer costs nothing here.
    if (!infoEnabled && status < 500 && !res.err) return;
    const line = {
      reqId: req.id,
      req: { method: req.method, url: req.url, remoteAddress: req.socket?.remoteAddress },
      res: { statusCode: status },
      responseTime: Date.now() - startedAt,
    };
    if (status >= 500 || res.err) {
      const err = res.err ?? new Error(`${status}`);
      logger.error({ ...line, err }, `${req.method} ${req.url} ${status}: ${err.message}`);
    } else {
      logger.info(line, `${req.method} ${req.url} ${status}`);
    }
  };
  return {
    sent: enabled ? write : () => undefined,
    track: enabled ? (req, res, startedAt) => res.once('finish', () => write(req, res, startedAt)) : () => undefined,
  };
}
