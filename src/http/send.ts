/**
 * The one module that owns HTTP caching for pages: ETag, Last-Modified,
 * Cache-Control, Vary, content negotiation of the encoding, 304 and HEAD.
 * Works on a plain `node:http` response, so the front cache and the Express
 * routes send exactly the same thing.
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
  if (negotiated.has(header)) return negotiated.get(header);
  // negotiator 1.x takes a `preferred` order for ties (its typings predate it): br, then gzip.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as {
    encoding(available: string[], options: { preferred: string[] }): string | undefined;
  };
  const choice = negotiator.encoding(ENCODINGS, { preferred: ENCODINGS }) as Encoding | undefined;
  if (negotiated.size > 200) negotiated.clear();
  negotiated.set(header, choice);
  return choice;
}

export function etagFor(rep: Representation, encoding: Encoding): string {
  return `"${rep.hash}${SUFFIX[encoding]}"`;
}

export interface SendOptions {
  status?: number;
  cacheControl: string;
  /** Headers the app set for this page (security headers and the like). */
  headers?: OutgoingHttpHeaders;
}

export function sendRepresentation(req: IncomingMessage, res: ServerResponse, rep: Representation, options: SendOptions): void {
  const status = options.status ?? 200;
  const compressed = rep.gzip !== undefined || rep.br !== undefined;
  let encoding: Encoding = 'identity';
  if (compressed) {
    const wanted = negotiateEncoding(req.headers['accept-encoding']);
    if (wanted === 'br' && rep.br) encoding = 'br';
    else if (wanted === 'gzip' && rep.gzip) encoding = 'gzip';
  }
  const body = encoding === 'br' ? rep.br! : encoding === 'gzip' ? rep.gzip! : rep.identity;
  const etag = etagFor(rep, encoding);

  if (options.headers) for (const name in options.headers) res.setHeader(name, options.headers[name]!);
  res.setHeader('Content-Type', rep.type);
  res.setHeader('Cache-Control', options.cacheControl);
  if (compressed) res.setHeader('Vary', 'Accept-Encoding');
  if (status === 200) {
    res.setHeader('ETag', etag);
    if (rep.lastModified) res.setHeader('Last-Modified', rep.lastModified);
    if (isFresh(req, rep)) {
      res.removeHeader('Content-Type');
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.statusCode = status;
  if (req.method === 'HEAD') res.end();
  else res.end(body);
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
      const tag = raw.trim().replace(/^W\//, '');
      if (tag.startsWith(`"${rep.hash}`) && /^"[\w-]+(-br|-gz)?"$/.test(tag) && tag.replace(/-(br|gz)"$/, '"') === `"${rep.hash}"`) return true;
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
