/**
 * The content store: the posts of the content folder as they are now.
 *
 * A scan lists the folder and `stat`s each post file; only files whose
 * signature (mtime, ctime, size, inode) changed are read and parsed again.
 * When the folder is watched (`watch`, src/content/folder-watch.ts), the
 * files its events name are looked at alone (src/content/named-change.ts:
 * one `stat` each, a parse when changed), and a post file a request sees
 * changed is too; the folder is listed again only when a name calls for it
 * (a bundle, a folder, a symlink), when the folder's own mtime moved without
 * an event (checked once a second), and when a post file is seen changed by
 * the safety round, which `stat`s a share of them each second so that each
 * is seen every `rescanEveryMs` in case an event was missed (longer for a
 * big folder, src/content/safety-round.ts). Unwatched, a scan runs when the
 * last one is older than `maxAgeMs`. Either way a new post is listed
 * within a second, and a scan runs at once when a post's own file is seen to
 * have changed. A post that breaks keeps being served in its last good form.
 *
 * The site settings (`_site.yml`) are content too: each scan asks them to
 * read the file again if it changed. A settings change makes a new snapshot
 * (so every cached page is made again), and a new default author or time
 * zone parses every post again; a broken settings file is one more content
 * error, while the last good settings stay in force.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { readAuthorDirectory, type AuthorDirectoryFile, type AuthorProfile } from './author-directory.js';
import { readPostBytes, type PostBytes } from './body-file.js';
import { UnreadableFile } from '../files/read-regular.js';
import { FolderWatch } from './folder-watch.js';
import { findPosts, MARKDOWN, sameSignature, signatureOf, type FoundPosts, type PostFile, type SkippedFile } from './find-posts.js';
import { classifyNamed, type NamedChange } from './named-change.js';
import { SafetyRound, safetyRoundMs } from './safety-round.js';
import { buildSiteView, patchSiteView, type PostSwap } from './site-view.js';
import { parsePost, type ParseResult, type PostDefaults } from './parse-post.js';
import { parseName, parsePostName } from './slug.js';
import { formatContentError, type ContentError, type FileSignature, type Post } from './post.js';
import { PatchedMap } from './patched-map.js';
import type { LiveSettings } from '../settings.js';

export interface StoreOptions {
  contentDir: string;
  /** The author and time zone of posts that name none; the live settings' win when given. */
  defaults: PostDefaults;
  /** The site settings, read again by each scan when `_site.yml` changed. */
  settings?: LiveSettings;
  /**
   * Site settings another store refreshes (the posts' store, for the
   * standalone pages): their author and time zone are followed, and a
   * change to them is a scan due, but the file is not read again here.
   */
  followSettings?: LiveSettings;
  /** Show drafts (outside production). */
  showDrafts: boolean;
  /** How old a scan may be before the folder is listed again. */
  maxAgeMs?: number;
  /** Files above this size are reported, not read. */
  maxFileBytes?: number;
  /**
   * When the post files together are larger than this, bodies stay in their
   * files (read when rendered or indexed) and only each file's first lines
   * are read to parse it: 100,000 posts of 8 KB held 800 MB of markdown.
   */
  bodyMemoryBytes?: number;
  /** How long a post file must stay unchanged to be read as written (`SETTLE_MS`); tests on a busy machine set more. */
  settleMs?: number;
  /** Watch the folder for changes instead of listing it every `maxAgeMs`. */
  watch?: boolean;
  /** Watched, every post file is still `stat`ed once this often (a share each second), in case the watch missed an event. */
  rescanEveryMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
  /** The parser of one post file (parsePost); a test wraps it to count parses. */
  parse?: typeof parsePost;
  /** The listing of the folder (findPosts); a test wraps it to count listings. */
  list?: typeof findPosts;
  /**
   * Put before every path in messages when the folder is inside the content
   * folder (`pages/` for the standalone pages), so a problem names the file
   * as the author sees it from the content folder.
   */
  relPrefix?: string;
  /**
   * Told of the posts each scan after the first parsed anew (new or changed
   * files), so they can be rendered once in the background: a post too slow
   * to render is then reported soon after it is saved, not when first read.
   */
  onChanged?: (posts: readonly Post[]) => void;
}

interface Entry {
  /** The file as last listed or looked at. */
  source: PostFile;
  signature: FileSignature;
  result: ParseResult;
  /** The last version of this file that parsed, served while it is broken. */
  lastGood: Post | undefined;
  /** The good version before `lastGood`: served instead if `lastGood` proves too slow to render. */
  previousGood: Post | undefined;
}

/** One consistent picture of the folder. */
export interface Snapshot {
  readonly version: number;
  /** Every valid post (drafts and future ones too), by slug. */
  readonly bySlug: ReadonlyMap<string, Post>;
  readonly errors: readonly ContentError[];
  /**
   * Files with no good version, by the slug their name would give: what the
   * URL of a broken post shows outside production.
   */
  readonly broken: ReadonlyMap<string, BrokenPost>;
  /** Files that look like posts and are not read, with why (for `check`; not errors). */
  readonly skipped: readonly SkippedFile[];
}

export interface BrokenPost {
  readonly error: ContentError;
  /** Absolute path, when the file is a post file the store read. */
  readonly file: string | undefined;
}

