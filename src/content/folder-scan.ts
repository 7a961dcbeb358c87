/**
 * Scanning the content folder and installing a snapshot of it. A listing
 * (src/content/find-posts.ts) `stat`s each post file; only files whose
 * signature (mtime, ctime, size, inode) changed are read and parsed again
 * (src/content/read-post-file.ts), the others keep their entry. A whole new
 * folder (the first read, a release swapped in) is parsed in slices that give
 * the event loop back (docs/security.md, "One budget for the main thread").
 * The entries then make a new snapshot when anything changed
 * (src/content/snapshot.ts), put in place through the change feed
 * (src/content/snapshot-feed.ts); each new problem is logged once.
 */
import type { Logger } from 'pino';
import { sameSignature, type findPosts, type FoundPosts, type PostFile } from './find-posts.js';
import type { parsePost } from './parse-post.js';
import { formatContentError, type ContentError, type Post } from './post.js';
import type { PostDefaultsSource } from './post-defaults.js';
import { readPostFile } from './read-post-file.js';
import type { ScanTiming } from './scan-timing.js';
import { buildSnapshot, type Entry, type Snapshot } from './snapshot.js';
import type { SnapshotFeed } from './snapshot-feed.js';
import { SETTLING, UNSETTLED, type WritesInProgress } from './writes-in-progress.js';

/** A reload of a whole new folder gives the event loop back this often. */
const RELOAD_SLICE_MS = 20;

export interface FolderScanOptions {
  readonly contentDir: string;
  readonly maxFileBytes: number;
  readonly bodyMemoryBytes: number;
  readonly relPrefix: string;
  readonly parse: typeof parsePost;
  readonly list: typeof findPosts;
  readonly now: () => number;
  readonly logger: Pick<Logger, 'warn'> | undefined;
  readonly onChanged: ((posts: readonly Post[]) => void) | undefined;
}

/** The parts a scan works with. */
export interface ScanParts {
  readonly feed: SnapshotFeed;
  readonly defaults: PostDefaultsSource;
  readonly timing: ScanTiming;
  readonly writes: WritesInProgress;
}

/** A listing of the folder, with what reading the settings again found. */
interface Listing {
  readonly found: FoundPosts;
  readonly settingsChanged: boolean;
  readonly reparse: boolean;
}

export class FolderScan {
  entries = new Map<string, Entry>();
  lastFound: FoundPosts = { files: [], errors: [], skipped: [], folders: [], media: [], linked: false };
  private lastScanErrors = '';
  /** The post files of the last listing are too large together to hold their bodies in memory. */
  private bodiesOnDisk = false;
  /** A whole new release is being read: its files' ages say nothing about edits. */
  private readingRelease = false;

  constructor(
    private readonly options: FolderScanOptions,
    private readonly parts: ScanParts,
  ) {}

  private get snapshot(): Snapshot {
    return this.parts.feed.snapshot;
  }

  /** Lists the folder and reads what changed in it, and installs the snapshot. */
  scan(): Snapshot {
    const listing = this.list();
    const next = new Map<string, Entry>();
    const fresh: Post[] = [];
    let changed = listing.settingsChanged || listing.found.files.length !== this.entries.size;
    const files = listing.found.files;
    for (let i = 0; i < files.length; i++) if (this.carry(files, i, listing.reparse, next, fresh)) changed = true;
    return this.install(listing.found, next, fresh, changed);
  }

  /**
   * Reads a whole new folder (the first read, a release swapped in, or the
   * folder back after a gap) without holding the event loop: files are
   * parsed in slices of `RELOAD_SLICE_MS`, and the new snapshot replaces the
   * old one only when complete. 10,000 posts take about a second to parse,
   * which a scan on the loop would have made every request wait for.
   */
  async reload(): Promise<void> {
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
    this.parts.timing.scanned(this.options.now());
  }

