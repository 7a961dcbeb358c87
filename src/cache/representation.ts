/**
 * A page's bytes in every form it is sent in: made once per content change
 * (strong ETag from a hash of the bytes, gzip and brotli), never per request.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Representation {
  readonly type: string;
  readonly identity: Buffer;
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
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

export function makeRepresentation(body: string | Buffer, type: string, lastModifiedMs?: number): Representation {
  const identity = typeof body === 'string' ? Buffer.from(body) : body;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  let gzip: Buffer | undefined;
  let br: Buffer | undefined;
  if (identity.length >= MIN_COMPRESS_BYTES && isCompressible(type)) {
    // Compression runs on the event loop: a page of megabytes (a 2 MB post) is
    // compressed at the fastest levels, so it costs a few milliseconds, not 50.
    const big = identity.length > BIG_BODY_BYTES;
    gzip = smaller(gzipSync(identity, { level: big ? 1 : 9 }), identity);
    br = smaller(
      brotliCompressSync(identity, {
        params: {
          // Quality 6: about a quarter larger than quality 11 on the sample
          // article, but a twentieth of the time (1.5 ms against 40 ms), which
          // the first reader after each change would otherwise wait for.
          [constants.BROTLI_PARAM_QUALITY]: big ? 1 : 6,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        },
      }),
      identity,
    );
  }
  return {
    type,
    identity,
    gzip,
    br,
    hash,
    lastModified: lastModifiedMs === undefined ? undefined : new Date(Math.floor(lastModifiedMs / 1000) * 1000).toUTCString(),
    size: identity.length + (gzip?.length ?? 0) + (br?.length ?? 0),
  };
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
