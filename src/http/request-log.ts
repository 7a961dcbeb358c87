/**
 * Access logs and request ids. Every request gets an id: a sane incoming
 * `X-Request-Id` (from a proxy in front) is kept, else a random UUID is made.
 * The id goes on the response as `X-Request-Id` and on every log line about
 * the request (pino-http binds it as `reqId` to `req.log`). One line per
 * response, at `error` for a 5xx with its cause (`res.err`, set by the error
 * handler), at `info` otherwise.
 *
 * This runs for every request, including those the front cache answers, so
 * it does only what a log line needs: no header parsing beyond the one id,
 * small serializers, and nothing at all but the id when logging is off.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What an incoming id may look like: short, printable, safe to echo in a header and a log. */
const SANE_ID = /^[\w.:@-]{1,64}$/;

export type RequestLogger = (req: IncomingMessage, res: ServerResponse) => void;

export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}

export function requestLogger(logger: Logger): RequestLogger {
  if (!logger.isLevelEnabled('fatal')) {
    // Logging is off (`LOG_LEVEL=silent`): ids still, and `req.log` for code that logs.
    return (req, res) => {
      const id = requestIdOf(req);
      req.id = id;
      req.log = logger;
      res.setHeader(REQUEST_ID_HEADER, id);
    };
  }
  const log = pinoHttp({
    logger,
    quietReqLogger: true,
    wrapSerializers: false,
    genReqId(req, res) {
      const id = requestIdOf(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, url: req.url, remoteAddress: req.socket?.remoteAddress }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
    customErrorMessage: (req, res, err) => `${req.method} ${req.url} ${res.statusCode}: ${err.message}`,
  });
  return (req, res) => log(req, res);
}
