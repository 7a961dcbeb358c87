/**
 * The content store: the posts of the content folder as they are now. This
 * class is the one door to them; each job is a part of its own:
 *
 * - src/content/folder-scan.ts: listing the folder, reading the post files
 *   that changed (src/content/read-post-file.ts) and installing a snapshot;
 *   a whole new folder is read in slices;
 * - src/content/named-files.ts: the files a watch event or a reader named,
 *   looked at alone, and the snapshot patched;
 * - src/content/scan-timing.ts: when to list the folder again (the watch,
 *   the once-a-second check, the safety round);
 * - src/content/content-root.ts: which folder the content folder is, through
 *   deploys that swap it;
 * - src/content/writes-in-progress.ts: files being written, read again once
 *   they settle (docs/security.md, "Writes in progress");
 * - src/content/post-defaults.ts: the settings and authors the posts are
 *   parsed with;
 * - src/content/snapshot-feed.ts: the snapshot, its change feed and the site
 *   view.
 *
 * A post that breaks keeps being served in its last good form
 * (docs/authoring.md); how the parts fit is in docs/how-it-is-built.md.
 */
import { statSync } from 'node:fs';
import type { AuthorProfile } from './author-directory.js';
import { sameSignature } from './find-posts.js';
import { ContentRoot, type RootState } from './content-root.js';
import { FolderScan } from './folder-scan.js';
import { applyNamedFiles, type NamedFilesParts } from './named-files.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { PostDefaultsSource } from './post-defaults.js';
import { ScanTiming } from './scan-timing.js';
import type { SiteView } from './site-view.js';
import type { BrokenPost, ChangeListener, Snapshot } from './snapshot.js';
import { SnapshotFeed } from './snapshot-feed.js';
import { resolveStoreOptions, type ResolvedStoreOptions, type StoreOptions } from './store-options.js';
import { WritesInProgress } from './writes-in-progress.js';

export type { BrokenPost, ChangeListener, Snapshot, SnapshotChange } from './snapshot.js';
export type { SiteView } from './site-view.js';
export type { StoreOptions } from './store-options.js';
export { DEFAULT_BODY_MEMORY_BYTES, DEFAULT_MAX_FILE_BYTES } from './read-post-file.js';
export { SETTLE_MS } from './writes-in-progress.js';

export class ContentStore {
  readonly contentDir: string;
  private readonly options: ResolvedStoreOptions;
  private readonly root: ContentRoot;
  private readonly defaults: PostDefaultsSource;
  private readonly feed: SnapshotFeed;
  private readonly writes: WritesInProgress;
  private readonly timing: ScanTiming;
  private readonly folder: FolderScan;
  private readonly named: NamedFilesParts;
  /** A new folder being read in slices (`FolderScan.reload`); scans wait for it. */
  private reloading: Promise<void> | undefined;
  /** The first read of the folder, once started. */
  private firstReading: Promise<void> | undefined;

  constructor(options: StoreOptions) {
    const resolved = resolveStoreOptions(options);
    const { contentDir, logger } = resolved;
    const now = (): number => this.options.now();
    this.options = resolved;
    this.contentDir = contentDir;
    this.root = new ContentRoot(contentDir, logger, now);
    this.defaults = new PostDefaultsSource(contentDir, resolved.defaults, resolved.settings, resolved.followSettings);
    this.feed = new SnapshotFeed(resolved.showDrafts, now);
    this.writes = new WritesInProgress(
      resolved.settleMs,
      (files) => {
        if (!this.applyPaths(files)) this.refreshSync(true);
      },
      (file) => this.entries.has(file),
      logger,
    );
    const { watch, maxAgeMs, rescanEveryMs } = resolved;
    this.timing = new ScanTiming(this.root, { watch, maxAgeMs, rescanEveryMs, logger }, () => this.view());
    const { maxFileBytes, bodyMemoryBytes, relPrefix, parse, list, onChanged } = resolved;
    this.folder = new FolderScan(
      { contentDir, maxFileBytes, bodyMemoryBytes, relPrefix, parse, list, now, logger, onChanged },
      { feed: this.feed, defaults: this.defaults, timing: this.timing, writes: this.writes },
    );
    this.named = { root: this.root, scan: this.folder, feed: this.feed, timing: this.timing, relPrefix, onChanged };
  }

