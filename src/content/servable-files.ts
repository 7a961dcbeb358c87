/**
 * What a page bundle may serve. Bundles hold the images and downloads of a
 * post; they are written by authors, who are not trusted with script (posts
 * are sanitized), so a bundle file must never become a page that runs script
 * from this site's origin: no HTML, no JavaScript, and everything else sent
 * with a policy that sandboxes it when opened directly (an SVG with a
 * `<script>` inside, say: src/http/bundle-files.ts sends it). The same rules
 * judge the site-wide files of `content/static/`.
 */
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../files/inside.js';

/** Media that articles embed or link to: images, audio, video, PDFs, text and archives. */
const SERVABLE = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp4|m4v|webm|ogv|mov|mp3|m4a|ogg|oga|opus|wav|flac|vtt|pdf|txt|csv|zip)$/i;

/**
 * One segment of a served file's path: it starts with a letter or digit of
 * any script (no dot files, no `_private`), and holds letters, digits,
 * spaces and the punctuation cameras and screenshots put in names
 * (`Screen Shot 2020-01-01 at 10.00.00 (2).png`, `été.jpg`), but no
 * separator, `%` or control character. Sent percent-encoded.
 */
const SEGMENT = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._()+,'&@!-]{0,200}$/u;

/** A file (in the bundle or a sub-folder of it) that may be served: checked before any file system call. */
export function isServableBundlePath(segments: readonly string[]): boolean {
  return segments.length > 0 && segments.length <= 8 && segments.every((s) => SEGMENT.test(s)) && SERVABLE.test(segments.at(-1)!);
}

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
