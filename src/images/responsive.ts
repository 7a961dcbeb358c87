/**
 * Responsive images in rendered HTML: every `<img>` whose `src` is a local
 * bundle or static image gets its `width` and `height` (no layout shift)
 * and, in pages, a `<picture>` with AVIF and WebP `srcset`s of resized
 * variants; a refused image (corrupt, a decompression bomb) becomes a plain
 * link to the file. Remote images are left as they are.
 *
 * This runs after markdown is rendered and sanitized (it adds only what we
 * make), so `render()` stays pure and knows nothing of files.
 */
import { escapeHtml } from '../html/escape.js';
import { imageVariantUrl, VARIANT_FORMATS, type VariantFormat } from '../content/urls.js';
import type { FileDependency } from '../content/file-dependency.js';
import type { BundleRef, ImageCatalog, LocalImage } from './catalog.js';
import type { ImageFacts } from './probe.js';

/** The widths offered (never above the image's own). */
export const VARIANT_WIDTHS = [480, 960, 1600] as const;

/**
 * `sizes` for the theme's columns (public/style.css): the body's measure is
 * 34 body ems (at most about 42.5rem), the hero's figure at most 64rem, both
 * less the page's gutters on narrow screens.
 */
export const SIZES = {
  body: '(min-width: 46rem) 42.5rem, calc(100vw - 2.5rem)',
  hero: '(min-width: 66rem) 64rem, calc(100vw - 2.5rem)',
} as const;

/** The widths of an image's variants: the standard ones below its width, and its own width when that is smaller than the largest. */
export function variantWidths(width: number): number[] {
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w < width);
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  if (width <= largest) widths.push(width);
  return widths;
}

/**
 * The formats an image's variants are offered in: AVIF and WebP, each only
 * where it is usually smaller than what the image already is. An AVIF
 * source gets no WebP (WebP is larger than AVIF at the same quality).
 */
export function variantFormats(facts: Pick<ImageFacts, 'type'>): VariantFormat[] {
  return VARIANT_FORMATS.filter((format) => !(facts.type === 'avif' && format === 'webp'));
}

/** One `<source>` of a picture. */
export interface PictureSource {
  readonly type: string;
  readonly srcset: string;
}

/** What a view needs to write a responsive image (the hero). */
export interface PictureView {
  readonly width: number;
  readonly height: number;
  readonly sizes: string;
  readonly sources: readonly PictureSource[];
}

export function pictureSources(url: string, facts: ImageFacts): PictureSource[] {
  const widths = variantWidths(facts.width);
  return variantFormats(facts).map((format) => ({
    type: `image/${format}`,
    srcset: widths.map((w) => `${imageVariantUrl(url, w, facts.hash, format)} ${w}w`).join(', '),
  }));
}

export interface RewriteOptions {
  readonly catalog: ImageCatalog;
  readonly bundle: BundleRef | undefined;
  /** Feeds: width and height only, no `<picture>` (feed readers drop or mangle it, and lay images out themselves). */
  readonly feed?: boolean;
}

export interface Rewritten {
  readonly html: string;
  /** The image files the HTML was made from: the page is current only while they are unchanged. */
  readonly files: FileDependency[];
}

/** The start tag of an image; attributes are read inside it only. */
const IMG = /<img\s[^<>]*>/gi;

/**
 * The images of one page made responsive, at most; later ones are left as
 * written. Each costs an open and an `fstat` (`prepareImages`) and a rewrite
 * on the main thread: a post of 100,000 `<img>` held the event loop 2.8 s
 * and grew to 35 MB of HTML.
 */
export const MAX_RESPONSIVE_IMAGES = 200;

/** The `src` of each image `responsiveHtml` would rewrite, in order. */
export function imageSources(html: string): string[] {
  const sources: string[] = [];
  for (const [tag] of html.matchAll(IMG)) {
    if (sources.length >= MAX_RESPONSIVE_IMAGES) break;
    const src = attribute(tag, 'src');
    if (src !== undefined) sources.push(src);
  }
  return sources;
}

/**
 * Reads (once per change of each file) what `responsiveHtml` needs about the
 * images of `html`: awaited before the page is rendered, which is synchronous.
 */
export function prepareImages(html: string, catalog: ImageCatalog, bundle: BundleRef | undefined): Promise<void> {
  return catalog.prepare(imageSources(html), bundle);
}

/** Rewrites the images of `html` from what `prepareImages` read (an image it did not prepare is left as written). */
export function responsiveHtml(html: string, options: RewriteOptions): Rewritten {
  const files: FileDependency[] = [];
  let seen = 0;
  const out = html.replace(IMG, (tag) => {
    if (seen >= MAX_RESPONSIVE_IMAGES) return tag;
    const src = attribute(tag, 'src');
    if (src === undefined) return tag;
    seen++;
    const image = options.catalog.find(src, options.bundle);
    if (!image) return tag;
    files.push({ path: image.file, signature: image.signature });
    return rewriteTag(tag, src, image, options.feed ?? false);
  });
  return { html: out, files };
}

function rewriteTag(tag: string, src: string, image: LocalImage, feed: boolean): string {
  const { probe } = image;
  if (!probe.ok) {
    // Never shown, never decoded by a browser either: a link lets the reader fetch it knowingly.
    const label = attribute(tag, 'alt') || src.split('/').pop() || src;
    return `<a class="image-link" href="${escapeHtml(src)}">${escapeHtml(label)}</a>`;
  }
  let img = tag;
  if (attribute(tag, 'width') === undefined && attribute(tag, 'height') === undefined) {
    img = img.replace(/\s*\/?>$/, ` width="${probe.width}" height="${probe.height}">`);
  }
  if (feed) return img;
  const sources = pictureSources(src, probe)
    .map((s) => `<source type="${s.type}" srcset="${escapeHtml(s.srcset)}" sizes="${SIZES.body}">`)
    .join('');
  return `<picture>${sources}${img}</picture>`;
}

/** The value of an attribute in a start tag, unescaped; `undefined` when absent. */
function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
