/**
 * A page's bytes in every form it is sent in: made once per content change
 * (strong ETag from a hash of the bytes, gzip and brotli), never per request.
 *
 * The first reader after a change should not wait for the best compression
 * (gzip 9 and brotli 6: 0.45 ms of CPU for the sample article, on top of a
 * 0.8 ms render): a page is first made at the fastest levels (gzip 1, brotli
 * 1: 0.11 ms, a fifth larger), and `compressBest` makes the usual forms in the
 * background, on libuv's thread pool, to replace it. The ETags stay the same:
 * they name the page's bytes before encoding, which do not change (Lede
 * serves no byte ranges, the one use of strong ETags that compares encoded bytes).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync, type BrotliOptions, type ZlibOptions } from 'node:zlib';

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
  /** Compressed at the fastest levels, to be replaced by `compressBest`. */
  readonly quick: boolean;
}

/** `quick`: the fastest compression levels, for a first reader; `best`: the levels kept. */
export type Compression = 'quick' | 'best';

/** Bodies smaller than this are sent as they are: compression would not pay. */
export const MIN_COMPRESS_BYTES = 1024;

const GZIP: Record<Compression, ZlibOptions> = { quick: { level: 1 }, best: { level: 9 } };

function brotli(quality: number, size: number): BrotliOptions {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

// Quality 6: about a quarter larger than quality 11 on the sample article,
// but a twentieth of the time (1.5 ms against 40 ms) of a thread-pool thread
// per change. Quality 1 for the first reader: 0.1 ms.
const BROTLI_QUALITY: Record<Compression, number> = { quick: 1, best: 6 };

export function makeRepresentation(body: string | Buffer, type: string, lastModifiedMs?: number, compression: Compression = 'best'): Representation {
  const identity = typeof body === 'string' ? Buffer.from(body) : body;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  let gzip: Buffer | undefined;
  let br: Buffer | undefined;
  const compress = compressible(identity, type);
  if (compress) {
    gzip = smaller(gzipSync(identity, GZIP[compression]), identity);
    br = smaller(brotliCompressSync(identity, brotli(BROTLI_QUALITY[compression], identity.length)), identity);
  }
  return withForms(type, identity, hash, lastModifiedMs === undefined ? undefined : httpDate(lastModifiedMs), gzip, br, compress && compression === 'quick');
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The same page with the best compression, made off the event loop. */
export async function compressBest(rep: Representation): Promise<Representation> {
  const [gzipped, brotlied] = await Promise.all([gzipAsync(rep.identity, GZIP.best), brotliAsync(rep.identity, brotli(BROTLI_QUALITY.best, rep.identity.length))]);
  return withForms(rep.type, rep.identity, rep.hash, rep.lastModified, smaller(gzipped, rep.identity), smaller(brotlied, rep.identity), false);
}

/** Whether the page is sent compressed to clients that accept it (so its answers vary by Accept-Encoding). */
export function isCompressed(rep: Representation): boolean {
  return compressible(rep.identity, rep.type);
}

function compressible(identity: Buffer, type: string): boolean {
  return identity.length >= MIN_COMPRESS_BYTES && isCompressible(type);
}

function withForms(type: string, identity: Buffer, hash: string, lastModified: string | undefined, gzip: Buffer | undefined, br: Buffer | undefined, quick: boolean): Representation {
  return { type, identity, gzip, br, hash, lastModified, size: identity.length + (gzip?.length ?? 0) + (br?.length ?? 0), quick };
}

function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
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
