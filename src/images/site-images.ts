/**
 * The images part of the site, made once by `createApp`: the catalog of
 * local images (facts per file signature), their variants (disk cache plus
 * one job per source) and the social cards. The renderer asks it for
 * markup; the image routes ask it for bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ImageCatalog } from './catalog.js';
import { DiskCache } from './disk-cache.js';
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

function readStylesheet(publicDir: string): string | undefined {
  try {
    return readFileSync(path.join(publicDir, 'style.css'), 'utf8');
  } catch {
    return undefined;
  }
}
