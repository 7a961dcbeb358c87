/**
 * Site-wide files from `content/static/`, at the root (`/favicon.ico`,
 * `/img/logo.png`), then any media file of the content folder at its place
 * (`/2020/images/x.png`). Mounted after the pages, so every route and page answers
 * first. Small files go through the front cache like pages (one `stat` a
 * hit keeps them fresh); large files and Range requests are streamed from
 * disk, with the bundle files' rules (src/content/servable-files.ts) and
 * headers (src/http/bundle-files.ts).
 */
import path from 'node:path';
import type { Router } from 'express';
import mime from 'mime-types';
import { cachedPage } from '../cache/cached-page.js';
import { STATIC_KEY, setSurrogateKeys } from '../cdn/surrogate-keys.js';
import { signatureOf } from '../content/find-posts.js';
import { readRegularFile } from '../files/read-regular.js';
import { staticMountsOf, type StaticMount } from '../content/site-layout/site-layout.js';
import { ROUTES, routeClaiming } from '../content/urls.js';
import { findMediaFile, type MediaFile } from '../content/servable-files.js';
import { BUNDLE_FILE_CSP, sendMediaFile } from '../http/bundle-files.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

/** Files up to this size are kept in the front cache (in every encoding); larger ones are streamed. */
export const STATIC_CACHE_MAX_BYTES = 512 * 1024;

export function staticFileRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  // `static/`, and a whole blog repository's own folders of site-wide files (src/content/site-layout/site-layout.ts).
  const mounts = staticMountsOf(ctx.config.contentDir);
  router.get(ROUTES.staticFile, async (req, res, next) => {
    const asked = req.params.file as unknown as string[];
    // Routes win, whatever the folder holds.
    if (routeClaiming(req.path)) return next();
    const found = await findServedFile(ctx, mounts, asked);
    if (!found) return next();
    const { file, dir, segments } = found;
    if (req.headers.range !== undefined || file.stats.size > STATIC_CACHE_MAX_BYTES) {
      setSurrogateKeys(res, [STATIC_KEY]);
      return sendMediaFile(req, res, next, file, ctx.config.cacheControl);
    }
    // Opened, then judged (src/files/read-regular.ts): the file found may be a FIFO by now.
    const body = await readRegularFile(file.target, STATIC_CACHE_MAX_BYTES).then(
      (read) => read.bytes,
      () => undefined,
    );
    if (!body) return next();
    // Set before the page is stored: the front cache replays them on hits.
    res.setHeader('Content-Security-Policy', BUNDLE_FILE_CSP);
    res.setHeader('Accept-Ranges', 'bytes');
    const version = { file: path.join(dir, ...segments), signature: signatureOf(file.stats) };
    return cachedPage(ctx, req, res, next, () => ({
      body,
      type: contentType(file.target),
      keys: [STATIC_KEY],
      modifiedBy: [version],
      // The path as listed: a `stat` follows a symlink, so a link moved to another file is a change too.
      files: [version],
      listsContent: false,
    }));
  });
  return router;
}

/** The first mount that holds the file asked for, with the file and its path under the mount. */
async function findMounted(
  contentDir: string,
  mounts: readonly StaticMount[],
  asked: readonly string[],
): Promise<{ file: MediaFile; dir: string; segments: readonly string[] } | undefined> {
  for (const mount of mounts) {
    const prefix = mount.url ? mount.url.split('/') : [];
    if (prefix.some((segment, i) => asked[i] !== segment)) continue;
    const segments = asked.slice(prefix.length);
    if (!segments.length || mount.hidden(segments[0]!)) continue;
    const dir = path.join(contentDir, mount.dir);
    const file = await findMediaFile(dir, segments);
    if (file) return { file, dir, segments };
  }
  return undefined;
}

/**
 * The file `asked` names: in `content/static/` (or a whole blog repository's
 * own folders of site-wide files) first, else at its place in the content
 * folder (a post's `images/x.png` beside it, docs/moving-from-another-generator.md,
 * "Links and images"), unless it is in a hidden post's bundle (a draft's files
 * are not published). The same media rules judge both.
 */
async function findServedFile(
  ctx: RouteContext,
  mounts: readonly StaticMount[],
  asked: readonly string[],
): Promise<{ file: MediaFile; dir: string; segments: readonly string[] } | undefined> {
  const mounted = await findMounted(ctx.config.contentDir, mounts, asked);
  if (mounted) return mounted;
  const relPath = asked.join('/');
  // The folders of drafts are known once the stores have read the folder (usually no I/O).
  await Promise.all([ctx.store.view(), ctx.pages.view()]);
  if (ctx.links.current().hiddenFolders.some((folder) => relPath.startsWith(`${folder}/`))) return undefined;
  const dir = ctx.config.contentDir;
  const file = await findMediaFile(dir, asked);
  return file && { file, dir, segments: asked };
}

/** The type of the target's real name (the bundle rules allow only media, so there is always one). */
function contentType(file: string): string {
  const type = mime.lookup(file) || 'application/octet-stream';
  return /^text\/|\+xml$/.test(type) ? `${type}; charset=utf-8` : type;
}
