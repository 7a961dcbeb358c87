/** One article, and the files of its page bundle (the patterns in src/content/urls.ts). */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { isInside } from '../content/find-posts.js';
import { isSlug } from '../content/slug.js';
import { ROUTES } from '../content/urls.js';
import { BUNDLE_FILE_CSP, isServableBundlePath } from '../http/bundle-files.js';
import { cachedPage } from '../cache/cached-page.js';
import { postKey, setSurrogateKeys } from '../cdn/surrogate-keys.js';
import type { RouteContext } from './context.js';

export function postRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.get(ROUTES.post, async (req, res, next) => {
    const slug = req.params.slug;
    if (!isSlug(slug)) return next();
    // Checked against its file first (one `stat`): an edit or a deletion shows at once.
    const post = await ctx.store.getPost(slug);
    if (!post) return next();
    return cachedPage(ctx, req, res, next, (view) => {
      const index = view.posts.indexOf(post);
      const newer = view.posts[index - 1];
      const older = view.posts[index + 1];
      // Outside production, a post served in its last good version says what is wrong with the file now.
      const problem = ctx.config.env === 'production' ? undefined : ctx.store.currentError(post.file);
      return {
        body: ctx.renderer.article(post, { newer, older }, problem),
        // The page shows its neighbours' titles too: an edit to either changes it.
        keys: [post, newer, older].flatMap((p) => (p ? [postKey(p.slug)] : [])),
        modifiedBy: [post],
        files: [post],
      };
    });
  });

  // `*file` so bundles may keep images in sub-folders (`images/a.png`); every segment is checked,
  // and only media are served: no markdown sources, HTML or script (src/http/bundle-files.ts).
  router.get(ROUTES.bundleFile, async (req, res, next) => {
    const { slug, file: segments } = req.params;
    if (!isSlug(slug) || !isServableBundlePath(segments)) return next();
    const post = await ctx.store.getPost(slug);
    if (!post?.bundleDir) return next();
    // Resolve symlinks and serve only what stays inside the post's own folder.
    const target = await realpath(path.join(post.bundleDir, ...segments)).catch(() => undefined);
    if (!target || !isInside(await realpath(post.bundleDir), target)) return next();
    const stats = await stat(target).catch(() => undefined);
    if (!stats?.isFile()) return next();
    res.setHeader('Cache-Control', ctx.config.cacheControl);
    setSurrogateKeys(res, [postKey(post.slug)]);
    // The app turns Express's ETags off (ours come from send.ts), and sendFile obeys that; a
    // validator from the file's stat lets a changed image replace the cached one at once
    // (the ctime moves even when an edit keeps the size and the mtime). send honours it for 304s.
    res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${Math.floor(stats.ctimeMs).toString(16)}"`);
    res.setHeader('Content-Security-Policy', BUNDLE_FILE_CSP);
    res.sendFile(target, { dotfiles: 'deny', cacheControl: false, lastModified: true }, (err) => {
      if (err && !res.headersSent) next();
    });
  });

  return router;
}
