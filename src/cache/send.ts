/**
 * The one module that owns HTTP caching for pages: ETag, Last-Modified,
 * Cache-Control, Vary, content negotiation of the encoding, 304 and HEAD.
 *
 * A page is `prepare`d once per content change: each encoding gets its final
 * head, validated then (src/cache/prepared-head.ts), so sending it costs one
 * `writeHead` that checks nothing again and one `end`. It works on a plain
 * `node:http` response, so the front cache and the Express routes send the
 * same bytes.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
import { prepareHead, writePreparedHead, type CheckedHeaderValue, type PreparedHead } from './prepared-head.js';
import type { Representation } from './representation.js';

export type Encoding = 'br' | 'gzip' | 'identity';

const SUFFIX: Record<Encoding, string> = { br: '-br', gzip: '-gz', identity: '' };
const ENCODINGS = ['br', 'gzip', 'identity'];
const negotiated = new Map<string, Encoding | undefined>();

/** The best encoding the client accepts (q-values honoured), memoised per header value. */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const header = acceptEncoding ?? '';
  const known = negotiated.get(header);
  if (known !== undefined || negotiated.has(header)) return known;
  // negotiator 1.x takes a `preferred` order for ties (its typings predate it): br, then gzip.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as {
    encoding(available: string[], options: { preferred: string[] }): string | undefined;
  };
  const choice = negotiator.encoding(ENCODINGS, { preferred: ENCODINGS }) as Encoding | undefined;
  // Bounded: a client sending random headers cannot grow it.
  if (negotiated.size >= 256) negotiated.clear();
  negotiated.set(header, choice);
  return choice;
}

export function etagFor(rep: Representation, encoding: Encoding): string {
  // The first reader's quick brotli bytes are not those of quality 6: a tag of their own.
  return `"${rep.hash}${encoding === 'br' && !rep.complete ? QUICK_BR_SUFFIX : SUFFIX[encoding]}"`;
}

const QUICK_BR_SUFFIX = '-br1';

interface PreparedVariant {
  readonly body: Buffer;
  /** Every header of a 200. */
  readonly head: PreparedHead;
  /** The headers of a 304 (RFC 9110 §15.4.5: the validators and caching headers, no body headers). */
  readonly notModified: PreparedHead;
}

export interface PreparedResponse {
  readonly rep: Representation;
  /**
   * Bytes held, for the cache's budget: the bodies, and each prepared head's
   * text twice (as a list and as one block), about a kilobyte each and six a
   * page, as much again as a small page's bodies.
   */
  readonly size: number;
  /** If-None-Match values that match this page exactly as clients send them back (its ETags, weak or not): no parsing needed. */
  readonly currentTags: ReadonlySet<string>;
  readonly identity: PreparedVariant;
  readonly gzip: PreparedVariant | undefined;
  readonly br: PreparedVariant | undefined;
}

export interface PrepareOptions {
  cacheControl: string;
  /** Headers the app set for this page (security headers and the like). */
  headers?: OutgoingHttpHeaders;
}

export function prepare(rep: Representation, options: PrepareOptions): PreparedResponse {
  const common: string[] = [];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) common.push(name, String(v));
  }
  // A compressible page varies on Accept-Encoding from its first answer, even one sent before
  // its encodings were all made (or when neither turned out smaller).
  const vary = rep.compressible;
  const variant = (encoding: Encoding, body: Buffer): PreparedVariant => {
    const cachingHeaders = ['Cache-Control', options.cacheControl, 'ETag', etagFor(rep, encoding)];
    if (rep.lastModified) cachingHeaders.push('Last-Modified', rep.lastModified);
    if (vary) cachingHeaders.push('Vary', 'Accept-Encoding');
    const bodyHeaders = ['Content-Type', rep.type, 'Content-Length', String(body.length)];
    if (encoding !== 'identity') bodyHeaders.push('Content-Encoding', encoding);
    return { body, head: prepareHead([...common, ...bodyHeaders, ...cachingHeaders]), notModified: prepareHead([...common, ...cachingHeaders]) };
  };
  const tags = (['identity', 'gzip', 'br'] as const).map((encoding) => etagFor(rep, encoding));
  const identity = variant('identity', rep.identity);
  const gzip = rep.gzip && variant('gzip', rep.gzip);
  const br = rep.br && variant('br', rep.br);
  let size = rep.size;
  for (const v of [identity, gzip, br]) if (v) size += 2 * (headText(v.head) + headText(v.notModified));
  return { rep, size, currentTags: new Set([...tags, ...tags.map((tag) => `W/${tag}`)]), identity, gzip, br };
}

/** The characters of a head's names and values. */
function headText(head: PreparedHead): number {
  let chars = 0;
  for (const part of head.list) chars += part.length;
  return chars;
}

/**
 * Sends a prepared page: the negotiated encoding, or a 304 when the client's
 * copy is current. One header of this response (`extraName`: the request id)
 * is added to the prepared head: a `setHeader` before `writeHead` would make
 * Node validate and merge every header one by one.
 */
export function sendPrepared(req: IncomingMessage, res: ServerResponse, page: PreparedResponse, extraName?: string, extraValue?: CheckedHeaderValue): void {
  const headers = req.headers;
  let variant = page.identity;
  if (page.gzip || page.br) {
    const wanted = negotiateEncoding(headers['accept-encoding']);
    if (wanted === 'br' && page.br) variant = page.br;
    else if (wanted === 'gzip' && page.gzip) variant = page.gzip;
  }
  if ((headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) && isFresh(req, page)) {
    writePreparedHead(res, 304, variant.notModified, extraName, extraValue);
    res.end();
    return;
  }
  writePreparedHead(res, 200, variant.head, extraName, extraValue);
  if (req.method === 'HEAD') res.end();
  else res.end(variant.body);
}

/**
 * RFC 9110 §13.1.2: If-None-Match uses the weak comparison, and any encoding
 * of the same bytes is the same page to the client. If-Modified-Since is
 * only considered when there is no If-None-Match (§13.2.2).
 */
function isFresh(req: IncomingMessage, page: PreparedResponse): boolean {
  const rep = page.rep;
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    // What a client sends back is usually one of the page's own ETags, as it was sent.
    if (page.currentTags.has(ifNoneMatch)) return true;
    if (ifNoneMatch.trim() === '*') return true;
    for (const raw of ifNoneMatch.split(',')) {
      const tag = raw
        .trim()
        .replace(/^W\//, '')
        .replace(/-(br1?|gz)"$/, '"');
      if (tag === `"${rep.hash}"`) return true;
    }
    return false;
  }
  const since = validModifiedSince(req.headers['if-modified-since']);
  return since !== undefined && rep.lastModified !== undefined && Date.parse(rep.lastModified) <= since;
}

/**
 * The instant of an If-Modified-Since value, or `undefined` when it must be
 * ignored: not a date, or later than now (RFC 9110 §13.1.3: such a date is
 * invalid; a client with a clock ahead would otherwise keep a stale copy).
 */
export function validModifiedSince(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const since = Date.parse(value);
  return Number.isNaN(since) || since > now ? undefined : since;
}

/**
 * Drops an If-Modified-Since that must be ignored from the request, for the
 * answers made by `send` (express.static, `res.sendFile`: the theme's and
 * packages' assets, bundle and large static files), whose check takes any date.
 */
export function dropInvalidModifiedSince(req: IncomingMessage, now = Date.now()): void {
  const value = req.headers['if-modified-since'];
  if (value !== undefined && validModifiedSince(value, now) === undefined) delete req.headers['if-modified-since'];
}
