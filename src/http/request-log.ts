/**
 * Access logs and request ids. Every request gets an id: a sane incoming
 * `X-Request-Id` (from a proxy in front) is kept, else one is made. The id
 * goes on the response as `X-Request-Id` and on the request's log line. One
 * line per response, at `error` for a 5xx with its cause (`res.err`, set by
 * the error handler), at `info` otherwise.
 *
 * This runs for every request, so it is written for the front cache's hot
 * path: no child logger per request (pino-http makes one, which cost about
 * 20 us a request here), and a hit is logged right after it was answered,
 * synchronously, with no `finish` listener. The line has pino-http's shape
 * (`reqId`, `req`, `res`, `responseTime`), so log tooling reads it the same.
 *
 * With the production logger's own output at hand (`lines`, from
 * src/logger.ts), an `info` line is written ready-made: a template filled in,
 * byte for byte what pino would write for the same fields, without pino's
 * per-call serialisation. Per request that was most of the access log's cost
 * (README, "Performance"). Error lines, rare, still go through pino.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CheckedHeaderValue } from '../cache/prepared-head.js';
import type { LineWriter } from '../line-sink.js';

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

/**
 * What an incoming id may look like: short, printable, safe to echo in a
 * header and a log. Only characters a header value may carry: an id that
 * passes is a `CheckedHeaderValue` without Node checking it again.
 */
const SANE_ID = /^[\w.:@-]{1,64}$/;

/**
 * The request ids of one app. Made ids are UUID-shaped: 80 random bits drawn
 * once, then a counter. Unique within a process by the counter and across
 * processes (workers, restarts, replicas) by the random part, for a string
 * concatenation per request instead of a `randomUUID()`. Every id is a
 * checked header value: an incoming one by `SANE_ID`, a made one by being
 * hex digits and dashes.
 */
export function requestIds(): (req: IncomingMessage) => CheckedHeaderValue {
  const prefix = randomBytes(10)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  let counter = 0;
  // The id's first 33 characters change once every 4,096 ids: kept, and the last three taken
  // from a table (a radix conversion and a pad per request showed in a hit's profile;
  // bench/hit-own-work.mjs measures a hit's own work).
  let upperOf = -1;
  let upper = '';
  return (req) => {
    const incoming = req.headers['x-request-id'];
    if (typeof incoming === 'string' && SANE_ID.test(incoming)) return incoming as CheckedHeaderValue;
    counter = (counter + 1) % 0x1000000000000;
    const high = Math.floor(counter / 0x1000);
    if (high !== upperOf) {
      upperOf = high;
      upper = prefix + high.toString(16).padStart(9, '0');
    }
    return (upper + LAST_THREE[counter % 0x1000]!) as CheckedHeaderValue;
  };
}

/** `000` to `fff`: the last three hex digits of a made id. */
const LAST_THREE = Array.from({ length: 0x1000 }, (_, i) => i.toString(16).padStart(3, '0'));

export interface AccessLog {
  /**
   * Logs a response that has already been sent (a front-cache hit). `id`:
   * the request id, when it was not put on `req` (a hit leaves the request
   * object as Node made it: a property added to it on every hit showed in
   * the hit's profile).
   */
  sent(req: IncomingMessage, res: ServerResponse, startedAt: number, id?: string): void;
  /** Logs a response when it finishes (the Express path). */
  track(req: IncomingMessage, res: ServerResponse, startedAt: number): void;
}

export function accessLog(logger: Logger, lines?: LineWriter): AccessLog {
  const infoEnabled = logger.isLevelEnabled('info');
  const enabled = infoEnabled || logger.isLevelEnabled('error');
  const info = lines ? readyMadeInfo(logger, lines) : pinoInfo(logger);
  const write = (req: IncomingMessage, res: ServerResponse, startedAt: number, id = req.id): void => {
    const status = res.statusCode;
    if (status < 500 && !res.err) {
      // Checked first: below `info`, a good answer costs nothing here.
      if (infoEnabled) info(req, status, startedAt, id);
      return;
    }
    const err = res.err ?? new Error(`${status}`);
    logger.error(
      {
        reqId: id,
        req: { method: req.method, url: req.url, remoteAddress: req.socket?.remoteAddress },
        res: { statusCode: status },
        responseTime: Date.now() - startedAt,
        err,
      },
      `${req.method} ${req.url} ${status}: ${err.message}`,
    );
  };
  return {
    sent: enabled ? write : () => undefined,
    track: enabled ? (req, res, startedAt) => res.once('finish', () => write(req, res, startedAt)) : () => undefined,
  };
}

type InfoLine = (req: IncomingMessage, status: number, startedAt: number, id: string | undefined) => void;

function pinoInfo(logger: Logger): InfoLine {
  return (req, status, startedAt, id) =>
    logger.info(
      {
        reqId: id,
        req: { method: req.method, url: req.url, remoteAddress: req.socket?.remoteAddress },
        res: { statusCode: status },
        responseTime: Date.now() - startedAt,
      },
      `${req.method} ${req.url} ${status}`,
    );
}

/**
 * The line pino writes for `logger.info(fields, msg)` with its default
 * formatting: level, time, the logger's bindings, the fields, then the
 * message. Only the URL can need escaping: the method is a token, the id is
 * sane or made here, the address is an IP.
 */
function readyMadeInfo(logger: Logger, lines: LineWriter): InfoLine {
  const bindings = bindingsText(logger);
  const head = `{"level":${logger.levels.values.info},"time":`;
  return (req, status, startedAt, id) => {
    const now = Date.now();
    const method = req.method ?? '';
    const url = req.url ?? '';
    const address = req.socket?.remoteAddress;
    const quotedUrl = jsonString(url);
    lines.write(
      `${head}${now}${bindings},"reqId":${jsonString(id ?? '')},"req":{"method":${jsonString(method)},"url":${quotedUrl}` +
        `${address === undefined ? '' : `,"remoteAddress":"${address}"`}},"res":{"statusCode":${status}},"responseTime":${now - startedAt},` +
        `"msg":${jsonString(`${method} ${url} ${status}`)}}\n`,
    );
  };
}

/**
 * What pino writes between the time and the fields for `logger`, from its
 * public API: pino's default base, `{ pid, hostname }` (pino's API docs,
 * option `base`; the logger of src/logger.ts keeps it), then
 * `logger.bindings()` (a name, a child's bindings), in their order.
 */
function bindingsText(logger: Logger): string {
  let text = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  for (const [key, value] of Object.entries(logger.bindings())) text += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return text;
}

/** Characters JSON.stringify would escape or change (RFC 8259 §7, and lone surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}
