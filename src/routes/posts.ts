/** One article, and the files of its page bundle (the patterns in src/content/urls.ts). */
import { Router } from 'express';
import { isSlug } from '../content/slug.js';
import { ROUTES } from '../content/urls.js';
import { findMediaFile, isServableBundlePath, sendMediaFile } from '../http/bundle-files.js';
import { pagePolicy } from '../http/security-headers.js';
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
      const article = ctx.renderer.article(post, { newer, older }, problem);
      return {
        body: article.html,
        // KaTeX's and mermaid's styles on the pages that have them, nowhere else.
        csp: pagePolicy(article.needs),
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
    const file = await findMediaFile(post.bundleDir, segments);
    if (!file) return next();
    setSurrogateKeys(res, [postKey(post.slug)]);
    sendMediaFile(res, next, file, ctx.config.cacheControl);
  });

  return router;
}
