/**
 * Which folder the content folder is: its real path, followed through
 * deploys (docs/deploying.md, "Deploys that swap the content folder";
 * docs/security.md, "Deploys"). A `CONTENT_DIR` symlink swapped to a new
 * release (`current -> releases/N+1`), or a folder back after a moment
 * missing (a `git clone` replacing it), is `moved`: the store watches it anew
 * and reads it again as a whole. While it is `missing` (after a first good
 * read) the last good posts stay served. Each gap is logged once.
 */
import { realpathSync } from 'node:fs';

export interface RootLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export type RootState = 'same' | 'moved' | 'missing';

export class ContentRoot {
  /** The real folder of the last look: a `CONTENT_DIR` symlink swapped to a new release changes it. */
  private realRoot: string | undefined;
  /** Since when the content folder has been missing (a deploy replacing it), if it is. */
  private missingSince: number | undefined;

  constructor(
    readonly dir: string,
    private readonly logger: RootLogger | undefined,
    private readonly now: () => number,
  ) {}

  /** The real path of the folder at the last look, when it was there. */
  get real(): string | undefined {
    return this.realRoot;
  }

  get missing(): boolean {
    return this.missingSince !== undefined;
  }

  /** The real path of the folder now, `undefined` when it is missing. */
  realNow(): string | undefined {
    try {
      return realpathSync(this.dir);
    } catch {
      return undefined;
    }
  }

  /** Looks at the folder's real path now; `everRead` is false before the first good read (a missing folder is then the scan's error to report). */
  follow(everRead: boolean): RootState {
    const root = this.realNow();
    const now = this.now();
    if (root === undefined) {
      if (!everRead) return 'same';
      if (this.missingSince === undefined) {
        this.missingSince = now;
        this.logger?.warn({ contentDir: this.dir }, 'the content folder is missing; serving the last good pages until it is back');
      }
      return 'missing';
    }
    let moved = false;
    if (this.missingSince !== undefined) {
      this.logger?.warn({ contentDir: this.dir, gapMs: now - this.missingSince }, `the content folder is back after ${now - this.missingSince} ms`);
      this.missingSince = undefined;
      moved = true;
    } else if (this.realRoot !== undefined && root !== this.realRoot) {
      this.logger?.info({ contentDir: this.dir, from: this.realRoot, to: root }, 'the content folder now points to a new release');
      moved = true;
    }
    this.realRoot = root;
    return moved ? 'moved' : 'same';
  }
}
