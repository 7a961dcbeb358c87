/**
 * When the store lists its folder again. Unwatched, when the last listing is
 * older than `maxAgeMs`. Watched (src/content/folder-watch.ts), soon after an
 * event that named no file it can look at alone (src/content/named-change.ts),
 * and, once a second while it is quiet, when a folder of posts gained or lost
 * an entry, the folder is another release (src/content/content-root.ts), or
 * the safety round saw a post file changed that no event named
 * (src/content/safety-round.ts). While the folder is missing, it is looked
 * for every `RESCAN_AFTER_EVENT_MS`. The rules are in docs/how-it-is-built.md
 * and docs/deploying.md.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ContentRoot } from './content-root.js';
import type { FoundPosts } from './find-posts.js';
import { FolderWatch } from './folder-watch.js';
import type { NamedChange } from './named-change.js';
import type { FileSignature } from './post.js';
import { SafetyRound, safetyRoundMs } from './safety-round.js';

/**
 * After a watch event, the folder is listed again this soon: soon enough to
 * list a new post well within a second, seldom enough that a burst of events
 * (a `git pull` of many posts) costs a few scans, not one per event.
 */
export const RESCAN_AFTER_EVENT_MS = 50;

export interface ScanTimingOptions {
  readonly watch: boolean;
  /** How old a scan may be before the folder is listed again (unwatched), or checked (watched). */
  readonly maxAgeMs: number;
  /** Watched, every post file is still `stat`ed once this often. */
  readonly rescanEveryMs: number;
  readonly logger: Pick<Logger, 'warn'> | undefined;
}

/** What else a listing reads, asked once a safety round and at each look. */
export interface OtherFiles {
  /** Followed settings give posts another author or time zone than they were parsed with. */
  followedChanged(): boolean;
  /** The settings or authors file changed on disk. */
  changedOnDisk(): boolean;
}

export class ScanTiming {
  private watch: FolderWatch | undefined;
  /** The scan due after a watch event, when one is pending. */
  private scanTimer: NodeJS.Timeout | undefined;
  /** When the snapshot was last known to match the folder. */
  private scannedAt = Number.NEGATIVE_INFINITY;
  /** How long the last listing of the folder took, in real time: the safety rounds are as long as listings were spaced. */
  private listingMs = 0;
  private readonly safetyRound = new SafetyRound();
  private folderMtimeMs: number | undefined;
  private subFolderMtimes = new Map<string, number | undefined>();

  /** @param scanInBackground scans the folder and builds the site view, off any request. */
  constructor(
    private readonly root: ContentRoot,
    private readonly options: ScanTimingOptions,
    private readonly scanInBackground: () => Promise<unknown>,
  ) {
    if (options.watch) this.watch = this.openWatch();
  }

