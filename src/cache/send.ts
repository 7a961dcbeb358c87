/**
 * The one module that owns HTTP caching for pages: ETag, Last-Modified,
 * Cache-Control, Vary, content negotiation of the encoding, 304 and HEAD.
 *
 * A page is `prepare`d once per content change: each encoding gets its final
 * header list, so sending it costs one `writeHead` with a ready array (no
 * per-header validation) and one `end`. It works on a plain `node:http`
 * response, so the front cache and the Express routes send the same bytes.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
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
  return `"${rep.hash}${SUFFIX[encoding]}"`;
}

interface PreparedVariant {
  readonly body: Buffer;
  /** Every header of a 200, as `writeHead` takes them: name, value, name, value... */
  readonly headers: readonly string[];
  /** The headers of a 304 (RFC 9110 §15.4.5: the validators and caching headers, no body headers). */
  readonly notModified: readonly string[];
  /** The same two lists with a last name/value slot for one header of the response (the request id). */
  readonly headersAndOne: string[];
  readonly notModifiedAndOne: string[];
}

export interface PreparedResponse {
  readonly rep: Representation;
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
  const vary = rep.gzip !== undefined || rep.br !== undefined;
  const variant = (encoding: Encoding, body: Buffer): PreparedVariant => {
    const cachingHeaders = ['Cache-Control', options.cacheControl, 'ETag', etagFor(rep, encoding)];
    if (rep.lastModified) cachingHeaders.push('Last-Modified', rep.lastModified);
    if (vary) cachingHeaders.push('Vary', 'Accept-Encoding');
    const bodyHeaders = ['Content-Type', rep.type, 'Content-Length', String(body.length)];
    if (encoding !== 'identity') bodyHeaders.push('Content-Encoding', encoding);
    const headers = [...common, ...bodyHeaders, ...cachingHeaders];
    const notModified = [...common, ...cachingHeaders];
    return { body, headers, notModified, headersAndOne: [...headers, '', ''], notModifiedAndOne: [...notModified, '', ''] };
  };
  return {
    rep,
    identity: variant('identity', rep.identity),
    gzip: rep.gzip && variant('gzip', rep.gzip),
    br: rep.br && variant('br', rep.br),
  };
}

/**
 * Sends a prepared page: the negotiated encoding, or a 304 when the client's
 * copy is current. One header of this response (`extraName`: the request id)
 * goes in the last slot of the ready list: a `setHeader` before `writeHead`
 * would make Node validate and merge every header one by one, and a copy of
 * the list per request is garbage. Filling the shared slot is safe because
 * `writeHead` reads the list at once and keeps no reference to it.
 */
export function sendPrepared(req: IncomingMessage, res: ServerResponse, page: PreparedResponse, extraName?: string, extraValue?: string): void {
  const headers = req.headers;
  let variant = page.identity;
  if (page.gzip || page.br) {
    const wanted = negotiateEncoding(headers['accept-encoding']);
    if (wanted === 'br' && page.br) variant = page.br;
    else if (wanted === 'gzip' && page.gzip) variant = page.gzip;
  }
  if ((headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) && isFresh(req, page.rep)) {
    res.writeHead(304, extraName === undefined ? (variant.notModified as string[]) : withOne(variant.notModifiedAndOne, extraName, extraValue ?? ''));
    res.end();
    return;
  }
  res.writeHead(200, extraName === undefined ? (variant.headers as string[]) : withOne(variant.headersAndOne, extraName, extraValue ?? ''));
  if (req.method === 'HEAD') res.end();
  else res.end(variant.body);
}

function withOne(list: string[], name: string, value: string): string[] {
  list[list.length - 2] = name;
  list[list.length - 1] = value;
  return list;
}

/**
 * RFC 9110 §13.1.2: If-None-Match uses the weak comparison, and any encoding
 * of the same bytes is the same page to the client. If-Modified-Since is
 * only considered when there is no If-None-Match (§13.2.2).
 */
function isFresh(req: IncomingMessage, rep: Representation): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    for (const raw of ifNoneMatch.split(',')) {
      const tag = raw.trim().replace(/^W\//, '').replace(/-(br|gz)"$/, '"');
      if (tag === `"${rep.hash}"`) return true;
    }
    return false;
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince && rep.lastModified) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Date.parse(rep.lastModified) <= since;
  }
  return false;
}
