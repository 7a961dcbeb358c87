/**
 * What a page bundle may serve, and how. Bundles hold the images and
 * downloads of a post; they are written by authors, who are not trusted with
 * script (posts are sanitized), so a bundle file must never become a page
 * that runs script from this site's origin: no HTML, no JavaScript, and
 * everything else sent with a policy that sandboxes it when opened directly
 * (an SVG with a `<script>` inside, say). The same rules serve the site-wide
 * files of `content/static/`.
 */
import type { Stats } from 'node:fs';
import { realpath, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { openRegular } from '../files/read-regular.js';
import { isInside } from '../content/find-posts.js';

/** Media that articles embed or link to: images, audio, video, PDFs, text and archives. */
const SERVABLE = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp4|m4v|webm|ogv|mov|mp3|m4a|ogg|oga|opus|wav|flac|vtt|pdf|txt|csv|zip)$/i;

/** One segment of a bundle file's path: no dot files or folders, no separators, nothing to decode. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** A file (in the bundle or a sub-folder of it) that may be served: checked before any file system call. */
export function isServableBundlePath(segments: readonly string[]): boolean {
  return segments.length > 0 && segments.length <= 8 && segments.every((s) => SEGMENT.test(s)) && SERVABLE.test(segments.at(-1)!);
}

/** Replaces the page policy for bundle files: nothing active, even as a top-level document. */
export const BUNDLE_FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/** A media file found on disk: its real path (symlinks resolved) and its `stat`. */
export interface MediaFile {
  readonly target: string;
  readonly stats: Stats;
}

/**
 * The file `segments` names inside `dir`, judged by its real target: it must
 * stay inside `dir` (a symlink out of it is refused) and be a regular file
 * whose real name is servable media too (`pic.png` -> `page.html` is not).
 * `undefined` means 404. Used by bundle files and `content/static/` alike.
 */
export async function findMediaFile(dir: string, segments: readonly string[]): Promise<MediaFile | undefined> {
  if (!isServableBundlePath(segments)) return undefined;
  const target = await realpath(path.join(dir, ...segments)).catch(() => undefined);
  const root = await realpath(dir).catch(() => undefined);
  // The target must pass the same rules as the name asked for, every segment of it (`pic.png -> page.html`).
  if (!target || !root || !isInside(root, target) || !isServableBundlePath(path.relative(root, target).split(path.sep))) return undefined;
  const stats = await stat(target).catch(() => undefined);
  return stats?.isFile() ? { target, stats } : undefined;
}

/**
 * Sends a media file from disk (streamed, with Range and 304), with the
 * sandboxing policy and a validator that changes with every edit. The file
 * is opened, then judged (src/files/read-regular.ts): the name found a moment
 * ago may be a FIFO now, and an `open()` by name would hold a thread of
 * libuv's pool for good; this sends from the descriptor it judged.
 */
export async function sendMediaFile(req: Request, res: Response, next: NextFunction, file: MediaFile, cacheControl: string): Promise<void> {
  let opened: { handle: FileHandle; stats: Stats };
  try {
    opened = await openRegular(file.target, Number.POSITIVE_INFINITY);
  } catch {
    return next();
  }
  const { handle, stats } = opened;
  // A validator from the descriptor's stat lets a changed file replace the cached one at once
  // (the ctime moves even when an edit keeps the size and the mtime).
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${Math.floor(stats.ctimeMs).toString(16)}"`;
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  const lastModified = stats.mtime.toUTCString();
  res.setHeader('Last-Modified', lastModified);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Security-Policy', BUNDLE_FILE_CSP);
  res.type(path.extname(file.target));
  if (req.fresh) {
    await handle.close();
    res.status(304).end();
    return;
  }
  const range = byteRange(req, stats.size, lastModified);
  if (range === 'unsatisfiable') {
    await handle.close();
    // RFC 9110 §15.5.17: a range past the end is 416 with the size.
    res.status(416).setHeader('Content-Range', `bytes */${stats.size}`);
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: stats.size - 1 };
  if (range) res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${stats.size}`);
  res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (req.method === 'HEAD' || end < start) {
    await handle.close();
    res.end();
    return;
  }
  // The stream closes the handle when it ends or fails; a reader gone mid-file destroys it.
  pipeline(handle.createReadStream({ start, end }), res).catch(() => undefined);
}

/**
 * The one byte range asked for (RFC 9110 §14.2), `undefined` for the whole
 * file (no Range, several ranges, or an `If-Range` other than the file's
 * Last-Modified date),
 * or `unsatisfiable`.
 */
function byteRange(req: Request, size: number, lastModified: string): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (req.headers.range === undefined) return undefined;
  const ifRange = req.get('If-Range');
  // RFC 9110 §13.1.5: an entity tag matches only by strong comparison, and ours are weak; a date must be the file's own.
  if (ifRange !== undefined && ifRange !== lastModified) return undefined;
  const ranges = req.range(size, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges === undefined || ranges.type !== 'bytes' || ranges.length !== 1) return undefined;
  return { start: ranges[0]!.start, end: ranges[0]!.end };
}
