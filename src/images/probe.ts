/**
 * What a page needs to know about one of its images: the dimensions from
 * the header bytes alone (image-size reads the header, never decodes
 * pixels) and a hash of the file's bytes (the variants' URLs carry it, so
 * they can be cached for a year). Decoding is left to the variant maker
 * (src/images/variants.ts). An image that is not one (corrupt header, not
 * a regular file), is too big to read, or would decode to more pixels than
 * `MAX_IMAGE_PIXELS` (a decompression bomb: a few KB of PNG can claim
 * 100,000 x 100,000 pixels) is a problem, and the page links to it instead
 * of showing it.
 *
 * Everything here is asynchronous and read in chunks: hashing a 39 MB file
 * at once held the event loop for most of a second (docs/security.md, the
 * render budget: nothing on the loop may take more than 50 ms).
 */
import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { imageSize } from 'image-size';
// Opened without blocking and judged from the handle, as every file the server reads (src/files/read-regular.ts).
import { kindOf, OPEN_NOW } from '../files/read-regular.js';

/** The kinds of image that get dimensions and variants (GIF: its first frame). */
export const RESIZABLE = /\.(jpe?g|png|webp|avif|gif)$/i;

/**
 * Images claiming more pixels than this are refused (about 8,000 x 8,000;
 * a 50 MP camera gives 8,160 x 6,120). Decoding one costs 200 MB or more.
 */
export const MAX_IMAGE_PIXELS = 8192 * 8192;

/** Image files above this size are not read (hashing them would cost the reader's page seconds). */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** Header bytes read first; most formats say their size in the first few hundred bytes. */
const HEADER_BYTES = 64 * 1024;
/** A JPEG with large EXIF/ICC blocks puts its size further on: read up to this much. */
const MAX_HEADER_BYTES = 1024 * 1024;
/** Bytes read and hashed at a time: about 1-2 ms of SHA-256 on the loop between reads (measured: 39 MB in 55 ms here). */
const HASH_CHUNK_BYTES = 1024 * 1024;

export interface ImageFacts {
  readonly ok: true;
  /** As displayed: EXIF orientations 5 to 8 swap the stored width and height. */
  readonly width: number;
  readonly height: number;
  /** The format the header says (`jpg`, `png`, `webp`, `avif`, `gif`). */
  readonly type: string;
  /** The start of the SHA-256 of the file's bytes, in hex: part of every variant's URL. */
  readonly hash: string;
}

export interface ImageProblem {
  readonly ok: false;
  /** Why it is refused, worded for the author (`npm run check` prints it after the file name). */
  readonly message: string;
}

export type ImageProbe = ImageFacts | ImageProblem;

type Dimensions = { width: number; height: number; orientation?: number | undefined; type?: string | undefined };

/** Opens `file` without blocking and probes it from the handle. Never rejects. */
export async function probeImage(file: string): Promise<ImageProbe> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, OPEN_NOW);
  } catch (err) {
    return { ok: false, message: `cannot be read: ${(err as Error).message}` };
  }
  try {
    return await probeOpened(handle, await handle.stat());
  } catch (err) {
    return { ok: false, message: `cannot be read: ${(err as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** The bytes of an image, read as `probeImage` reads them; rejects with the problem's words when it is refused. */
export async function readImage(file: string): Promise<Buffer> {
  const handle = await fs.open(file, OPEN_NOW);
  try {
    const stats = await handle.stat();
    const refused = refusedByStats(stats);
    if (refused) throw new Error(`${file} ${refused.message}`);
    const chunks: Buffer[] = [];
    await eachChunk(handle, (chunk) => chunks.push(Buffer.from(chunk)));
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/** Judges an open image by its `fstat` (`stats`), then reads its header and hashes its bytes from the handle. Never rejects. */
export async function probeOpened(handle: FileHandle, stats: Stats): Promise<ImageProbe> {
  const refused = refusedByStats(stats);
  if (refused) return refused;
  let dims: Dimensions;
  try {
    dims = await headerDimensions(handle, stats.size);
  } catch (err) {
    return { ok: false, message: `cannot be read as an image (${(err as Error).message}); it may be corrupt or have the wrong extension` };
  }
  const refusedDims = refusedByDimensions(dims);
  if (refusedDims) return refusedDims;
  let hash: string;
  try {
    hash = await hashOf(handle);
  } catch (err) {
    return { ok: false, message: `cannot be read: ${(err as Error).message}` };
  }
  const turned = dims.orientation !== undefined && dims.orientation >= 5;
  return { ok: true, width: turned ? dims.height : dims.width, height: turned ? dims.width : dims.height, type: dims.type ?? '', hash };
}

/** A FIFO, a device or a socket is never read; nor is a file over the size limit. */
function refusedByStats(stats: Stats): ImageProblem | undefined {
  if (!stats.isFile()) return { ok: false, message: `is ${kindOf(stats)}, not a regular file; replace it with the image itself` };
  if (stats.size > MAX_IMAGE_BYTES)
    return { ok: false, message: `is ${(stats.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_IMAGE_BYTES / 1024 / 1024} MB limit for an image; shrink it` };
  return undefined;
}

function refusedByDimensions({ width, height }: Dimensions): ImageProblem | undefined {
  if (!(width > 0 && height > 0)) return { ok: false, message: 'has no width or height in its header; it may be corrupt' };
  if (width * height <= MAX_IMAGE_PIXELS) return undefined;
  return {
    ok: false,
    message: `claims ${width} x ${height} pixels, over the limit of ${MAX_IMAGE_PIXELS.toLocaleString('en-GB')} (a decompression bomb, or a photo far larger than any screen); resize it`,
  };
}

/** The dimensions from the first bytes, reading more only when the header runs past them. */
async function headerDimensions(handle: FileHandle, size: number): Promise<Dimensions> {
  let want = Math.min(size, HEADER_BYTES);
  for (;;) {
    const buffer = Buffer.alloc(want);
    const { bytesRead } = await handle.read(buffer, 0, want, 0);
    try {
      return imageSize(buffer.subarray(0, bytesRead));
    } catch (err) {
      if (want >= Math.min(size, MAX_HEADER_BYTES)) throw err;
      want = Math.min(size, MAX_HEADER_BYTES);
    }
  }
}

/** The start of the SHA-256 of every byte behind `handle`. */
async function hashOf(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  await eachChunk(handle, (chunk) => hash.update(chunk));
  return hash.digest('hex').slice(0, 16);
}

/** Hands each chunk of the file behind `handle` to `use` (the chunk's buffer is reused), never reading past the size limit. */
async function eachChunk(handle: FileHandle, use: (chunk: Buffer) => void): Promise<void> {
  const buffer = Buffer.alloc(HASH_CHUNK_BYTES);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    use(buffer.subarray(0, bytesRead));
    position += bytesRead;
    // Grown past the limit while being read: judged again from its new size on the next render.
    if (position > MAX_IMAGE_BYTES) throw new Error(`grew past the ${MAX_IMAGE_BYTES / 1024 / 1024} MB limit while being read`);
  }
}
