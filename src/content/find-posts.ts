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
  const outside = (file: string): void => {
    errors.push({ file, line: undefined, message: 'is a symlink to a place outside the content folder; it is not followed' });
  };
  for (const d of dirents) {
    if (isIgnoredName(d.name)) continue;
    const full = path.join(root, d.name);
    try {
      let stats: Stats = d.isSymbolicLink() ? lstatSync(full) : (statSync(full, { throwIfNoEntry: false }) as Stats);
      if (!stats) continue; // vanished between readdir and stat (an editor's save)
      if (stats.isSymbolicLink()) {
        if (!isInside(root, realpathSync(full))) {
          outside(d.name);
          continue;
        }
        stats = statSync(full);
      }
      if (stats.isFile() && MARKDOWN.test(d.name)) {
        const base = d.name.replace(MARKDOWN, '');
        files.push({ file: full, relPath: d.name, bundleDir: undefined, baseName: base, signature: signatureOf(stats) });
      } else if (stats.isDirectory()) {
        const index = path.join(full, 'index.md');
        const indexStats = statSync(index, { throwIfNoEntry: false });
        if (!indexStats?.isFile()) continue;
        if (!isInside(root, realpathSync(index))) {
          outside(`${d.name}/index.md`);
          continue;
        }
        files.push({ file: index, relPath: `${d.name}/index.md`, bundleDir: full, baseName: d.name, signature: signatureOf(indexStats) });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        errors.push({ file: d.name, line: undefined, message: `cannot be read: ${(err as Error).message}` });
      }
    }
  }
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, errors };
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
