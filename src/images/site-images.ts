/**
 * The images part of the site, made once by `createApp`: the catalog of
 * local images (facts per file signature), their variants (disk cache plus
 * one job per source) and the social cards. The renderer asks it for
 * markup; the image routes ask it for bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { ImageCatalog, type BundleRef } from './catalog.js';
import { DiskCache } from './disk-cache.js';
import { prepareImages } from './responsive.js';
import { cardHash, renderCard, themeColours, type CardColours, type CardText } from './social-card.js';
import { VariantStore } from './variants.js';

export class SiteImages {
  readonly catalog: ImageCatalog;
  readonly variants: VariantStore;
  readonly colours: CardColours;
  private readonly disk: DiskCache;
  private readonly cards = new Map<string, Promise<Buffer>>();

  constructor(config: Pick<Config, 'contentDir' | 'publicDir' | 'imageCacheDir' | 'imageCacheMaxBytes'>) {
    this.catalog = new ImageCatalog(config.contentDir);
    this.disk = new DiskCache(config.imageCacheDir, config.imageCacheMaxBytes);
    this.variants = new VariantStore(this.disk);
    this.colours = themeColours(readStylesheet(config.publicDir));
  }

  /**
   * Reads what an article shows of its images (its body's and its hero's),
   * awaited before the renderer's synchronous `article` (src/routes/posts.ts).
   */
  async prepareArticle(post: Post, bodyHtml: string): Promise<void> {
    await prepareImages(bodyHtml, this.catalog, bundleOf(post));
    await this.prepareHeroes([post]);
  }

  /** Reads the hero images of these posts' cards, awaited before a listing is rendered. */
  async prepareHeroes(posts: readonly Post[]): Promise<void> {
    for (const post of posts) {
      if (post.heroImage) await this.catalog.prepare([post.heroImage], bundleOf(post));
    }
  }

  cardHash(text: CardText): string {
    return cardHash(text, this.colours);
  }

  /** The card's PNG: from the disk cache, else drawn once (readers asking at once share the drawing). */
  async card(text: CardText): Promise<Buffer> {
    const name = `card-${this.cardHash(text)}.png`;
    const kept = await this.disk.read(name);
    if (kept) return kept;
    let job = this.cards.get(name);
    if (!job) {
      job = renderCard(text, this.colours).then(async (png) => {
        await this.disk.write(name, png);
        return png;
      });
      this.cards.set(name, job);
      void job.catch(() => undefined).finally(() => this.cards.delete(name));
    }
    return job;
  }
}

/** The bundle a post's relative images name, as the renderer passes it to the catalog. */
export function bundleOf(post: Post): BundleRef | undefined {
  return post.bundleDir ? { slug: post.slug, dir: post.bundleDir } : undefined;
}

function readStylesheet(publicDir: string): string | undefined {
  try {
    return readFileSync(path.join(publicDir, 'style.css'), 'utf8');
  } catch {
    return undefined;
  }
}
