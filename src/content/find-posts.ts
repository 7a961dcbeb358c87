/**
 * Finds the post files in a content folder: `name.md` and page bundles
 * `name/index.md`. Names starting with `.` or `_` and editor leftovers are
 * not posts; a symlink is followed only when it stays inside the folder.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { ContentError, FileSignature } from './post.js';
import { parseName, type NameParts } from './slug.js';

export interface PostFile {
  file: string;
  relPath: string;
  bundleDir: string | undefined;
  name: NameParts;
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

export function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size && a.ino === b.ino;
}

export async function findPosts(contentDir: string): Promise<FoundPosts> {
  const root = await fs.realpath(contentDir);
  const errors: ContentError[] = [];
  let dirents;
  try {
    dirents = await fs.readdir(root, { withFileTypes: true });
  } catch (err) {
    errors.push({ file: '.', line: undefined, message: `cannot read the content folder: ${(err as Error).message}` });
    return { files: [], errors };
  }

  const found = await Promise.all(
    dirents
      .filter((d) => !isIgnoredName(d.name))
      .map(async (d): Promise<PostFile | undefined> => {
        const full = path.join(root, d.name);
        try {
          let stats = await fs.lstat(full);
          if (stats.isSymbolicLink()) {
            const target = await fs.realpath(full);
            if (!isInside(root, target)) {
              errors.push({ file: d.name, line: undefined, message: 'is a symlink to a place outside the content folder; it is not followed' });
              return undefined;
            }
            stats = await fs.stat(full);
          }
          if (stats.isFile() && MARKDOWN.test(d.name)) {
            const base = d.name.replace(MARKDOWN, '');
            return { file: full, relPath: d.name, bundleDir: undefined, name: parseName(base), signature: signatureOf(stats) };
          }
          if (stats.isDirectory()) {
            const index = path.join(full, 'index.md');
            const indexStats = await fs.stat(index).catch(() => undefined);
            if (!indexStats?.isFile()) return undefined;
            if (!isInside(root, await fs.realpath(index))) {
              errors.push({ file: `${d.name}/index.md`, line: undefined, message: 'is a symlink to a place outside the content folder; it is not followed' });
              return undefined;
            }
            return { file: index, relPath: `${d.name}/index.md`, bundleDir: full, name: parseName(d.name), signature: signatureOf(indexStats) };
          }
        } catch (err) {
          // The file vanished between readdir and stat (an editor's save): it is simply not there.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            errors.push({ file: d.name, line: undefined, message: `cannot be read: ${(err as Error).message}` });
          }
        }
        return undefined;
      }),
  );
  const files = found.filter((f): f is PostFile => f !== undefined).sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, errors };
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