  /** Lists the folder (watching its bundles) and reads the settings again. */
  private list(): Listing {
    this.parts.timing.listing();
    const started = performance.now();
    const found = withPrefix(this.options.list(this.options.contentDir), this.options.relPrefix);
    const listingMs = performance.now() - started;
    let total = 0;
    for (const file of found.files) total += file.signature.size;
    this.bodiesOnDisk = total > this.options.bodyMemoryBytes;
    this.parts.timing.listed(found, listingMs);
    const read = this.parts.defaults.readAgain();
    if (read.error) found.errors.push(read.error);
    return { found, settingsChanged: read.changed, reparse: read.reparse };
  }

  /** Puts the file's entry in `next`, parsing it when it changed (or `reparse`); true when it was parsed. */
  carry(files: PostFile[], index: number, reparse: boolean, next: Map<string, Entry>, fresh: Post[]): boolean {
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
        result: previous?.result ?? {
          ok: false,
          error: { file: file.relPath, line: undefined, message: 'is being written; it is read again once it stops changing' },
        },
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

  private load(file: PostFile): ReturnType<typeof readPostFile> {
    const { defaults, writes } = this.parts;
    return readPostFile(file, {
      maxFileBytes: this.options.maxFileBytes,
      bodiesOnDisk: this.bodiesOnDisk,
      parse: this.options.parse,
      defaults: () => defaults.forParsing(),
      settling: (path, read) => writes.isSettling(path, read, this.snapshot.version > 0 && !this.readingRelease),
    });
  }

  /** Makes `next` the store's entries, and a new snapshot of them when anything changed. */
  install(found: FoundPosts, next: Map<string, Entry>, fresh: readonly Post[], changedFiles: boolean): Snapshot {
    let changed = changedFiles;
    if (!changed && next !== this.entries) for (const file of this.entries.keys()) if (!next.has(file)) changed = true;
    const scanErrors = [...found.errors.map(formatContentError), ...found.skipped.map((s) => `${s.file}: ${s.message}`)].join('\n');
    if (scanErrors !== this.lastScanErrors) changed = true;
    this.lastScanErrors = scanErrors;
    this.entries = next;
    this.lastFound = found;
    if (changed) {
      const previous = new Set(this.snapshot.errors.map(formatContentError));
      this.rebuild();
      // One log line per problem when it is found, not one per request.
      for (const error of this.snapshot.errors) {
        if (!previous.has(formatContentError(error))) this.options.logger?.warn({ file: error.file, line: error.line }, formatContentError(error));
      }
    }
    if (fresh.length) this.options.onChanged?.(fresh);
    return this.snapshot;
  }

  /** A new snapshot of the entries as they are. */
  private rebuild(): void {
    const snapshot = buildSnapshot(this.entries, this.lastFound, this.parts.defaults.settingsProblems(), this.snapshot.version + 1);
    this.parts.feed.set(snapshot);
  }

  /**
   * The good version of `post`'s file before it, while `post` is the file's
   * last good one: what a listing shows until the new version's summary lands
   * (src/render/post-bodies.ts). `undefined` for a file's first version.
   */
  previousVersion(post: Post): Post | undefined {
    const entry = this.entries.get(post.file);
    return entry !== undefined && entry.lastGood === post ? entry.previousGood : undefined;
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
    this.rebuild();
    this.options.logger?.warn({ file: error.file }, formatContentError(error));
  }
}

/** True when both describe the same file the same way (its signature is compared apart). */
function samePostFile(a: PostFile, b: PostFile): boolean {
  return a.file === b.file && a.relPath === b.relPath && a.bundleDir === b.bundleDir && a.baseName === b.baseName;
}

/** The files and problems of a listing, with their paths put under `prefix`. */
function withPrefix(found: FoundPosts, prefix: string): FoundPosts {
  if (!prefix) return found;
  return {
    ...found,
    files: found.files.map((f) => ({ ...f, relPath: prefix + f.relPath })),
    media: found.media.map((m) => prefix + m),
    errors: found.errors.map((e) => ({ ...e, file: e.file === '.' ? prefix.replace(/\/$/, '') : prefix + e.file })),
    skipped: found.skipped.map((s) => ({ ...s, file: prefix + s.file })),
  };
}