  close(): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    this.watch?.close();
  }

  /** A watch follows the folder it was opened on: a new release needs a new one. */
  rewatch(): void {
    if (!this.watch) return;
    this.watch.close();
    this.watch = this.openWatch();
  }

  /**
   * The files the watch's events named, given to `apply` to be looked at
   * alone: with 10,000 posts a listing (a `stat` per file) took 60 ms and
   * more of the request that came first after an edit or a new post. When
   * `apply` says they call for a listing, the watch stays dirty and
   * `needsScan` lists the folder.
   */
  applyWatchEvents(apply: (paths: readonly string[]) => boolean): void {
    const watch = this.watch;
    if (!watch?.healthy || !watch.dirty) return;
    const named = watch.takeNamed();
    if (named === undefined) return;
    if (!named.length || apply(named)) watch.dirty = false;
    else watch.needsListing();
  }

  /** Whether the folder must be listed again at `now`; a quiet check of a watched folder counts as a scan. */
  needsScan(now: number, files: ReadonlyMap<string, { readonly signature: FileSignature }>, other: OtherFiles): boolean {
    const age = now - this.scannedAt;
    // The folder is gone for a moment (a deploy): look for it again soon, serving the last good pages meanwhile.
    if (this.root.missing) return age >= RESCAN_AFTER_EVENT_MS;
    if (other.followedChanged()) return true;
    const watch = this.watch;
    if (!watch?.healthy) return age >= this.options.maxAgeMs;
    if (watch.dirty) return age >= RESCAN_AFTER_EVENT_MS;
    if (age < this.options.maxAgeMs) return false;
    // Watched and quiet: one `stat` of the folder a second still catches a post added or removed,
    // and a share of the post files a change in place the watch missed.
    if (this.folderChanged()) return true;
    const step = this.safetyRound.step(files, now, safetyRoundMs(this.options.rescanEveryMs, this.listingMs));
    if (step === 'changed' || (step === 'round-done' && (this.root.realNow() !== this.root.real || other.changedOnDisk()))) return true;
    this.scannedAt = now;
    return false;
  }

  /** True when a folder of posts (the content folder or one of its sub-folders) gained or lost an entry since the scan, or the folder is another one now. */
  folderChanged(): boolean {
    const stats = statSync(this.root.dir, { throwIfNoEntry: false });
    if (stats?.mtimeMs !== this.folderMtimeMs) return true;
    // A deploy's symlink moved to a release whose folder has the same mtime (a copy keeping times): its real path tells.
    if (this.root.real !== undefined && this.root.realNow() !== this.root.real) return true;
    for (const [dir, mtimeMs] of this.subFolderMtimes) if (statSync(dir, { throwIfNoEntry: false })?.mtimeMs !== mtimeMs) return true;
    return false;
  }

  /** Right before a listing: an event during it marks the folder dirty again. */
  listing(): void {
    this.watch?.clean();
    this.folderMtimeMs = statSync(this.root.dir, { throwIfNoEntry: false })?.mtimeMs;
  }

  /** After a listing that took `listingMs`: its sub-folders of posts are checked, and its bundles and sub-folders watched. */
  listed(found: FoundPosts, listingMs: number): void {
    this.listingMs = listingMs;
    // Sub-folders of posts (`2023/`, `inside-rust/`): a post added to one is found as one added at the top is.
    // The content folder is looked at on its own; a whole blog repository's listing starts with its `_posts/` instead.
    const root = this.root.real ?? found.folders[0];
    this.subFolderMtimes = new Map(found.folders.filter((dir) => dir !== root).map((dir) => [dir, statSync(dir, { throwIfNoEntry: false })?.mtimeMs]));
    this.watch?.watchBundles(
      found.files.flatMap((f) => (f.bundleDir ? [f.bundleDir] : [])),
      found.folders,
    );
  }

  /** The snapshot matches the folder as of `at`: the next safety round starts then. */
  scanned(at: number): void {
    this.scannedAt = at;
    this.safetyRound.restart(at);
  }

  /** A post added or removed moves its folder's mtime: noted, so the once-a-second check does not list the folder for it. */
  noteFolders(changes: readonly NamedChange[]): void {
    for (const change of changes) {
      if (change.kind !== 'added' && change.kind !== 'removed') continue;
      const dir = path.dirname(change.file.file);
      if (dir === this.root.real) this.folderMtimeMs = statSync(this.root.dir, { throwIfNoEntry: false })?.mtimeMs;
      else if (this.subFolderMtimes.has(dir)) this.subFolderMtimes.set(dir, statSync(dir, { throwIfNoEntry: false })?.mtimeMs);
    }
  }

  private openWatch(): FolderWatch {
    return new FolderWatch(this.root.dir, this.options.logger, () => this.scanSoon());
  }

  /**
   * After a watch event: list the folder and build the site view on a timer,
   * once the burst settles, instead of in the next request. With 10,000 posts
   * that scan (a `stat` per file) took about 60 ms of CPU, which the first
   * reader of the index after a new post waited for. A request that comes
   * before the timer still scans itself (`needsScan`), so nothing is later.
   */
  private scanSoon(): void {
    if (this.scanTimer) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      // A request will scan and meet the same problem, where it is answered; the timer must not crash the server.
      this.scanInBackground().catch((err: unknown) =>
        this.options.logger?.warn({ err: (err as Error).message }, 'background scan of the content folder failed'),
      );
    }, RESCAN_AFTER_EVENT_MS);
    // Never keeps the process alive.
    this.scanTimer.unref();
  }
}
