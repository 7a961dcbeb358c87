/**
 * Site-wide files: `content/static/**`, served at the root
 * (`content/static/img/logo.png` is `/img/logo.png`). They follow the rules of
 * page-bundle files (media only, judged by their real target, sandboxed), and
 * routes answer first: a file whose address is a route is not served.
 * This module lists them for `npm run check` and the export; the route that
 * serves them is src/routes/static-files.ts.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside } from '../files/inside.js';
import type { ContentError } from './post.js';
import { isServableBundlePath } from './servable-files.js';
import { routeClaiming, staticFileUrl } from './urls.js';

/** The folder of site-wide files, inside the content folder. */
export const STATIC_FOLDER = 'static';

export function staticDirOf(contentDir: string): string {
  return path.join(contentDir, STATIC_FOLDER);
}

export interface StaticFile {
  /** Absolute path (as listed: a symlink is served by its target). */
  readonly file: string;
  /** The path segments under `static/`. */
  readonly segments: readonly string[];
  /** The address it is served at. */
  readonly url: string;
}

export interface StaticFiles {
  readonly files: readonly StaticFile[];
  /** Files that are not served, and why (`static/…` paths, relative to the content folder). */
  readonly problems: readonly ContentError[];
}

/** Deeper folders are not listed (a loop, or a mistake). */
const MAX_DEPTH = 8;

/** A folder of site-wide files: `static/` at the root, or a whole blog repository's own (`public/`, `assets/`). */
export interface StaticFolder {
  /** Relative to the content folder. */
  readonly dir: string;
  /** The address prefix, without slashes; `''` for the root. */
  readonly url: string;
  /** First-level names that are not served (Hexo's `source/_posts`). */
  readonly hidden?: (name: string) => boolean;
}

/** Every file of `content/static/` (or of `where`) that is served, and a problem for each that is not. Never throws. */
export function listStaticFiles(contentDir: string, where: StaticFolder = { dir: STATIC_FOLDER, url: '' }): StaticFiles {
  const dir = path.join(contentDir, where.dir);
  const prefix = where.url ? where.url.split('/') : [];
  const files: StaticFile[] = [];
  const problems: ContentError[] = [];
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return { files, problems };
  }
  const problem = (segments: readonly string[], message: string): void => {
    problems.push({ file: [where.dir, ...segments].join('/'), line: undefined, message });
  };
  const walk = (folder: string, segments: string[]): void => {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch (err) {
      return problem(segments, `cannot be read: ${(err as Error).message}`);
    }
    for (const name of names) {
      if (name.startsWith('.')) continue; // dot files are never served, and say nothing
      if (!segments.length && where.hidden?.(name)) continue;
      const full = path.join(folder, name);
      const here = [...segments, name];
      let real: string;
      try {
        real = lstatSync(full).isSymbolicLink() ? realpathSync(full) : full;
      } catch {
        problem(here, 'is a symlink that leads nowhere; it is not served');
        continue;
      }
      if (!isInside(root, real)) {
        problem(here, `is a symlink to a place outside ${where.dir}/; it is not served`);
        continue;
      }
      const stats = statSync(real, { throwIfNoEntry: false });
      if (stats?.isDirectory()) {
        if (here.length < MAX_DEPTH) walk(full, here);
        continue;
      }
      if (!stats?.isFile()) continue;
      const url = staticFileUrl([...prefix, ...here].map(encodeURIComponent).join('/'));
      if (!isServableBundlePath(here) || !isServableBundlePath([path.basename(real)])) {
        problem(
          here,
          `is not served: ${where.dir}/ serves media only (images, audio, video, PDF, text, zip), named with letters, digits, spaces and . _ - ( ) + , ' & @ !, starting with a letter or digit`,
        );
        continue;
      }
      const route = routeClaiming(url);
      if (route) {
        problem(here, `has the address ${url}, which the route ${route} answers; the file is not served`);
        continue;
      }
      files.push({ file: full, segments: here, url });
    }
  };
  walk(root, []);
  return { files, problems };
}
