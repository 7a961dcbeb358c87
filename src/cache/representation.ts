/**
 * A page's bytes in every form it is sent in: made once per content change
 * (strong ETag from a hash of the bytes, gzip and brotli), never per request.
 *
 * The first reader of a changed page waits only for the encoding it asked
 * for (`encodings`), and brotli at its fastest quality (a fourth
 * of the time of quality 6 on a cold CPU, a fifth larger); the cache makes
 * the others, and brotli at quality 6, right after it is answered
 * (`completeRepresentation`, src/cache/response-cache.ts). gzip is made with
 * the same settings either way; the quick brotli bytes have an ETag of
 * their own (`-br1`), so a strong ETag never names two byte sequences.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Representation {
  readonly type: string;
  readonly identity: Buffer;
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
  /**
   * Whether the body is sent compressed to clients that accept it (large
   * enough, of a compressible type): the page then varies on Accept-Encoding
   * even before both encodings are made.
   */
  readonly compressible: boolean;
  /**
   * Whether every encoding the page is sent in has been made, at its final
   * settings. An incomplete representation's `br`, if any, was made at the
   * fastest quality, for the first reader.
   */
  readonly complete: boolean;
  /** The hash of the identity bytes; each encoding's ETag derives from it. */
  readonly hash: string;
  /** HTTP date of the content's last change. */
  readonly lastModified: string | undefined;
  /** Bytes held, for the cache's budget. */
  readonly size: number;
}

/** Bodies smaller than this are sent as they are: compression would not pay. */
export const MIN_COMPRESS_BYTES = 1024;

/** Bodies above this are compressed at the fastest levels. */
export const BIG_BODY_BYTES = 512 * 1024;

export type ContentCoding = 'gzip' | 'br';

const BOTH: readonly ContentCoding[] = ['gzip', 'br'];

/**
 * The page's representation. `encodings` are the compressed forms made now
 * (both by default); the others are left for `completeRepresentation`.
 */
export function makeRepresentation(body: string | Buffer, type: string, lastModifiedMs?: number, encodings: readonly ContentCoding[] = BOTH): Representation {
  const identity = typeof body === 'string' ? Buffer.from(body) : body;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  const compressible = identity.length >= MIN_COMPRESS_BYTES && isCompressible(type);
  const gzip = compressible && encodings.includes('gzip') ? gzipped(identity) : undefined;
  const complete = !compressible || (encodings.includes('gzip') && encodings.includes('br'));
  // Only a first reader's brotli is quick: a complete representation is made at the final quality.
  const br = compressible && encodings.includes('br') ? brotli(identity, !complete) : undefined;
  return {
    type,
    identity,
    gzip,
    br,
    compressible,
    complete,
    hash,
    lastModified: lastModifiedMs === undefined ? undefined : new Date(Math.floor(lastModifiedMs / 1000) * 1000).toUTCString(),
    size: identity.length + (gzip?.length ?? 0) + (br?.length ?? 0),
  };
}

/** The same representation with every encoding made (itself when it already has them). */
export function completeRepresentation(rep: Representation): Representation {
  if (rep.complete) return rep;
  const gzip = rep.gzip ?? gzipped(rep.identity);
  // An incomplete representation's brotli, if any, is the quick one: made again at the final quality.
  const br = brotli(rep.identity, false);
  return { ...rep, gzip, br, complete: true, size: rep.identity.length + (gzip?.length ?? 0) + (br?.length ?? 0) };
}

/**
 * The same representation with one more encoding, as a first reader's would
 * be made (brotli at the quick quality): for a page that changes every few
 * moments, whose every encoding at its final settings would mostly be made
 * for nobody (src/cache/response-cache.ts `send`).
 */
export function withEncoding(rep: Representation, coding: ContentCoding): Representation {
  if (rep.complete || !rep.compressible || rep[coding] !== undefined) return rep;
  const gzip = coding === 'gzip' ? gzipped(rep.identity) : rep.gzip;
  const br = coding === 'br' ? brotli(rep.identity, true) : rep.br;
  return { ...rep, gzip, br, size: rep.identity.length + (gzip?.length ?? 0) + (br?.length ?? 0) };
}

// Compression runs on the event loop: a page of megabytes (a 2 MB post) is
// compressed at the fastest levels, so it costs a few milliseconds, not 50.
function gzipped(identity: Buffer): Buffer | undefined {
  return smaller(gzipSync(identity, { level: identity.length > BIG_BODY_BYTES ? 1 : 9 }), identity);
}

function brotli(identity: Buffer, quick: boolean): Buffer | undefined {
  return smaller(
    brotliCompressSync(identity, {
      params: {
        // Quality 6: about a quarter larger than quality 11 on the sample
        // article, but a twentieth of the time (1.5 ms against 40 ms). The
        // first reader after a change gets quality 1: on the sample article,
        // 4.1 KB against 3.3 KB, 0.13 ms against 0.47 ms on a CPU that was
        // idle (what an edit finds; 0.06 against 0.10 ms when warm).
        [constants.BROTLI_PARAM_QUALITY]: quick || identity.length > BIG_BODY_BYTES ? 1 : 6,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    identity,
  );
}

/**
 * The compressed bytes when they are smaller, copied out: zlib's sync output
 * can be a view of a much larger chunk, which the cache would otherwise keep
 * alive behind a small `length` (and outside its byte budget).
 */
function smaller(compressed: Buffer, original: Buffer): Buffer | undefined {
  return compressed.length < original.length ? Buffer.from(compressed) : undefined;
}

function isCompressible(type: string): boolean {
  return /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|manifest\+json)|image\/svg\+xml)/.test(type);
}
