/**
 * Resized, re-encoded variants of an image, made with sharp (libvips, on
 * libuv's thread pool: never on the event loop). All the variants of one
 * source are made together, from one decode: the first request of any of
 * them starts the job, later ones wait for it, and each is then kept in the
 * disk cache under the source's hash. Decoding is bounded
 * (`limitInputPixels`) and strict (`failOn`), so a bomb or a corrupt file
 * fails the job instead of holding memory or a thread.
 *
 * Jobs go through a bounded queue (`VARIANT_JOBS` at once, at most
 * `MAX_WAITING_VARIANT_JOBS` waiting) and each job runs one sharp task at a
 * time on one libvips thread, so sharp holds at most `VARIANT_JOBS` of
 * libuv's four threads and file reads keep the rest (docs/rich-content.md,
 * Images: the figures before and after).
 */
import type { Sharp, SharpOptions } from 'sharp';
import type { VariantFormat } from '../content/urls.js';
import type { DiskCache } from './disk-cache.js';
import { JobQueue } from './job-queue.js';
import { MAX_IMAGE_PIXELS, readImage, type ImageFacts } from './probe.js';
import { variantFormats, variantWidths } from './responsive.js';

/**
 * Variant jobs (one source's decode and encodes) run at once. One: on the
 * 2-core machines Lede is sized for, one libvips thread leaves a core to
 * the event loop and three of libuv's threads to file reads.
 */
export const VARIANT_JOBS = 1;

/**
 * Sources whose variants may wait for their turn. A page with more new
 * images than this at once (or a crawler asking for many) gets the rest
 * redirected to the originals: the reader sees every picture, larger, where
 * a 503 would leave a broken image (a `<picture>` never falls back from a
 * failed source to its `<img>`).
 */
export const MAX_WAITING_VARIANT_JOBS = 8;

/**
 * libvips threads per sharp task (its default is one per core) and no
 * operation cache: variants are kept in the disk cache, so the cache only
 * held decoded pixels (up to 50 MB) that are never asked for again.
 */
export const SHARP_THREADS = 1;

type SharpFactory = (input: Buffer, options?: SharpOptions) => Sharp;
let sharpLoading: Promise<SharpFactory> | undefined;

/**
 * sharp (libvips, about 20 MB on disk and 150-250 ms to load) is loaded by
 * the first variant made, not when the server starts: a site whose pages
 * ask for no variant never loads it.
 */
function loadSharp(): Promise<SharpFactory> {
  sharpLoading ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(SHARP_THREADS);
    sharp.cache(false);
    return sharp;
  });
  return sharpLoading;
}

export interface Variant {
  readonly width: number;
  readonly format: VariantFormat;
  readonly data: Buffer;
}

/**
 * Encoder settings: quality close to the original's look, at a low effort
 * (AVIF's default effort took seconds for one 1600 px image on one core here;
 * effort 0 makes all six variants of a 4000 x 3000 JPEG in about 0.4 s).
 */
const ENCODE = {
  avif: { quality: 55, effort: 0 },
  webp: { quality: 78, effort: 2 },
} as const;

/** Every variant of `file` (the widths `variantWidths` gives, in the formats `variantFormats` gives). Rejects on a file that cannot be decoded. */
export async function makeVariants(file: string, facts: Pick<ImageFacts, 'width' | 'type'>): Promise<Variant[]> {
  const widths = variantWidths(facts.width);
  const largest = Math.max(...widths);
  // Read by us, not opened by libvips on a pool thread: a FIFO swapped in since the page was made is refused, not waited on.
  const bytes = await readImage(file);
  const sharp = await loadSharp();
  // One decode, turned upright (EXIF orientation), shrunk to the largest width (JPEG shrinks while decoding).
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', pages: 1, sequentialRead: true })
    .rotate()
    .resize({ width: largest, withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const variants: Variant[] = [];
  // One after another: each encode holds a thread of libuv's pool while it runs.
  for (const width of widths) {
    for (const format of variantFormats(facts)) {
      let pipeline = sharp(data, raw);
      if (width < info.width) pipeline = pipeline.resize({ width });
      const encoded = await (format === 'avif' ? pipeline.avif(ENCODE.avif) : pipeline.webp(ENCODE.webp)).toBuffer();
      variants.push({ width, format, data: encoded });
    }
  }
  return variants;
}

/** The disk cache's name of one variant. */
export function variantName(hash: string, width: number, format: VariantFormat): string {
  return `${hash}-${width}.${format}`;
}

/** Thrown when a source cannot be decoded (corrupt past its header). */
export class UndecodableImage extends Error {
  override name = 'UndecodableImage';
}

/**
 * The variants of the sources the site shows, from the disk cache, else made
 * once (one job per source at a time). A source that failed is not tried
 * again until it changes (its hash changes).
 */
export class VariantStore {
  private readonly jobs = new Map<string, Promise<Variant[]>>();
  private readonly failed = new Set<string>();
  private readonly queue = new JobQueue(VARIANT_JOBS, MAX_WAITING_VARIANT_JOBS);

  constructor(private readonly disk: DiskCache) {}

  /** One variant's bytes. Rejects with `QueueFull` (src/images/job-queue.ts) when too many sources wait for their variants. */
  async get(file: string, facts: ImageFacts, width: number, format: VariantFormat): Promise<Buffer> {
    const name = variantName(facts.hash, width, format);
    const kept = await this.disk.read(name);
    if (kept) return kept;
    if (this.failed.has(facts.hash)) throw new UndecodableImage(file);
    let job = this.jobs.get(facts.hash);
    if (!job) {
      job = this.queue.run(() => this.make(file, facts));
      this.jobs.set(facts.hash, job);
      void job.catch(() => undefined).finally(() => this.jobs.delete(facts.hash));
    }
    const variants = await job;
    const wanted = variants.find((v) => v.width === width && v.format === format);
    if (!wanted) throw new UndecodableImage(file);
    return wanted.data;
  }

  private async make(file: string, facts: ImageFacts): Promise<Variant[]> {
    let variants: Variant[];
    try {
      variants = await makeVariants(file, facts);
    } catch (err) {
      if (this.failed.size > 10_000) this.failed.clear();
      this.failed.add(facts.hash);
      throw new UndecodableImage(`${file}: ${(err as Error).message}`);
    }
    for (const v of variants) await this.disk.write(variantName(facts.hash, v.width, v.format), v.data);
    return variants;
  }
}
