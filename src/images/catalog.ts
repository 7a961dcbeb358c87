/**
 * Which local file an image URL names, and what is known of it. The facts
 * (dimensions, hash, or why the image is refused) are kept per file and
 * signature, so a page rendered again reads no image unless it changed:
 * one `stat` per image per render, and a header read plus a hash only after
 * an edit. Bounded: past `maxEntries` the least recently used are forgotten.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside, sameSignature } from '../content/find-posts.js';
import type { FileSignature } from '../content/post.js';
import { staticDirOf } from '../content/static-files.js';
import { bundleFileOf } from '../content/urls.js';
import { isServableBundlePath } from '../http/bundle-files.js';
import { probeImage, RESIZABLE, type ImageProbe } from './probe.js';

/** A local image file as a page refers to it. */
export interface LocalImage {
  /** Absolute real path. */
  readonly file: string;
  readonly signature: FileSignature;
  readonly probe: ImageProbe;
}

/** The page bundle whose files a page's relative images name. */
export interface BundleRef {
  readonly slug: string;
  readonly dir: string;
}

export class ImageCatalog {
  private readonly known = new Map<string, { signature: FileSignature; probe: ImageProbe }>();

  constructor(
    /** The content folder: `static/` in it holds the site-wide files served at the root. */
    private readonly contentDir: string,
    private readonly maxEntries = 4096,
  ) {}

  /**
   * The local image a site path names (`/posts/<slug>/a.jpg` of `bundle`,
   * or `/a.jpg` of `content/static/`), or `undefined` for anything else:
   * remote images, other posts' files, files that do not exist, and kinds
   * that are not resized (SVG is already any size).
   */
  find(url: string, bundle: BundleRef | undefined): LocalImage | undefined {
    const file = this.fileOf(url, bundle);
    return file === undefined ? undefined : this.lookup(file);
  }

  /** The facts of an absolute image file, probed once per signature. */
  lookup(file: string): LocalImage | undefined {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile()) return undefined;
    const signature: FileSignature = { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, size: stats.size, ino: stats.ino };
    const known = this.known.get(file);
    if (known && sameSignature(known.signature, signature)) {
      // Least recently used goes first: a hit moves to the end.
      this.known.delete(file);
      this.known.set(file, known);
      return { file, ...known };
    }
    const entry = { signature, probe: probeImage(file, stats.size) };
    this.known.delete(file);
    this.known.set(file, entry);
    for (const oldest of this.known.keys()) {
      if (this.known.size <= this.maxEntries) break;
      this.known.delete(oldest);
    }
    return { file, ...entry };
  }

  /** The real path of the file `url` names, judged by its real target like every served file. */
  fileOf(url: string, bundle: BundleRef | undefined): string | undefined {
    if (!url.startsWith('/') || url.startsWith('//')) return undefined;
    const inBundle = bundle && bundleFileOf(bundle.slug, url);
    const rest = inBundle ?? url.slice(1).split(/[?#]/)[0]!;
    // The same folder and rules as src/routes/static-files.ts; synchronous here, as rendering is.
    const root = inBundle !== undefined ? bundle!.dir : staticDirOf(this.contentDir);
    // Another post's bundle is not this page's; `/posts/...` is never a static file.
    if (inBundle === undefined && rest.startsWith('posts/')) return undefined;
    let segments: string[];
    try {
      segments = rest.split('/').map(decodeURIComponent);
    } catch {
      return undefined;
    }
    if (!isServableBundlePath(segments) || !RESIZABLE.test(segments.at(-1)!)) return undefined;
    try {
      const target = realpathSync(path.join(root, ...segments));
      // The target's own name must be an image too (a.png -> page.html is not one).
      return isInside(realpathSync(root), target) && RESIZABLE.test(target) ? target : undefined;
    } catch {
      return undefined;
    }
  }
}
