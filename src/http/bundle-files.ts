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
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Response } from 'express';
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
 * Sends a media file from disk (streamed, with Range and 304 from `send`),
 * with the sandboxing policy and a validator that changes with every edit.
 */
export function sendMediaFile(res: Response, next: NextFunction, file: MediaFile, cacheControl: string): void {
  res.setHeader('Cache-Control', cacheControl);
  // The app turns Express's ETags off (ours come from send.ts), and sendFile obeys that; a
  // validator from the file's stat lets a changed file replace the cached one at once
  // (the ctime moves even when an edit keeps the size and the mtime). send honours it for 304s.
  const { stats } = file;
  res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${Math.floor(stats.ctimeMs).toString(16)}"`);
  res.setHeader('Content-Security-Policy', BUNDLE_FILE_CSP);
  res.sendFile(file.target, { dotfiles: 'deny', cacheControl: false, lastModified: true }, (err?: Error & { status?: number }) => {
    if (!err || res.headersSent) return;
    // RFC 9110 §15.5.17: a range past the end is 416 with the size, not a missing file.
    if (err.status === 416) {
      res.status(416).setHeader('Content-Range', `bytes */${stats.size}`);
      res.end();
      return;
    }
    next();
  });
}
