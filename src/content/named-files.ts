/**
 * Brings the posts of a few named files up to date without listing the
 * folder: the files a watch event named (src/content/folder-watch.ts), a post
 * file a reader saw change, a file being written once it settled. Each is
 * looked at alone (src/content/named-change.ts: one `stat`, a parse when it
 * changed, added or removed); when posts were only swapped, the snapshot and
 * the site view are patched (src/content/snapshot-feed.ts), else a snapshot
 * is made of the entries. With 10,000 posts a listing took 60 ms and more of
 * the request that came first after an edit (docs/performance.md).
 */
import path from 'node:path';
import type { ContentRoot } from './content-root.js';
import type { PostFile } from './find-posts.js';
import type { FolderScan } from './folder-scan.js';
import { classifyNamed, type NamedChange } from './named-change.js';
import type { Post } from './post.js';
import type { ScanTiming } from './scan-timing.js';
import type { PostSwap } from './site-view.js';
import type { SnapshotFeed } from './snapshot-feed.js';

export interface NamedFilesParts {
  readonly root: ContentRoot;
  readonly scan: FolderScan;
  readonly feed: SnapshotFeed;
  readonly timing: ScanTiming;
  /** Put before relative paths (`pages/`), as the listing does. */
  readonly relPrefix: string;
  readonly onChanged: ((posts: readonly Post[]) => void) | undefined;
}

/**
 * Applies the changes to these files; false, having changed nothing, when
 * one of them calls for a listing, or while the folder is being read anew
 * (`reloading`), is missing, or holds symlinks.
 */
export function applyNamedFiles(paths: readonly string[], parts: NamedFilesParts, reloading: boolean): boolean {
  const { root: contentRoot, scan, feed, timing } = parts;
  const root = contentRoot.real;
  if (root === undefined || reloading || contentRoot.missing || feed.snapshot.version === 0 || scan.lastFound.linked) return false;
  // The folder itself gone or swapped (a deploy): its files look removed, but only a scan may tell (and keep the last good pages).
  if (contentRoot.realNow() !== root) return false;
  const changes = classifyAll(paths, root, parts);
  if (changes === undefined) return false;
  const found = scan.lastFound;
  const fresh: Post[] = [];
  const swaps: PostSwap[] = [];
  let changed = false;
  // Posts that parsed before and after, without a slug clash anywhere: the snapshot and the view are patched, not made again.
  let patchable = !feed.snapshot.errors.some((e) => e.field === 'slug');
  for (const change of changes) {
    if (change.kind === 'nothing' || change.kind === 'list') continue;
    const file = change.file;
    const at = indexOfPath(found.files, file.relPath);
    const entry = scan.entries.get(file.file);
    if (entry && !entry.result.ok) patchable = false;
    const before = entry?.result.ok ? entry.result.post : undefined;
    if (change.kind === 'removed') {
      if (found.files[at]?.file === file.file) found.files.splice(at, 1);
      changed = scan.entries.delete(file.file) || changed;
      swaps.push({ before, after: undefined });
      continue;
    }
    if (found.files[at]?.file === file.file) found.files[at] = file;
    else found.files.splice(at, 0, file);
    if (scan.carry(found.files, at, false, scan.entries, fresh) || change.kind === 'added') changed = true;
    const result = scan.entries.get(file.file)!.result;
    if (!result.ok) patchable = false;
    else if (result.post !== before) swaps.push({ before, after: result.post });
  }
  timing.noteFolders(changes);
  if (changed && patchable && feed.patch(swaps)) {
    if (fresh.length) parts.onChanged?.(fresh);
    return true;
  }
  scan.install(found, scan.entries, fresh, changed);
  return true;
}

/** What each path's change is, or `undefined` when one calls for a listing. */
function classifyAll(paths: readonly string[], root: string, parts: NamedFilesParts): NamedChange[] | undefined {
  const contentDir = parts.root.dir;
  const known = {
    root,
    relPrefix: parts.relPrefix,
    found: parts.scan.lastFound,
    fileAt: (file: string): PostFile | undefined => parts.scan.entries.get(file)?.source,
  };
  const changes: NamedChange[] = [];
  for (const target of new Set(paths)) {
    // A root given through a symlink (`CONTENT_DIR=current`): the store's entries are under its real path.
    const real = target === contentDir || target.startsWith(contentDir + path.sep) ? root + target.slice(contentDir.length) : target;
    const change = classifyNamed(real, known);
    if (change.kind === 'list') return undefined;
    changes.push(change);
  }
  return changes;
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