  /** The store's post files as last read (src/content/folder-scan.ts). */
  private get entries(): FolderScan['entries'] {
    return this.folder.entries;
  }

  /** The last listing, kept up to date by named files (test/unit/store-listing-reuse.test.ts reads it). */
  private get lastFound(): FolderScan['lastFound'] {
    return this.folder.lastFound;
  }

  private get snapshot(): Snapshot {
    return this.feed.snapshot;
  }

  /**
   * The change feed: `listener` is told, synchronously, of every post that
   * enters or leaves the snapshot from now on (a search index stays current
   * by applying these instead of reading every post again). It first gets
   * the posts already there as added. Returns the unsubscribe function.
   */
  onChange(listener: ChangeListener): () => void {
    return this.feed.onChange(listener);
  }

  /** What links resolve against (src/content/link-site.ts): the snapshot and the media files the last listing found. Reads nothing. */
  linkSources(): { readonly snapshot: Snapshot; readonly media: readonly string[]; readonly showDrafts: boolean } {
    return { snapshot: this.snapshot, media: this.lastFound.media, showDrafts: this.options.showDrafts };
  }

  /** Stops watching the folder. */
  close(): void {
    this.timing.close();
    this.writes.close();
  }

  /** The snapshot, scanning first when the folder may have changed (or `force`). */
  async refresh(force = false): Promise<Snapshot> {
    if (this.snapshot.version === 0) await this.firstRead();
    return this.refreshSync(force);
  }

  /**
   * The first read of the folder, parsed in slices as a new release is: 800
   * posts took 150 ms to parse, which held the loop of a server that was
   * already listening (docs/security.md, "One budget for the main thread").
   * Requests wait for it; nothing sees a half-read folder.
   */
  private firstRead(): Promise<void> {
    if (!this.firstReading) {
      this.followRoot();
      // A read that failed (the folder unreadable for a moment) is tried again by the next request.
      this.firstReading = this.folder.reload().catch((err: unknown) => {
        this.firstReading = undefined;
        throw err;
      });
      this.reloading = this.firstReading.catch(() => undefined).finally(() => (this.reloading = undefined));
    }
    return this.firstReading;
  }

  /**
   * The scan is synchronous: listing and `stat`ing 10,000 files this way
   * takes a few milliseconds, and no request ever sees a half-made snapshot.
   */
  private refreshSync(force: boolean, started = this.options.now()): Snapshot {
    // Before the first read is done there is nothing to patch or scan: `refresh()` awaits it.
    if (this.snapshot.version === 0) {
      void this.firstRead().catch(() => undefined);
      return this.snapshot;
    }
    if (!force) this.timing.applyWatchEvents((paths) => this.applyPaths(paths));
    if (!force && !this.timing.needsScan(started, this.entries, this.defaults)) return this.snapshot;
    const snapshot = this.scan();
    this.timing.scanned(started);
    return snapshot;
  }

  private scan(): Snapshot {
    const root = this.followRoot();
    if (root === 'missing' || this.reloading) return this.snapshot;
    if (root === 'moved') {
      // A new release: every file is new to the store. Parsed in slices, the last good snapshot served meanwhile.
      this.reloading = this.folder.reload().finally(() => (this.reloading = undefined));
      return this.snapshot;
    }
    return this.folder.scan();
  }

  /** Follows the content folder through deploys; a moved one is watched anew. */
  private followRoot(): RootState {
    const state = this.root.follow(this.snapshot.version > 0);
    if (state === 'moved') this.timing.rewatch();
    return state;
  }

  /** These files' posts brought up to date without a listing; false when one calls for it (src/content/named-files.ts). */
  private applyPaths(paths: readonly string[]): boolean {
    return applyNamedFiles(paths, this.named, this.reloading !== undefined);
  }

