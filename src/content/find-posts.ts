/**
 * Finds the post files in a content folder: `name.md` and page bundles
 * `name/index.md`. Names starting with `.` or `_` and editor leftovers are
 * not posts; a symlink is followed only when it stays inside the folder.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { ContentError, FileSignature } from './post.js';

export interface PostFile {
  file: string;
  relPath: string;
  bundleDir: string | undefined;
  /** The file name without `.md`, or the bundle's folder name: the slug comes from it. */
  baseName: string;
  signature: FileSignature;
}

export interface FoundPosts {
  files: PostFile[];
  errors: ContentError[];
}

const MARKDOWN = /\.(md|markdown)$/i;

/** True for names that are never posts: hidden, private, or an editor's leftovers. */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.startsWith('_') ||
    name.endsWith('~') ||
    /\.(swp|swo|swx|tmp|bak|orig)$/i.test(name) ||
    /^#.*#$/.test(name)
  );
}

export function signatureOf(stats: Stats): FileSignature {
  return { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, size: stats.size, ino: stats.ino };
}

/** True when both name the same version of a file; `a` may be a `Stats` itself (no copy made). */
export function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size && a.ino === b.ino;
}

/**
 * Lists the folder synchronously: a `stat` costs microseconds this way, where
 * each promise round-trip through the thread pool costs tens of them, and a
 * folder of 10,000 posts is listed again every second.
 */
export function findPosts(contentDir: string): FoundPosts {
  const errors: ContentError[] = [];
  let root: string;
  let dirents: Dirent[];
  try {
    root = realpathSync(contentDir);
    dirents = readdirSync(root, { withFileTypes: true });
  } catch (err) {
    errors.push({ file: '.', line: undefined, message: `cannot read the content folder: ${(err as Error).message}` });
    return { files: [], errors };
  }

  const files: PostFile[] = [];
  /** Files reached through a symlink, by their real path: served only when no other name serves them. */
  const viaLink = new Map<PostFile, string>();
  for (const d of dirents) {
    if (isIgnoredName(d.name)) continue;
    const full = path.join(root, d.name);
    try {
      let stats: Stats = d.isSymbolicLink() ? lstatSync(full) : (statSync(full, { throwIfNoEntry: false }) as Stats);
      if (!stats) continue; // vanished between readdir and stat (an editor's save)
      const linked = stats.isSymbolicLink();
      if (linked) {
        const refused = refusedLink(root, full);
        if (refused) {
          errors.push({ file: d.name, line: undefined, message: refused });
          continue;
        }
        stats = statSync(full);
      }
      if (stats.isFile() && MARKDOWN.test(d.name)) {
        const base = d.name.replace(MARKDOWN, '');
        const file: PostFile = { file: full, relPath: d.name, bundleDir: undefined, baseName: base, signature: signatureOf(stats) };
        files.push(file);
        if (linked) viaLink.set(file, realpathSync(full));
      } else if (stats.isDirectory()) {
        const index = path.join(full, 'index.md');
        const indexStats = statSync(index, { throwIfNoEntry: false });
        if (!indexStats?.isFile()) continue;
        const real = realpathSync(index);
        if (!isInside(root, real)) {
          errors.push({ file: `${d.name}/index.md`, line: undefined, message: 'is a symlink to a place outside the content folder; it is not followed' });
          continue;
        }
        const file: PostFile = { file: index, relPath: `${d.name}/index.md`, bundleDir: full, baseName: d.name, signature: signatureOf(indexStats) };
        files.push(file);
        if (linked || real !== index) viaLink.set(file, real);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        errors.push({ file: d.name, line: undefined, message: `cannot be read: ${(err as Error).message}` });
      }
    }
  }
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files: viaLink.size ? withoutSecondNames(root, files, viaLink, errors) : files, errors };
}

/**
 * Why a symlink in the content folder is not followed, or `undefined` when it
 * may be. Its real target decides: outside the folder, the folder itself or
 * a folder holding it (`ln -s . rootlink` made every file of the folder,
 * drafts' sources included, a file of the bundle `rootlink`), or a cycle.
 */
function refusedLink(root: string, link: string): string | undefined {
  let target: string;
  try {
    target = realpathSync(link);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'is a symlink in a cycle; it is not followed';
    if (code === 'ENOENT') return 'is a symlink to nothing (its target is missing); it is not followed';
    throw err;
  }
  if (isInside(target, root)) return 'is a symlink to the content folder or a folder holding it; it is not followed';
  if (!isInside(root, target)) return 'is a symlink to a place outside the content folder; it is not followed';
  return undefined;
}

/**
 * A post file reached by two names (`copy.md -> post.md`, a folder link to a
 * bundle) is served once, under the name that is not a link: a second name
 * gives a second URL, and with its own name date a second publishing date,
 * to the same text. Only files that came through a link cost a look here.
 */
function withoutSecondNames(root: string, files: PostFile[], viaLink: ReadonlyMap<PostFile, string>, errors: ContentError[]): PostFile[] {
  const owner = new Map<string, PostFile>();
  for (const file of files) if (!viaLink.has(file)) owner.set(file.file, file);
  const kept: PostFile[] = [];
  for (const file of files) {
    const target = viaLink.get(file);
    if (target === undefined) {
      kept.push(file);
      continue;
    }
    const first = owner.get(target);
    if (first) {
      errors.push({ file: file.relPath, line: undefined, message: `is a symlink to ${path.relative(root, target)}, which is already served as ${first.relPath}; it is not served twice` });
      continue;
    }
    owner.set(target, file);
    kept.push(file);
  }
  return kept;
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
