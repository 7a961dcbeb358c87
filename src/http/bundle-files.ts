/**
 * How a page bundle's files (and `content/static/`'s) are sent: streamed,
 * with Range and 304, under a policy that sandboxes them when opened directly.
 * Which files may be sent at all is src/content/servable-files.ts.
 */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import type { MediaFile } from '../content/servable-files.js';
import { openRegular } from '../files/read-regular.js';
import { BUNDLE_FILE_CSP } from '../headers/site-headers.js';

/** Replaces the page policy for bundle files (src/headers/site-headers.ts): nothing active, even as a top-level document. */
export { BUNDLE_FILE_CSP } from '../headers/site-headers.js';

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
