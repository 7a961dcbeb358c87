/**
 * Generated images: resized variants of bundle and static images, and the
 * social cards of posts without a hero image (URLs in src/content/urls.ts).
 * Each URL names one version of its image (a hash of the source's bytes, or
 * of what the card shows), so it is sent with a year's `immutable` caching
 * and kept in the front cache until its source changes; a URL whose version
 * is no longer current redirects to what replaced it.
 */
import { Router, type Request, type Response } from 'express';
import { makeRepresentation } from '../cache/representation.js';
import { postKey, setSurrogateKeys } from '../cdn/surrogate-keys.js';
import { safeDecode } from '../content/safe-decode.js';
import { isSlug } from '../content/slug.js';
import { imageVariantOf, ROUTES, socialCardUrl } from '../content/urls.js';
import { BUNDLE_FILE_CSP } from '../http/bundle-files.js';
import type { LocalImage } from '../images/catalog.js';
import type { SiteImages } from '../images/site-images.js';
import { variantFormats, variantWidths } from '../images/responsive.js';
import type { RouteContext } from './context.js';
import { IMMUTABLE_CACHE_CONTROL } from '../headers/site-headers.js';

export function imageRoutes(ctx: RouteContext, images: SiteImages): Router {
  const router = Router({ caseSensitive: true, strict: true });

  router.get(ROUTES.imageVariant, async (req, res, next) => {
    const wanted = imageVariantOf(req.path);
    if (!wanted) return next();
    const found = await sourceOf(ctx, images, wanted.source);
    if (!found) return next();
    const { image, slug } = found;
    const facts = image.probe;
    if (!facts.ok) return next();
    if (!variantWidths(facts.width).includes(wanted.width) || !variantFormats(facts).includes(wanted.format)) return next();
    // An edited source: this URL named the version before; send the reader to the current file.
    if (facts.hash !== wanted.hash) return temporaryRedirect(res, wanted.source);
    let data: Buffer;
    try {
      data = await images.variants.get(image.file, facts, wanted.width, wanted.format);
    } catch {
      // Corrupt past its header: the original is all there is (the browser decides what to do with it).
      // Too many sources waiting for their variants (QueueFull): the original now, the variant on a later visit
      // (a picture shown larger beats a broken one: docs/rich-content.md, Images).
      return temporaryRedirect(res, wanted.source);
    }
    if (slug) setSurrogateKeys(res, [postKey(slug)]);
    sendImage(ctx, req, res, data, `image/${wanted.format}`, image);
  });

  router.get(ROUTES.socialCard, async (req, res, next) => {
    const { slug, file } = req.params as { slug: string; file: string };
    if (!isSlug(slug) || !/^[0-9a-f]{16}\.png$/.test(file)) return next();
    const post = await ctx.store.getPost(slug);
    if (!post || post.heroImage) return next();
    const text = { title: post.title, siteName: ctx.config.site.title, author: post.author };
    const hash = images.cardHash(text);
    if (file !== `${hash}.png`) return temporaryRedirect(res, socialCardUrl(slug, hash));
    const png = await images.card(text);
    setSurrogateKeys(res, [postKey(slug)]);
    sendImage(ctx, req, res, png, 'image/png', { file: post.file, signature: ctx.store.signatureOf(post.file) ?? post.signature });
  });

  return router;
}

/** The local image a variant's source path names: a bundle file of a published post, a static file, or a media file at its place. */
async function sourceOf(ctx: RouteContext, images: SiteImages, source: string): Promise<{ image: LocalImage; slug?: string } | undefined> {
  const bundle = /^\/posts\/([^/]+)\//.exec(source);
  if (!bundle) {
    // A draft's files are not published, nor their variants (src/routes/static-files.ts).
    const relPath = source.slice(1).split('/').map(safeDecode).join('/');
    await ctx.store.view();
    if (ctx.links.current().hiddenFolders.some((folder) => relPath.startsWith(`${folder}/`))) return undefined;
    const image = await images.catalog.resolve(source, undefined);
    return image && { image };
  }
  // The path as the page spells it: a slug of other scripts is percent-encoded there.
  const slug = safeDecode(bundle[1]!);
  if (!isSlug(slug)) return undefined;
  const post = await ctx.store.getPost(slug);
  if (!post?.bundleDir) return undefined;
  const image = await images.catalog.resolve(source, { slug, dir: post.bundleDir });
  return image && { image, slug };
}

/** Sends image bytes and keeps them in the front cache until `source` changes. */
function sendImage(ctx: RouteContext, req: Request, res: Response, data: Buffer, type: string, source: Pick<LocalImage, 'file' | 'signature'>): void {
  res.setHeader('Content-Security-Policy', BUNDLE_FILE_CSP);
  ctx.cache.store(req.path, req, res, {
    rep: makeRepresentation(data, type, source.signature.mtimeMs),
    // A version of an image never changes under its URL.
    cacheControl: IMMUTABLE_CACHE_CONTROL,
    deps: { files: [{ path: source.file, signature: source.signature }] },
  });
}

function temporaryRedirect(res: Response, to: string): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.redirect(302, to);
}