  /** A post that cannot be rendered is a content error until its file changes (src/content/folder-scan.ts). */
  markUnrenderable(post: Post, error: ContentError): void {
    this.folder.markUnrenderable(post, error);
  }

  /** The version of `post`'s file shown before it (src/content/folder-scan.ts). */
  previousVersion(post: Post): Post | undefined {
    return this.folder.previousVersion(post);
  }

  /** What readers see now. */
  async view(): Promise<SiteView> {
    const snapshot = await this.refresh();
    return this.feed.viewOf(snapshot, this.options.now());
  }

  /**
   * The key of the current view, or `undefined` when the view must be built
   * again first (the folder changed, or a future post went live). Scans
   * first when one is due, as `view()` does; usually that is no I/O at all.
   */
  currentViewKey(): string | undefined {
    const now = this.options.now();
    this.refreshSync(false, now);
    return this.feed.viewKey(now);
  }

  /**
   * A published post by slug, checked against its file first. An unknown
   * slug looks again at once when the folder itself changed (a post was just
   * added or renamed), so its URL works on the next request.
   */
  async getPost(slug: string): Promise<Post | undefined> {
    let view = await this.view();
    let post = view.bySlug.get(slug);
    // A broken post being fixed changes its own file, not the folder: look again at once, at that file alone.
    if (!post) {
      const brokenFile = this.changedBrokenFile(slug);
      if (brokenFile !== undefined && this.applyPaths([brokenFile])) {
        view = await this.view();
        post = view.bySlug.get(slug);
      }
    }
    if (!post && this.timing.folderChanged()) {
      await this.refresh(true);
      view = await this.view();
      post = view.bySlug.get(slug);
    }
    // Its own file changed: read that file again, not the whole folder.
    if (post && !this.isUnchanged(post.file)) {
      if (!this.applyPaths([post.file])) await this.refresh(true);
      view = await this.view();
      post = view.bySlug.get(slug);
    }
    // Just seen mid-write: wait once for it to settle (listings show the last good version meanwhile).
    const settling = this.writes.size ? this.writes.fileOf(slug, post, (file) => this.entries.get(file)?.source) : undefined;
    if (settling !== undefined) {
      await this.writes.settled(settling);
      view = await this.view();
      post = view.bySlug.get(slug);
    }
    return post;
  }

  /** True when the file is as the store last saw it (one `stat`). */
  isUnchanged(file: string): boolean {
    const entry = this.entries.get(file);
    if (!entry) return false;
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats !== undefined && sameSignature(stats, entry.signature);
  }

  /** The problem of a post file as the store last read it; `undefined` when it parsed. */
  currentError(file: string): ContentError | undefined {
    const entry = this.entries.get(file);
    return entry && !entry.result.ok ? entry.result.error : undefined;
  }

  /** The problem of a file that would be the post at `slug` but has no good version. */
  problemFor(slug: string): BrokenPost | undefined {
    return this.snapshot.broken.get(slug);
  }

  /** The file of the broken post at `slug`, when it changed since it was read. */
  private changedBrokenFile(slug: string): string | undefined {
    const file = this.snapshot.broken.get(slug)?.file;
    return file !== undefined && !this.isUnchanged(file) ? file : undefined;
  }

  /** The profile (bio, link, avatar) `authors.yml` gives an author, by name. */
  authorProfile(name: string): AuthorProfile | undefined {
    return this.defaults.authorProfile(name);
  }

  /** The signature the store last saw for one of its post files. */
  signatureOf(file: string): FileSignature | undefined {
    return this.entries.get(file)?.signature;
  }

  /** Every post file that parsed (its last good version while broken), slug clashes' losers too: for `check`. */
  *parsedPosts(): Iterable<Post> {
    for (const entry of this.entries.values()) {
      const post = entry.result.ok ? entry.result.post : entry.lastGood;
      if (post) yield post;
    }
  }

  /** Every content problem found by the last scan. */
  async errors(): Promise<readonly ContentError[]> {
    return (await this.refresh()).errors;
  }
}
