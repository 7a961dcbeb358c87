/**
 * Entries of the content folder that are neither files nor folders (FIFOs,
 * sockets, devices) or symlinks that lead nowhere. The store passes them by,
 * as it must (reading a FIFO would block), so without this they would be
 * skipped without a word; `npm run check` names each one.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isIgnoredName } from './find-posts.js';
import type { ContentError } from './post.js';

/** Bundles keep images in sub-folders; deeper than this is not looked into. */
const MAX_DEPTH = 8;

/** Problems for the special entries at the top of `contentDir` and in each of `bundleDirs` (absolute). */
export function specialFileProblems(contentDir: string, bundleDirs: readonly string[]): ContentError[] {
  const problems: ContentError[] = [];
  // Bundle folders come from the store, which names them under the folder's real path.
  let root: string;
  try {
    root = realpathSync(contentDir);
  } catch {
    return problems;
  }
  scan(root, root, 0, false, problems);
  for (const dir of bundleDirs) scan(root, dir, 0, true, problems);
  return problems;
}

function scan(root: string, dir: string, depth: number, deep: boolean, problems: ContentError[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // Gone since the scan, or unreadable: the store reports what it could not read.
  }
  for (const name of names) {
    if (isIgnoredName(name)) continue;
    const full = path.join(dir, name);
    const file = path.relative(root, full).split(path.sep).join('/');
    const own = lstatSync(full, { throwIfNoEntry: false });
    if (!own) continue;
    if (own.isSymbolicLink()) {
      let target: Stats | undefined;
      try {
        target = statSync(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ELOOP' ? 'which leads round in a loop' : 'which does not exist';
        problems.push({ file, line: undefined, message: `is a symlink to ${readlinkSync(full)}, ${why}; it is left out` });
        continue;
      }
      const kind = special(target);
      if (kind) problems.push({ file, line: undefined, message: `is a symlink to ${kind}; only files and folders are read, so it is left out` });
      continue;
    }
    const kind = special(own);
    if (kind) problems.push({ file, line: undefined, message: `is ${kind}; only files and folders are read, so it is left out` });
    else if (deep && own.isDirectory() && depth < MAX_DEPTH) scan(root, full, depth + 1, deep, problems);
  }
}

function special(stats: Stats): string | undefined {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return undefined;
}
