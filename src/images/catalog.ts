/**
 * Which local file an image URL names, and what is known of it. The facts
 * (dimensions, hash, or why the image is refused) are kept per file and
 * signature, so a page rendered again reads no image unless it changed:
 * one open and `fstat` per image per render, and a header read plus a hash
 * only after an edit. Bounded: past `maxEntries` the least recently used
 * are forgotten.
 *
 * Finding and reading are asynchronous (`prepare`, `resolve`): a large image
 * is hashed a chunk at a time, so no render holds the event loop while it
 * reads (docs/security.md, the render budget). Pages are rendered
 * synchronously from EJS views, so the renderer asks `find`, which answers
 * from memory what the page's `prepare` just found (docs/rich-content.md,
 * Images).
 */
import { promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { sameSignature } from '../content/find-posts.js';
import type { FileSignature } from '../content/post.js';
import { staticDirOf } from '../content/static-files.js';
import { bundleFileOf } from '../content/urls.js';
import { isServableBundlePath } from '../content/servable-files.js';
import { isInside } from '../files/inside.js';
import { OPEN_NOW } from '../files/read-regular.js';
import { probeOpened, RESIZABLE, type ImageProbe } from './probe.js';

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

interface Known {
  readonly signature: FileSignature;
  readonly probe: ImageProbe;
}

/** Errors that mean "no such file here": the URL names no local image. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

export class ImageCatalog {
  /** Facts per real file, with the signature they were read at. */
  private readonly known = new Map<string, Known>();
  /** The real file (or none) each URL of a bundle named when it was last resolved. */
  private readonly named = new Map<string, string | null>();
  /** Files being read now: a second page asking for one waits for the same read. */
  private readonly reading = new Map<string, Promise<LocalImage | undefined>>();

  constructor(
    /** The content folder: `static/` in it holds the site-wide files served at the root. */
    private readonly contentDir: string,
    private readonly maxEntries = 4096,
  ) {}

  /**
   * Resolves and reads (once per signature) the images these URLs name, one
   * after another (each read takes a thread of libuv's pool, which static
   * files share), so that `find` can answer for them.
   */
  async prepare(urls: Iterable<string>, bundle: BundleRef | undefined): Promise<void> {
    for (const url of new Set(urls)) await this.resolve(url, bundle);
  }

  /**
   * The local image a site path names (`/posts/<slug>/a.jpg` of `bundle`,
   * `/a.jpg` of `content/static/`, else `/images/a.jpg` at its place in the content folder), or `undefined` for anything else:
   * remote images, other posts' files, files that do not exist, and kinds
   * that are not resized (SVG is already any size).
   */
  async resolve(url: string, bundle: BundleRef | undefined): Promise<LocalImage | undefined> {
    const file = await this.fileOf(url, bundle);
    const image = file === undefined ? undefined : await this.lookup(file);
    remember(this.named, nameKey(url, bundle), image ? image.file : null, this.maxEntries);
    return image;
  }

  /** What the last `prepare` or `resolve` of `url` found; `undefined` for a URL never prepared. Reads nothing. */
  find(url: string, bundle: BundleRef | undefined): LocalImage | undefined {
    const file = this.named.get(nameKey(url, bundle));
    const known = file ? this.known.get(file) : undefined;
    return file && known ? { file, ...known } : undefined;
  }

  /** The facts of an absolute image file, read once per signature. Never rejects. */
  lookup(file: string): Promise<LocalImage | undefined> {
    const pending = this.reading.get(file);
    if (pending) return pending;
    const job = this.read(file).finally(() => this.reading.delete(file));
    this.reading.set(file, job);
    return job;
  }

  /** Opened without blocking, then judged by its handle: a FIFO named `x.png` is a named problem, never a hang. */
  private async read(file: string): Promise<LocalImage | undefined> {
    let handle: FileHandle;
    try {
      handle = await fs.open(file, OPEN_NOW);
    } catch (err) {
      return this.unopenable(file, err as NodeJS.ErrnoException);
    }
    try {
      const stats = await handle.stat();
      const signature = signatureOf(stats);
      const known = this.known.get(file);
      const entry = known && sameSignature(known.signature, signature) ? known : { signature, probe: await probeOpened(handle, stats) };
      remember(this.known, file, entry, this.maxEntries);
      return { file, ...entry };
    } catch {
      return undefined;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** A file that exists but cannot be opened (no permission, a socket) is a problem the page and `check` name. */
  private async unopenable(file: string, err: NodeJS.ErrnoException): Promise<LocalImage | undefined> {
    if (ABSENT.has(err.code ?? '')) return undefined;
    const stats = await fs.stat(file).catch(() => undefined);
    if (!stats) return undefined;
    const entry: Known = { signature: signatureOf(stats), probe: { ok: false, message: `cannot be opened (${err.code ?? err.message})` } };
    remember(this.known, file, entry, this.maxEntries);
    return { file, ...entry };
  }

  /** The real path of the file `url` names, judged by its real target like every served file. */
  async fileOf(url: string, bundle: BundleRef | undefined): Promise<string | undefined> {
    if (!url.startsWith('/') || url.startsWith('//')) return undefined;
    const inBundle = bundle && bundleFileOf(bundle.slug, url);
    const rest = inBundle ?? url.slice(1).split(/[?#]/)[0]!;
    // The same folders and rules as src/routes/static-files.ts: `static/` first, then the file at its place.
    const roots = inBundle !== undefined ? [bundle!.dir] : [staticDirOf(this.contentDir), this.contentDir];
    // Another post's bundle is not this page's; `/posts/...` is never a static file.
    if (inBundle === undefined && rest.startsWith('posts/')) return undefined;
    let segments: string[];
    try {
      segments = rest.split('/').map(decodeURIComponent);
    } catch {
      return undefined;
    }
    if (!isServableBundlePath(segments) || !RESIZABLE.test(segments.at(-1)!)) return undefined;
    for (const root of roots) {
      const found = await imageIn(root, segments);
      if (found) return found;
    }
    return undefined;
  }
}

/** The real path of an image file `segments` names inside `root`, judged by its real target. */
async function imageIn(root: string, segments: readonly string[]): Promise<string | undefined> {
  try {
    const [realRoot, target] = await Promise.all([fs.realpath(root), fs.realpath(path.join(root, ...segments))]);
    // The target's own name must be an image too (a.png -> page.html is not one).
    return isInside(realRoot, target) && RESIZABLE.test(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

function signatureOf(stats: Stats): FileSignature {
  return { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, size: stats.size, ino: stats.ino };
}

function nameKey(url: string, bundle: BundleRef | undefined): string {
  return bundle ? `${bundle.dir}\0${bundle.slug}\0${url}` : `\0\0${url}`;
}

/** Sets `key` as the most recently used, forgetting the least recently used past `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
