/**
 * Tells the store when the content folder may have changed, so that it lists
 * the folder again only then, instead of `stat`ing every post each second.
 *
 * One `fs.watch` (inotify on Linux) on the content folder, which reports
 * posts added, removed, renamed or edited in place, and one on each page
 * bundle's folder, for edits of its `index.md`. Any event marks the folder
 * dirty, and the path it names is kept: the store looks at those files
 * alone (`takeNamed`), and lists the folder again only when they call for it
 * (a post added in a bundle, a folder removed) or when an event named no
 * file or too many came (a `git pull`). Events are only hints: a
 * watch that cannot be set up (no inotify, too many watches) or that fails
 * later marks the watch unhealthy, and the store goes back to polling.
 * Some file systems (NFS, SMB, some container bind mounts) accept a watch
 * but never report anything: `CONTENT_WATCH=poll` is for them (docs/configuration.md).
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { SETTINGS_FILE } from '../settings.js';
import { AUTHOR_FILES } from './author-directory.js';
import { isIgnoredName, MARKDOWN } from './find-posts.js';

export interface WatchLogger {
  warn(obj: object, msg: string): void;
}

/** More named changes than this before the store looks: listing the folder once is cheaper. */
export const MAX_NAMED_CHANGES = 256;

export class FolderWatch {
  /** Something changed since the last `clean()`. */
  dirty = false;
  /** The paths the events since the last `clean()` or `takeNamed()` named. */
  private named = new Set<string>();
  /** An event named no file, a watch failed, or too many files changed: only a listing tells what changed. */
  private unnamed = false;
  /** False once a watch could not be set up or failed: the store must poll. */
  healthy = true;
  private readonly bundles = new Map<string, FSWatcher>();
  /** Sub-folders of posts (`2023/`, `inside-rust/`): inotify watches one folder, not its tree. */
  private readonly folders = new Map<string, FSWatcher>();
  private readonly root: FSWatcher | undefined;

  /**
   * @param onChange called on each relevant event, so the store can list the
   * folder soon after, rather than on the next request.
   */
  constructor(
    private readonly dir: string,
    private readonly logger?: WatchLogger,
    private readonly onChange?: () => void,
  ) {
    // The folder's own entries: editors' swap and backup files are not posts, and change often.
    // `_site.yml` is not a post, but the store reads it again when it changes; `_authors.yml` too (src/content/author-directory.ts).
    this.root = this.open(dir, (name) => name === null || name === SETTINGS_FILE || AUTHOR_FILES.includes(name) || !isIgnoredName(name));
  }

  /** Called by the store right before it lists the folder. */
  clean(): void {
    this.dirty = false;
    this.unnamed = false;
    this.named.clear();
  }

  /** The store could not tell from the named paths alone: it lists the folder before the watch is clean. */
  needsListing(): void {
    this.dirty = true;
    this.unnamed = true;
  }

  /**
   * The paths named by the events since the last look, and forgets them; or
   * `undefined` when only a listing can tell what changed (then they are kept
   * until `clean()`).
   */
  takeNamed(): string[] | undefined {
    if (this.unnamed) return undefined;
    const paths = [...this.named];
    this.named.clear();
    return paths;
  }

  /** Watches exactly these page bundle folders and sub-folders of posts, besides the content folder. */
  watchBundles(dirs: Iterable<string>, folders: Iterable<string> = []): void {
    // Only the post file matters to listings; images are served with a `stat` of their own.
    this.watchEach(this.bundles, dirs, (name) => name === null || MARKDOWN.test(name));
    this.watchEach(
      this.folders,
      [...folders].filter((dir) => dir !== this.dir),
      (name) => name === null || !isIgnoredName(name),
    );
  }

  private watchEach(watchers: Map<string, FSWatcher>, dirs: Iterable<string>, relevant: (name: string | null) => boolean): void {
    if (!this.healthy) return;
    const wanted = new Set(dirs);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      // A failure that is not a vanished bundle stops every watch: the store polls from then on.
      if (!this.healthy) return;
      if (watchers.has(dir)) continue;
      // A bundle removed since the scan gets no watch, and the others still do.
      const watcher = this.open(dir, relevant);
      if (watcher) watchers.set(dir, watcher);
    }
  }

  close(): void {
    this.root?.close();
    for (const watcher of [...this.bundles.values(), ...this.folders.values()]) watcher.close();
    this.bundles.clear();
    this.folders.clear();
  }

  private open(dir: string, relevant: (name: string | null) => boolean): FSWatcher | undefined {
    try {
      // Not persistent: a watch never keeps the process alive.
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        const named = typeof name === 'string' ? name : null;
        if (!relevant(named)) return;
        this.dirty = true;
        if (named === null || this.named.size >= MAX_NAMED_CHANGES) this.unnamed = true;
        else this.named.add(path.join(dir, named));
        this.onChange?.();
      });
      watcher.on('error', (err) => this.fail(dir, err));
      return watcher;
    } catch (err) {
      this.fail(dir, err as Error);
      return undefined;
    }
  }

  private fail(dir: string, err: Error): void {
    // A bundle folder that was just removed is not a failure: the next scan forgets it.
    const code = (err as NodeJS.ErrnoException).code;
    if (dir !== this.dir && (code === 'ENOENT' || code === 'EPERM')) {
      this.dirty = true;
      this.unnamed = true;
      return;
    }
    if (!this.healthy) return;
    this.healthy = false;
    this.dirty = true;
    this.unnamed = true;
    this.logger?.warn({ dir: path.basename(dir), err: err.message }, `cannot watch the content folder (${err.message}); checking it every second instead`);
    this.close();
  }
}
