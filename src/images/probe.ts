/**
 * What a page needs to know about one of its images, read cheaply and
 * synchronously on the render path: the dimensions from the header bytes
 * alone (image-size reads the header, never decodes pixels) and a hash of
 * the file's bytes (the variants' URLs carry it, so they can be cached for a
 * year). Decoding is left to the variant maker (src/images/variants.ts),
 * off the event loop. An image that is not one (corrupt header), is too big
 * to read, or would decode to more pixels than `MAX_IMAGE_PIXELS` (a
 * decompression bomb: a few KB of PNG can claim 100,000 x 100,000 pixels)
 * is a problem, and the page links to it instead of showing it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, readFileSync } from 'node:fs';
import { imageSize } from 'image-size';

/** The kinds of image that get dimensions and variants (GIF: its first frame). */
export const RESIZABLE = /\.(jpe?g|png|webp|avif|gif)$/i;

/**
 * Images claiming more pixels than this are refused (about 8,000 x 8,000;
 * a 50 MP camera gives 8,160 x 6,120). Decoding one costs 200 MB or more.
 */
export const MAX_IMAGE_PIXELS = 8192 * 8192;

/** Image files above this size are not read (hashing them would hold the render). */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** Header bytes read first; most formats say their size in the first few hundred bytes. */
const HEADER_BYTES = 64 * 1024;
/** A JPEG with large EXIF/ICC blocks puts its size further on: read up to this much. */
const MAX_HEADER_BYTES = 1024 * 1024;

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

/** Reads the header and hashes the bytes of `file`, a file of `size` bytes. Never throws. */
export function probeImage(file: string, size: number): ImageProbe {
  if (size > MAX_IMAGE_BYTES) return { ok: false, message: `is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_IMAGE_BYTES / 1024 / 1024} MB limit for an image; shrink it` };
  let dims: { width: number; height: number; orientation?: number | undefined; type?: string | undefined };
  try {
    dims = headerDimensions(file, size);
  } catch (err) {
    return { ok: false, message: `cannot be read as an image (${(err as Error).message}); it may be corrupt or have the wrong extension` };
  }
  const { width, height } = dims;
  if (!(width > 0 && height > 0)) return { ok: false, message: 'has no width or height in its header; it may be corrupt' };
  if (width * height > MAX_IMAGE_PIXELS) {
    return {
      ok: false,
      message: `claims ${width} x ${height} pixels, over the limit of ${MAX_IMAGE_PIXELS.toLocaleString('en-GB')} (a decompression bomb, or a photo far larger than any screen); resize it`,
    };
  }
  let hash: string;
  try {
    hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch (err) {
    return { ok: false, message: `cannot be read: ${(err as Error).message}` };
  }
  const turned = dims.orientation !== undefined && dims.orientation >= 5;
  return { ok: true, width: turned ? height : width, height: turned ? width : height, type: dims.type ?? '', hash };
}

/** The dimensions from the first bytes, reading more only when the header runs past them. */
function headerDimensions(file: string, size: number): { width: number; height: number; orientation?: number | undefined; type?: string | undefined } {
  const fd = openSync(file, 'r');
  try {
    let want = Math.min(size, HEADER_BYTES);
    for (;;) {
      const buffer = Buffer.alloc(want);
      const read = readSync(fd, buffer, 0, want, 0);
      try {
        return imageSize(buffer.subarray(0, read));
      } catch (err) {
        if (want >= Math.min(size, MAX_HEADER_BYTES)) throw err;
        want = Math.min(size, MAX_HEADER_BYTES);
      }
    }
  } finally {
    closeSync(fd);
  }
}