/** What readers see at one moment: published posts, newest first. */
export interface SiteView {
  /** Changes whenever anything a listing shows changes. */
  readonly key: string;
  readonly posts: readonly Post[];
  readonly bySlug: ReadonlyMap<string, Post>;
  /** The moment the next future-dated post goes live. */
  readonly validUntil: number;
  readonly errorCount: number;
}

/**
 * What changed between two snapshots, by post identity: an edited post is
 * its old version removed and its new one added. Drafts and future posts are
 * in it too (the snapshot holds every valid post); what readers may see is
 * still decided by the site view.
 */
export interface SnapshotChange {
  readonly added: readonly Post[];
  readonly removed: readonly Post[];
}

export type ChangeListener = (change: SnapshotChange) => void;

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Post files together up to this size are held in memory; above it, bodies are read from their files. */
export const DEFAULT_BODY_MEMORY_BYTES = 64 * 1024 * 1024;

/** Read to parse a post whose body stays in its file: the header of nearly every post fits (else the whole file is read). */
const HEAD_BYTES = 1024;

/**
 * After a watch event, the folder is listed again this soon: soon enough to
 * list a new post well within a second, seldom enough that a burst of events
 * (a `git pull` of many posts) costs a few scans, not one per event.
 */
const RESCAN_AFTER_EVENT_MS = 50;

/**
 * A post file whose mtime is younger than this may still be being written
 * (an editor or a copy writing in place, in several chunks): it is read
 * again once it is this old, and a reader waits for that at most this long
 * (docs/security.md, "Writes in progress").
 */
export const SETTLE_MS = 50;

/** The signature of an entry whose file was read while it was being written: never the file's, so it is read again. */
const UNSETTLED: FileSignature = { mtimeMs: -1, ctimeMs: -1, size: -1, ino: -1 };

/** What `load` gives for a file read mid-write. */
const SETTLING = Symbol('settling');

/** A reload of a whole new folder gives the event loop back this often. */
const RELOAD_SLICE_MS = 20;

export class ContentStore {
  readonly contentDir: string;
  private readonly options: Required<Omit<StoreOptions, 'logger' | 'settings' | 'followSettings' | 'onChanged'>> & Pick<StoreOptions, 'logger' | 'settings' | 'followSettings' | 'onChanged'>;
  /** The defaults the entries were parsed with. */
  private parsedWith: PostDefaults;
  private entries = new Map<string, Entry>();
  private current: Snapshot = { version: 0, bySlug: new Map(), errors: [], broken: new Map(), skipped: [] };
  private watch: FolderWatch | undefined;
  /** The real folder of the last scan: a `CONTENT_DIR` symlink swapped to a new release changes it. */
  private realRoot: string | undefined;
  /** Since when the content folder has been missing (a deploy replacing it), if it is. */
  private missingSince: number | undefined;
  /** A new folder being read in slices (`reload`); scans wait for it. */
  private reloading: Promise<void> | undefined;
  /** When the snapshot was last known to match the folder. */
  private scannedAt = Number.NEGATIVE_INFINITY;
  /** How long the last listing of the folder took, in real time: the safety rounds are as long as listings were spaced. */
  private listingMs = 0;
  private readonly safetyRound = new SafetyRound();
  private cachedView: SiteView | undefined;
  /** The snapshot version `cachedView` was built from. */
  private cachedViewVersion = -1;
  private readonly listeners = new Set<ChangeListener>();
  /** The scan due after a watch event, when one is pending. */
  private scanTimer: NodeJS.Timeout | undefined;
  /** Post files read while they may have been being written, with when to read them again (`Date.now()` time). */
  private readonly settling = new Map<string, { readonly due: number; readonly signature: FileSignature }>();
  private settleTimer: NodeJS.Timeout | undefined;
  /** The first read of the folder, once started. */
  private firstReading: Promise<void> | undefined;
  /** A whole new release is being read: its files' ages say nothing about edits. */
  private readingRelease = false;
  /** A reader has waited `SETTLE_MS` for the files being read now: their age is not looked at again. */
  private waitedForSettle = false;

  constructor(options: StoreOptions) {
    this.contentDir = path.resolve(options.contentDir);
    this.options = {
      maxAgeMs: 1000,
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      bodyMemoryBytes: DEFAULT_BODY_MEMORY_BYTES,
      settleMs: SETTLE_MS,
      watch: false,
      rescanEveryMs: 10_000,
      now: Date.now,
      parse: parsePost,
      list: findPosts,
      relPrefix: '',
      ...options,
      contentDir: this.contentDir,
    };
    this.parsedWith = this.defaults();
    if (this.options.watch) this.watch = new FolderWatch(this.contentDir, this.options.logger, () => this.scanSoon());
  }

  /** The author and time zone a post without its own gets: the settings in force. */
  private defaults(): PostDefaults {
    const site = (this.options.settings ?? this.options.followSettings)?.current;
    return site ? { author: site.author, timezone: site.timezone } : this.options.defaults;
  }

