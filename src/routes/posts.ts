/** One article, and the files of its page bundle (the patterns in src/content/urls.ts). */
import type { Router } from 'express';
import { isSlug } from '../content/slug.js';
import { ROUTES } from '../content/urls.js';
import { findMediaFile, isServableBundlePath } from '../content/servable-files.js';
import { sendMediaFile } from '../http/bundle-files.js';
import { pagePolicy } from '../http/security-headers.js';
import type { Post } from '../content/post.js';
import type { SiteView } from '../content/store.js';
import type { Rendered } from '../render/markdown.js';
import { UnrenderablePost } from '../render/post-bodies.js';
import { cachedPage } from '../cache/cached-page.js';
import { postKey, setSurrogateKeys } from '../cdn/surrogate-keys.js';
import { ARTICLE_WAIT_MS, ArticleVersions } from './article-versions.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';
import type { FileDependency } from '../cache/response-cache.js';

export function postRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  // In production: while developing, an author who saves and looks waits for the render, whatever it takes.
  const versions = new ArticleVersions(
    (post) => articleBody(post),
    ctx.config.env === 'production' ? ARTICLE_WAIT_MS : 0,
    undefined,
    (post) => ctx.bodies.overLimit(post),
  );

  router.get(ROUTES.post, async (req, res, next) => {
    const slug = req.params.slug;
    if (!isSlug(slug)) return next();
    // Checked against its file first (one `stat`): an edit or a deletion shows at once.
    const first = await ctx.store.getPost(slug);
    if (!first) {
      versions.forget(slug);
      return next();
    }
    return cachedPage(ctx, req, res, next, async (firstView) => {
      // Rendered off the main thread. A body that cannot be rendered is a content error: the
      // store then serves the version before it, if it had one, so look once more.
      // Its neighbours' summaries are waited for at the same time as its body, not after it.
      const neighboursIn = (view: SiteView, listedAs: Post): (Post | undefined)[] => {
        const index = view.posts.indexOf(listedAs);
        return [index > 0 ? view.posts[index - 1] : undefined, view.posts[index + 1]];
      };
      const usable = (neighbours: (Post | undefined)[]) => {
        const listed = ctx.bodies.usable(neighbours.filter((p): p is Post => p !== undefined));
        // Awaited below, unless the page turns out to be none first: never an unhandled rejection.
        listed.catch(() => undefined);
        return listed;
      };
      let neighbours = neighboursIn(firstView, first);
      let listing = usable(neighbours);
      // A new version slow to render is shown in the one before it meanwhile (src/routes/article-versions.ts).
      const chosen = await versions.bodyFor(first, ctx.links.current());
      let post = chosen.post;
      let view = firstView;
      let body = chosen.body;
      if (!body) {
        const fallback = await ctx.store.getPost(slug);
        if (!fallback || fallback === post) return undefined;
        post = fallback;
        body = await articleBody(post);
        if (!body) return undefined;
        view = await ctx.store.view();
        neighbours = neighboursIn(view, post);
        listing = usable(neighbours);
      }
      // Links to other posts' sources and wikilinks were resolved among the site's files as they were.
      const linkedSite = body.linksSite ? ctx.links.current() : undefined;
      // Neighbours whose summary cannot be made are left out, not the page; so, after a moment's wait,
      // is one still rendering (`pending`: the page is made again when it lands). They are those of the
      // version the view holds (the one still rendering, when the page shows the one before).
      const listed = await listing;
      // One whose summary is still being made may be listed in its version before it.
      const [newer, older] = neighbours.map((p) => {
        const shown = p && (listed.posts.includes(p) ? p : ctx.bodies.versionBefore(p));
        return shown && listed.posts.includes(shown) ? shown : undefined;
      });
      // Outside production, a post served in its last good version says what is wrong with the file now.
      const problem = ctx.config.env === 'production' ? undefined : ctx.store.currentError(post.file);
      // The page shows its images' sizes and hashes: an edited image makes it again.
      const images: FileDependency[] = [];
      // Read first, off the event loop; the synchronous render then finds them in memory (src/images/catalog.ts).
      await ctx.renderer.images.prepareArticle(post, body.html);
      const article = ctx.renderer.article(post, body, { newer, older }, problem, images);
      versions.shownNow(post, body, linkedSite);
      return {
        body: article.html,
        // KaTeX's and mermaid's styles on the pages that have them, nowhere else.
        csp: pagePolicy(article.needs),
        // The page shows its neighbours' titles too: an edit to either changes it.
        keys: [post, newer, older].flatMap((p) => (p ? [postKey(p.slug)] : [])),
        modifiedBy: [post],
        // The file as it is now, even when the page shows the version before it: kept until that one's render lands.
        files: [chosen.pending ? first : post],
        imageFiles: images,
        pending: chosen.pending && listed.pending ? Promise.all([chosen.pending, listed.pending]).then(() => undefined) : (chosen.pending ?? listed.pending),
        // What it shows of the site view: itself and its two neighbours (what `usable` made of them
        // follows from the same post objects). An edit elsewhere keeps this page (docs/security.md,
        // "Churn under load"); its own edit changes its file, checked on every hit.
        shownIn: (next) => sameNeighbourhood(next, post, neighbours) && (linkedSite === undefined || ctx.links.current() === linkedSite),
      };
    });
  });

  /** Whether `post` is in `view` with the same posts either side, as the same objects (an edit makes a new one). */
  function sameNeighbourhood(view: SiteView, post: Post, [newer, older]: readonly (Post | undefined)[]): boolean {
    if (view.bySlug.get(post.slug) !== post) return false;
    const index = view.posts.indexOf(post);
    return index >= 0 && (index > 0 ? view.posts[index - 1] : undefined) === newer && view.posts[index + 1] === older;
  }

  /** The post's page body with its summary made (for the description), or none when it cannot be rendered. */
  async function articleBody(post: Post): Promise<Rendered | undefined> {
    try {
      const [body] = await Promise.all([ctx.bodies.page(post, ctx.config.site.raw_html), ctx.bodies.summary(post)]);
      return body;
    } catch (err) {
      if (err instanceof UnrenderablePost) return undefined;
      throw err;
    }
  }

  // `*file` so bundles may keep images in sub-folders (`images/a.png`); every segment is checked,
  // and only media are served: no markdown sources, HTML or script (src/content/servable-files.ts).
  router.get(ROUTES.bundleFile, async (req, res, next) => {
    const { slug, file: segments } = req.params;
    if (!isSlug(slug) || !isServableBundlePath(segments)) return next();
    const post = await ctx.store.getPost(slug);
    if (!post?.bundleDir) return next();
    // Resolve symlinks and serve only what stays inside the post's own folder.
    const file = await findMediaFile(post.bundleDir, segments);
    if (!file) return next();
    setSurrogateKeys(res, [postKey(post.slug)]);
    await sendMediaFile(req, res, next, file, ctx.config.cacheControl);
  });

  return router;
}