  /**
   * The change feed: `listener` is told, synchronously, of every post that
   * enters or leaves the snapshot from now on (a search index stays current
   * by applying these instead of reading every post again). It first gets
   * the posts already there as added. Returns the unsubscribe function.
   */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    const current = [...this.snapshot.bySlug.values()];
    if (current.length) listener({ added: current, removed: [] });
    return () => this.listeners.delete(listener);
  }

  /** Stops watching the folder. */
  close(): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    this.watch?.close();
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
      this.view().catch((err: unknown) => this.options.logger?.warn({ err: (err as Error).message }, 'background scan of the content folder failed'));
    }, RESCAN_AFTER_EVENT_MS);
    // Never keeps the process alive.
    this.scanTimer.unref();
  }

  /**
   * Waits, once and at most `SETTLE_MS`, for a file seen mid-write to settle,
   * then reads it again: a reader gets the new version when the write
   * ends within that time, else the last good one (docs/security.md).
   */
  private async settled(file: string): Promise<void> {
    const seen = this.settling.get(file);
    if (!seen) return;
    const wait = Math.min(this.options.settleMs, seen.due - Date.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!this.settling.has(file)) return;
    // Timers and file times run on different clocks: after the wait the file is read again,
    // and taken as it is unless it changed across the wait or while it is read.
    this.waitedForSettle = true;
    try {
      if (!this.applyPaths([file])) this.refreshSync(true);
    } finally {
      this.waitedForSettle = false;
    }
    if (!this.entries.has(file)) this.settling.delete(file);
  }

  /** The settling file that is (or would be) the post at `slug`, by its name. */
  private settlingFileOf(slug: string, post: Post | undefined): string | undefined {
    if (post) return this.settling.has(post.file) ? post.file : undefined;
    for (const file of this.settling.keys()) {
      const source = this.entries.get(file)?.source;
      if (source && parsePostName(source.baseName, source.relPath).slug === slug) return file;
    }
    return undefined;
  }

  /** Reads again the settling files due by `now` (the settle timer); a write still going on leaves them settling. */
  private readSettling(now: number): void {
    const due = [...this.settling].filter(([, s]) => s.due <= now).map(([file]) => file);
    if (due.length && !this.applyPaths(due)) this.refreshSync(true);
    // A file deleted meanwhile is no longer waited for.
    for (const file of due) if (!this.entries.has(file)) this.settling.delete(file);
  }

  /** With no reader, a settling file is still read again when due, so the listings and the CDN get it. */
  private settleSoon(): void {
    if (this.settleTimer) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      try {
        this.readSettling(Date.now() + 1);
      } catch (err) {
        this.options.logger?.warn({ err: (err as Error).message }, 'reading a settled post file again failed');
      }
      if (this.settling.size) this.settleSoon();
    }, this.options.settleMs);
    this.settleTimer.unref();
  }

  /** The snapshot, scanning first when the folder may have changed (or `force`). */
  async refresh(force = false): Promise<Snapshot> {
    if (this.snapshot.version === 0) await this.firstRead();
    return this.refreshSync(force);
  }

  /**
   * The first read of the folder, parsed in slices as a new release is
   * (`reload`): 800 posts took 150 ms to parse, which held the loop of a
   * server that was already listening (docs/security.md, "One budget for the
   * main thread"). Requests wait for it; nothing sees a half-read folder.
   */
  private firstRead(): Promise<void> {
    if (!this.firstReading) {
      this.followRoot();
      // A read that failed (the folder unreadable for a moment) is tried again by the next request.
      this.firstReading = this.reload().catch((err: unknown) => {
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
    if (!force) this.applyWatchEvents();
    if (!force && !this.needsScan(started)) return this.snapshot;
    const snapshot = this.scan();
    this.scannedAt = started;
    this.safetyRound.restart(started);
    return snapshot;
  }

  /**
   * The files the watch's events named, looked at alone: with 10,000 posts a
   * listing (a `stat` per file) took 60 ms and more of the request that came
   * first after an edit or a new post. When they call for a listing, the
   * watch stays dirty and `needsScan` lists the folder as before.
   */
  private applyWatchEvents(): void {
    const watch = this.watch;
    if (!watch?.healthy || !watch.dirty) return;
    const named = watch.takeNamed();
    if (named === undefined) return;
    if (!named.length || this.applyPaths(named)) watch.dirty = false;
    else watch.needsListing();
  }

  /**
   * Brings these files' posts up to date without listing the folder: each is
   * `stat`ed, parsed when it changed, added or removed; a new snapshot is
   * made when anything did. False, having changed nothing, when one of them
   * calls for a listing (src/content/named-change.ts), or while the folder is
   * being read anew.
   */
  private applyPaths(paths: readonly string[]): boolean {
    const root = this.realRoot;
    if (root === undefined || this.reloading || this.missingSince !== undefined || this.snapshot.version === 0 || this.lastFound.linked) return false;
    // The folder itself gone or swapped (a deploy): its files look removed, but only a scan may tell (and keep the last good pages).
    if (realPathOrNone(this.contentDir) !== root) return false;
    const found = this.lastFound;
    const known = {
      root,
      relPrefix: this.options.relPrefix,
      found,
      fileAt: (file: string): PostFile | undefined => this.entries.get(file)?.source,
    };
    const changes: NamedChange[] = [];
    for (const target of new Set(paths)) {
      // A root given through a symlink (`CONTENT_DIR=current`): the store's entries are under its real path.
      const real = target === this.contentDir || target.startsWith(this.contentDir + path.sep) ? root + target.slice(this.contentDir.length) : target;
      const change = classifyNamed(real, known);
      if (change.kind === 'list') return false;
      changes.push(change);
    }
    const fresh: Post[] = [];
    const swaps: PostSwap[] = [];
    let changed = false;
    // Posts that parsed before and after, without a slug clash anywhere: the snapshot and the view are patched, not made again.
    let patchable = !this.snapshot.errors.some((e) => e.field === 'slug');
    for (const change of changes) {
      if (change.kind === 'nothing' || change.kind === 'list') continue;
      const file = change.file;
      const at = indexOfPath(found.files, file.relPath);
      const entry = this.entries.get(file.file);
      if (entry && !entry.result.ok) patchable = false;
      const before = entry?.result.ok ? entry.result.post : undefined;
      if (change.kind === 'removed') {
        if (found.files[at]?.file === file.file) found.files.splice(at, 1);
        changed = this.entries.delete(file.file) || changed;
        swaps.push({ before, after: undefined });
        continue;
      }
      if (found.files[at]?.file === file.file) found.files[at] = file;
      else found.files.splice(at, 0, file);
      if (this.carry(found.files, at, false, this.entries, fresh) || change.kind === 'added') changed = true;
      const result = this.entries.get(file.file)!.result;
      if (!result.ok) patchable = false;
      else if (result.post !== before) swaps.push({ before, after: result.post });
    }
    this.noteFolders(changes);
    if (changed && patchable && this.patchSnapshot(swaps)) {
      if (fresh.length) this.options.onChanged?.(fresh);
      return true;
    }
    this.install(found, this.entries, fresh, changed);
    return true;
  }

  /**
   * The snapshot with these posts swapped, and the view patched to match,
   * sharing the posts by slug of the one before (src/content/patched-map.ts)
   * rather than sorting or copying every post; false, having changed
   * nothing, when a slug is contested (a whole build decides).
   */
  private patchSnapshot(swaps: readonly PostSwap[]): boolean {
    const old = this.snapshot;
    const deleted: string[] = [];
    for (const { before } of swaps) {
      if (before && old.bySlug.get(before.slug) !== before) return false;
      if (before) deleted.push(before.slug);
    }
    const set = new Map<string, Post>();
    for (const { after } of swaps) {
      if (!after) continue;
      if ((old.bySlug.has(after.slug) && !deleted.includes(after.slug)) || set.has(after.slug) || old.broken.has(after.slug)) return false;
      set.set(after.slug, after);
    }
    const bySlug = PatchedMap.of(old.bySlug, set, deleted);
    const next: Snapshot = { version: old.version + 1, bySlug, errors: old.errors, broken: old.broken, skipped: old.skipped };
    const view = this.cachedView && this.cachedViewVersion === old.version ? this.cachedView : undefined;
    const change: SnapshotChange = { added: swaps.flatMap((s) => (s.after ? [s.after] : [])), removed: swaps.flatMap((s) => (s.before ? [s.before] : [])) };
    this.setSnapshot(next, change);
    const patched = view && patchSiteView(view, swaps, next, this.options.now(), this.options.showDrafts);
    if (patched) {
      this.cachedView = patched;
      this.cachedViewVersion = next.version;
    }
    return true;
  }

  /** A post added or removed moves its folder's mtime: noted, so the once-a-second check does not list the folder for it. */
  private noteFolders(changes: readonly NamedChange[]): void {
    for (const change of changes) {
      if (change.kind !== 'added' && change.kind !== 'removed') continue;
      const dir = path.dirname(change.file.file);
      if (dir === this.realRoot) this.folderMtimeMs = statSync(this.contentDir, { throwIfNoEntry: false })?.mtimeMs;
      else if (this.subFolderMtimes.has(dir)) this.subFolderMtimes.set(dir, statSync(dir, { throwIfNoEntry: false })?.mtimeMs);
    }
  }

  /** Whether the folder must be listed again now; a quiet check of a watched folder counts as a scan. */
  private needsScan(now: number): boolean {
    const age = now - this.scannedAt;
    // The folder is gone for a moment (a deploy): look for it again soon, serving the last good pages meanwhile.
    if (this.missingSince !== undefined) return age >= RESCAN_AFTER_EVENT_MS;
    if (this.followedSettingsChanged()) return true;
    const watch = this.watch;
    if (!watch?.healthy) return age >= this.options.maxAgeMs;
    if (watch.dirty) return age >= RESCAN_AFTER_EVENT_MS;
    if (age < this.options.maxAgeMs) return false;
    // Watched and quiet: one `stat` of the folder a second still catches a post added or removed,
    // and a share of the post files a change in place the watch missed (src/content/safety-round.ts).
    if (this.folderChanged()) return true;
    const step = this.safetyRound.step(this.entries, now, safetyRoundMs(this.options.rescanEveryMs, this.listingMs));
    if (step === 'changed' || (step === 'round-done' && this.folderFilesChanged())) return true;
    this.scannedAt = now;
    return false;
  }

  /** The followed settings give posts another author or time zone than they were parsed with. */
  private followedSettingsChanged(): boolean {
    const site = this.options.followSettings?.current;
    return site !== undefined && (site.author !== this.parsedWith.author || site.timezone !== this.parsedWith.timezone);
  }

  /** What readers see now. */
  async view(): Promise<SiteView> {
    const snapshot = await this.refresh();
    const now = this.options.now();
    const cached = this.cachedView;
    if (cached && this.cachedViewVersion === snapshot.version && now < cached.validUntil) return cached;
    this.cachedViewVersion = snapshot.version;
    return (this.cachedView = buildSiteView(snapshot, now, this.options.showDrafts));
  }

  /**
   * The key of the current view, or `undefined` when the view must be built
   * again first (the folder changed, or a future post went live). Scans
   * first when one is due, as `view()` does; usually that is no I/O at all.
   */
  currentViewKey(): string | undefined {
    const now = this.options.now();
    this.refreshSync(false, now);
    const view = this.cachedView;
    if (!view || this.cachedViewVersion !== this.snapshot.version || now >= view.validUntil) return undefined;
    return view.key;
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
    if (!post && this.folderChanged()) {
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
    // Its file (or a new one) just seen mid-write: wait once for it to settle and read it again.
    // Listings do not wait: they show the last good version until the settle timer reads the file.
    const settling = this.settling.size ? this.settlingFileOf(slug, post) : undefined;
    if (settling !== undefined) {
      await this.settled(settling);
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

  /**
   * What else a listing reads, once a safety round: the folder swapped for a
   * new release, the settings or `authors.yml` changed without an event.
   */
  private folderFilesChanged(): boolean {
    if (realPathOrNone(this.contentDir) !== this.realRoot) return true;
    if (this.options.settings?.changedOnDisk()) return true;
    return readAuthorDirectory(this.contentDir, this.authorDirectory).version !== this.authorDirectory.version;
  }

  /** True when a folder of posts (the content folder or one of its sub-folders) gained or lost an entry since the scan, or the folder is another one now. */
  private folderChanged(): boolean {
    const stats = statSync(this.contentDir, { throwIfNoEntry: false });
    if (stats?.mtimeMs !== this.folderMtimeMs) return true;
    // A deploy's symlink moved to a release whose folder has the same mtime (a copy keeping times): its real path tells.
    if (this.realRoot !== undefined && realPathOrNone(this.contentDir) !== this.realRoot) return true;
    for (const [dir, mtimeMs] of this.subFolderMtimes) if (statSync(dir, { throwIfNoEntry: false })?.mtimeMs !== mtimeMs) return true;
    return false;
  }

  /** The profile (bio, link, avatar) `authors.yml` gives an author, by name. */
  authorProfile(name: string): AuthorProfile | undefined {
    for (const profile of this.authorDirectory.authors.values()) if (profile.name === name) return profile;
    return undefined;
  }

  /** The signature the store last saw for one of its post files. */
  signatureOf(file: string): FileSignature | undefined {
    return this.entries.get(file)?.signature;
  }

  /**
   * Every post file that parsed (its last good version while it is broken),
   * the losers of slug clashes too: what `check` reads field lines from.
   */
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

  private scan(): Snapshot {
    const root = this.followRoot();
    if (root === 'missing' || this.reloading) return this.snapshot;
    if (root === 'moved') {
      // A new release: every file is new to the store. Parsed in slices, the last good snapshot served meanwhile.
      this.reloading = this.reload().finally(() => (this.reloading = undefined));
      return this.snapshot;
    }
    const listing = this.list();
    const next = new Map<string, Entry>();
    const fresh: Post[] = [];
    let changed = listing.settingsChanged || listing.found.files.length !== this.entries.size;
    const files = listing.found.files;
    for (let i = 0; i < files.length; i++) if (this.carry(files, i, listing.reparse, next, fresh)) changed = true;
    return this.install(listing.found, next, fresh, changed);
  }

  /**
   * Reads a whole new folder (a release swapped in, or the folder back after
   * a gap) without holding the event loop: files are parsed in slices of
   * `RELOAD_SLICE_MS`, and the new snapshot replaces the old one only when
   * complete. 10,000 posts take about a second to parse, which a scan on the
   * loop would have made every request wait for.
   */
  private async reload(): Promise<void> {
    this.readingRelease = true;
    try {
      await this.readRelease();
    } finally {
      this.readingRelease = false;
    }
  }

  private async readRelease(): Promise<void> {
    const listing = this.list();
    const next = new Map<string, Entry>();
    const fresh: Post[] = [];
    let sliceStarted = performance.now();
    const files = listing.found.files;
    for (let i = 0; i < files.length; i++) {
      this.carry(files, i, listing.reparse, next, fresh);
      if (performance.now() - sliceStarted >= RELOAD_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
    this.install(listing.found, next, fresh, true);
    this.scannedAt = this.options.now();
    this.safetyRound.restart(this.scannedAt);
  }

  /** Lists the folder (watching its bundles) and reads the settings again. */
  private list(): { found: FoundPosts; settingsChanged: boolean; reparse: boolean } {
    // Before listing: an event during the scan marks the folder dirty again.
    this.watch?.clean();
    this.folderMtimeMs = statSync(this.contentDir, { throwIfNoEntry: false })?.mtimeMs;
    const listing = performance.now();
    const found = withPrefix(this.options.list(this.contentDir), this.options.relPrefix);
    this.listingMs = performance.now() - listing;
    // Sub-folders of posts (`2023/`, `inside-rust/`): a post added to one is found as one added at the top is.
    let total = 0;
    for (const file of found.files) total += file.signature.size;
    this.bodiesOnDisk = total > this.options.bodyMemoryBytes;
    this.subFolderMtimes = new Map(found.folders.filter((dir) => dir !== found.folders[0]).map((dir) => [dir, statSync(dir, { throwIfNoEntry: false })?.mtimeMs]));
    this.watch?.watchBundles(found.files.flatMap((f) => (f.bundleDir ? [f.bundleDir] : [])), found.folders);
    const settingsChanged = this.options.settings?.refresh() ?? false;
    const defaults = this.defaults();
    // Author names come from `authors.yml` when a post names keys: a change to it is a change to every post.
    const directory = readAuthorDirectory(this.contentDir, this.authorDirectory);
    const directoryChanged = directory.version !== this.authorDirectory.version;
    this.authorDirectory = directory;
    if (directory.error) found.errors.push(directory.error);
    // Another default author or time zone changes what every post says: parse them all again.
    const reparse = directoryChanged || defaults.author !== this.parsedWith.author || defaults.timezone !== this.parsedWith.timezone;
    this.parsedWith = defaults;
    // A new `authors.yml` changes every post, as new settings do.
    return { found, settingsChanged: settingsChanged || directoryChanged, reparse };
  }

  /** Puts the file's entry in `next`, parsing it when it changed (or `reparse`); true when it was parsed. */
  private carry(files: PostFile[], index: number, reparse: boolean, next: Map<string, Entry>, fresh: Post[]): boolean {
    const file = files[index]!;
    const previous = this.entries.get(file.file);
    if (!reparse && previous && sameSignature(previous.signature, file.signature)) {
      next.set(file.file, previous);
      // The listing keeps the entry's own description of the file when it is the same: each listing
      // made new ones (four numbers and three strings a file), and the store then held both, 26 MB
      // more with 100,000 posts from the first safety listing on.
      if (samePostFile(previous.source, file)) files[index] = previous.source;
      return false;
    }
    const loaded = this.load(file);
    if (loaded === SETTLING) {
      // Maybe torn: the last good version stays (a new file waits, named), and the file is read again once settled.
      next.set(file.file, {
        source: file,
        signature: UNSETTLED,
        result: previous?.result ?? { ok: false, error: { file: file.relPath, line: undefined, message: 'is being written; it is read again once it stops changing' } },
        lastGood: previous?.lastGood,
        previousGood: previous?.previousGood,
      });
      return previous === undefined || !sameSignature(previous.signature, UNSETTLED);
    }
    const result = loaded;
    if (result.ok && this.snapshot.version > 0) fresh.push(result.post);
    next.set(file.file, {
      source: file,
      signature: result.ok ? result.post.signature : file.signature,
      result,
      lastGood: result.ok ? result.post : previous?.lastGood,
      previousGood: result.ok ? previous?.lastGood : previous?.previousGood,
    });
    return true;
  }

  /** Makes `next` the store's entries, and a new snapshot of them when anything changed. */
  private install(found: FoundPosts, next: Map<string, Entry>, fresh: readonly Post[], changedFiles: boolean): Snapshot {
    let changed = changedFiles;
    if (!changed && next !== this.entries) for (const file of this.entries.keys()) if (!next.has(file)) changed = true;
    const scanErrors = [...found.errors.map(formatContentError), ...found.skipped.map((s) => `${s.file}: ${s.message}`)].join('\n');
    if (scanErrors !== this.lastScanErrors) changed = true;
    this.lastScanErrors = scanErrors;
    this.entries = next;
    this.lastFound = found;
    if (changed) {
      const previous = new Set(this.snapshot.errors.map(formatContentError));
      this.setSnapshot(this.buildSnapshot(found.files, found.errors, found.skipped));
      // One log line per problem when it is found, not one per request.
      for (const error of this.snapshot.errors) {
        if (!previous.has(formatContentError(error))) this.options.logger?.warn({ file: error.file, line: error.line }, formatContentError(error));
      }
    }
    if (fresh.length) this.options.onChanged?.(fresh);
    return this.snapshot;
  }

  /**
   * Follows the content folder through deploys: a `CONTENT_DIR` symlink
   * swapped to a new release (`current -> releases/N+1`), or a folder back
   * after a moment missing (a `git clone` replacing it), is `moved`: watched
   * anew and read again as a whole. While it is `missing` (after a first good
   * scan) the last good posts stay served. Each gap is logged once.
   */
  private followRoot(): 'same' | 'moved' | 'missing' {
    let root: string | undefined;
    try {
      root = realpathSync(this.contentDir);
    } catch {
      root = undefined;
    }
    const now = this.options.now();
    if (root === undefined) {
      // Never read yet: the scan reports the folder as unreadable, as before.
      if (this.snapshot.version === 0) return 'same';
      if (this.missingSince === undefined) {
        this.missingSince = now;
        this.options.logger?.warn({ contentDir: this.contentDir }, 'the content folder is missing; serving the last good pages until it is back');
      }
      return 'missing';
    }
    let moved = false;
    if (this.missingSince !== undefined) {
      this.options.logger?.warn({ contentDir: this.contentDir, gapMs: now - this.missingSince }, `the content folder is back after ${now - this.missingSince} ms`);
      this.missingSince = undefined;
      moved = true;
    } else if (this.realRoot !== undefined && root !== this.realRoot) {
      this.options.logger?.info({ contentDir: this.contentDir, from: this.realRoot, to: root }, 'the content folder now points to a new release');
      moved = true;
    }
    this.realRoot = root;
    if (moved) this.rewatch();
    return moved ? 'moved' : 'same';
  }

  /** A watch follows the folder it was opened on: a new release needs a new one. */
  private rewatch(): void {
    if (!this.watch) return;
    this.watch.close();
    this.watch = new FolderWatch(this.contentDir, this.options.logger, () => this.scanSoon());
  }

  /**
   * A post that parsed but cannot be rendered (it threw, or ran over the
   * render time limit) is a content error like broken YAML, until its file
   * changes: the version before it is served if there was one, else the post
   * is left out, and the problem is logged and counted (src/render/post-bodies.ts).
   */
  markUnrenderable(post: Post, error: ContentError): void {
    const entry = this.entries.get(post.file);
    if (!entry) return;
    const current = entry.result.ok && entry.result.post === post;
    if (!current && entry.lastGood !== post) return;
    if (current) entry.result = { ok: false, error };
    if (entry.lastGood === post) {
      entry.lastGood = entry.previousGood;
      entry.previousGood = undefined;
    }
    this.setSnapshot(this.buildSnapshot(this.lastFound.files, this.lastFound.errors, this.lastFound.skipped));
    this.options.logger?.warn({ file: error.file }, formatContentError(error));
  }

  private lastFound: FoundPosts = { files: [], errors: [], skipped: [], folders: [], linked: false };
  private get snapshot(): Snapshot {
    return this.current;
  }

  /**
   * Every new snapshot, wherever it is made, is put in place here, which
   * tells the change feed's listeners what it changed: none can be missed.
   * `known` is the change when the caller knows it (a few named files), else
   * the snapshots are compared.
   */
  private setSnapshot(next: Snapshot, known?: SnapshotChange): void {
    const previous = this.current;
    this.current = next;
    if (this.listeners.size === 0) return;
    const change = known ?? diffSnapshots(previous, next);
    if (!change.added.length && !change.removed.length) return;
    for (const listener of this.listeners) listener(change);
  }

  private lastScanErrors = '';
  private authorDirectory: AuthorDirectoryFile = { authors: new Map(), file: undefined, version: '', error: undefined };
  private folderMtimeMs: number | undefined;
  /** The post files of the last listing are too large together to hold their bodies in memory. */
  private bodiesOnDisk = false;
  private subFolderMtimes = new Map<string, number | undefined>();

  /**
   * Reads and parses one post file, opened then judged (src/files/read-regular.ts).
   * A file that changed while it was read, or (once the site is up) whose
   * mtime is younger than `SETTLE_MS`, may be a write in progress: it is not
   * parsed but noted in `settling`, to be read again once settled.
   */
  private load(file: PostFile): ParseResult | typeof SETTLING {
    if (file.signature.size > this.options.maxFileBytes) {
      return {
        ok: false,
        error: {
          file: file.relPath,
          line: undefined,
          message: `is ${formatBytes(file.signature.size)}, over the ${formatBytes(this.options.maxFileBytes)} limit for a post (MAX_POST_BYTES); split it or shrink it`,
        },
      };
    }
    let read: PostBytes;
    try {
      // The header alone, when it is all in the first lines; any doubt (a long header, a problem) is settled by the whole file.
      read = readPostBytes(file.file, this.options.maxFileBytes, this.bodiesOnDisk ? HEAD_BYTES : undefined);
    } catch (err) {
      // UnreadableFile says what the file is ("is a FIFO, not a regular file"; "cannot be read: …").
      const message = err instanceof UnreadableFile ? err.message : `cannot be read: ${(err as Error).message}`;
      return { ok: false, error: { file: file.relPath, line: undefined, message } };
    }
    if (this.isSettling(file.file, read)) return SETTLING;
    const defaults = { ...this.parsedWith, authors: this.authorDirectory.authors };
    const version = { ...file, signature: signatureOf(read.stats), name: parsePostName(file.baseName, file.relPath) };
    try {
      if (this.bodiesOnDisk) {
        if (!read.whole && fencedHeaderEnds(read.bytes)) {
          const result = this.options.parse({ ...version, bytes: read.bytes, bodyOnDisk: true }, defaults);
          if (result.ok) return result;
        }
        const bytes = read.whole ? read.bytes : readPostBytes(file.file, this.options.maxFileBytes).bytes;
        return this.options.parse({ ...version, bytes, bodyOnDisk: true }, defaults);
      }
      return this.options.parse({ ...version, bytes: read.bytes }, defaults);
    } catch (err) {
      return { ok: false, error: { file: file.relPath, line: undefined, message: `cannot be read: ${(err as Error).message}` } };
    }
  }

  /**
   * True, noting when to read it again, for a file read while it may still
   * be being written: it changed during the read, or it was saved less than
   * `SETTLE_MS` ago while the site was up (a whole folder read at start-up or
   * after a deploy is taken as it is: its files are not being edited).
   */
  private isSettling(file: string, read: PostBytes): boolean {
    const age = Date.now() - read.stats.mtimeMs;
    const seen = this.settling.get(file);
    // After a reader's wait, the file is settled when it did not change across the wait.
    const moved = this.waitedForSettle && seen !== undefined && !sameSignature(read.stats, seen.signature);
    // A future mtime (a copied file, a clock set by hand) says nothing about a write in progress.
    const young = this.snapshot.version > 0 && !this.readingRelease && !(this.waitedForSettle && seen) && age >= 0 && age < this.options.settleMs;
    if (!read.changedWhileRead && !young && !moved) {
      this.settling.delete(file);
      return false;
    }
    this.settling.set(file, { due: Date.now() + this.options.settleMs - (young ? age : 0), signature: signatureOf(read.stats) });
    this.settleSoon();
    return true;
  }

  /** Valid posts by slug; on a clash the file whose path sorts first wins. */
  private buildSnapshot(files: readonly PostFile[], scanErrors: readonly ContentError[], skipped: readonly SkippedFile[]): Snapshot {
    const bySlug = new Map<string, Post>();
    const errors: ContentError[] = [...scanErrors];
    const broken = new Map<string, BrokenPost>();
    const settingsProblems = this.options.settings?.problems ?? [];
    errors.unshift(...settingsProblems.map(({ file, line, message }): ContentError => ({ file, line, message })));
    for (const error of scanErrors) {
      const slug = slugOfPath(error.file);
      if (slug && !broken.has(slug)) broken.set(slug, { error, file: undefined });
    }
    for (const file of files) {
      const entry = this.entries.get(file.file)!;
      if (!entry.result.ok) errors.push(entry.result.error);
      const post = entry.result.ok ? entry.result.post : entry.lastGood;
      if (!post) {
        const slug = parsePostName(file.baseName, file.relPath).slug;
        if (!entry.result.ok && slug && !broken.has(slug)) broken.set(slug, { error: entry.result.error, file: file.file });
        continue;
      }
      const winner = bySlug.get(post.slug);
      if (winner) {
        errors.push({
          file: post.relPath,
          line: undefined,
          field: 'slug',
          message: `has the slug "${post.slug}", already used by ${winner.relPath}; only ${winner.relPath} is served`,
        });
        continue;
      }
      bySlug.set(post.slug, post);
    }
    // A real post at a URL always wins over a broken file that would have had it.
    for (const slug of bySlug.keys()) broken.delete(slug);
    return { version: this.snapshot.version + 1, bySlug, errors, broken, skipped };
  }
}

function realPathOrNone(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/** True when both describe the same file the same way (its signature is compared apart). */
function samePostFile(a: PostFile, b: PostFile): boolean {
  return a.file === b.file && a.relPath === b.relPath && a.bundleDir === b.bundleDir && a.baseName === b.baseName;
}

/** True when these first lines of a file hold a whole fenced header (`---` or `+++` to a closing line of the same). */
function fencedHeaderEnds(head: Buffer): boolean {
  // On the bytes, not a decoded copy: this runs for each of 100,000 files at start-up.
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const fence = head.subarray(start, start + 3).toString('latin1');
  if (fence !== '---' && fence !== '+++') return false;
  const closing = `\n${fence}`;
  for (let at = head.indexOf(closing, start + 3, 'latin1'); at !== -1; at = head.indexOf(closing, at + 1, 'latin1')) {
    let i = at + 4;
    while (head[i] === 0x20 || head[i] === 0x09) i++;
    if (head[i] === 0x0d) i++;
    if (head[i] === 0x0a) return true;
  }
  return false;
}

/** Where a file with this relative path is, or goes, in files sorted by relative path (as a listing sorts them). */
function indexOfPath(files: readonly PostFile[], relPath: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid]!.relPath < relPath) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The files and problems of a listing, with their paths put under `prefix`. */
function withPrefix(found: FoundPosts, prefix: string): FoundPosts {
  if (!prefix) return found;
  return {
    ...found,
    files: found.files.map((f) => ({ ...f, relPath: prefix + f.relPath })),
    errors: found.errors.map((e) => ({ ...e, file: e.file === '.' ? prefix.replace(/\/$/, '') : prefix + e.file })),
    skipped: found.skipped.map((s) => ({ ...s, file: prefix + s.file })),
  };
}

/** Posts in `next` and not in `previous`, and the reverse, by identity: a linear pass, run only when the snapshot changed. */
function diffSnapshots(previous: Snapshot, next: Snapshot): SnapshotChange {
  const added: Post[] = [];
  const removed: Post[] = [];
  for (const [slug, post] of next.bySlug) if (previous.bySlug.get(slug) !== post) added.push(post);
  for (const [slug, post] of previous.bySlug) if (next.bySlug.get(slug) !== post) removed.push(post);
  return { added, removed };
}

/** The slug a content path would give: `a.md`, `a/index.md` and `2023/a.md` are all `a`. */
function slugOfPath(relPath: string): string {
  const base = relPath.replace(/\/index\.(md|markdown|mdx)$/i, '').replace(MARKDOWN, '');
  return parseName(base.split('/').pop() ?? base).slug;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

