/**
 * True references (docs/contributing.md, "Comments"): a `src/…`, `test/…`,
 * `views/…`, `bench/…`, `scripts/…` or `docs/…` path named in a comment, a
 * doc page or a view names something in the repository, and no comment cites
 * a design file that is not in it. The changelog is history and may name
 * files that were since moved; it is left out.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './doc-examples.js';

const SCANNED = ['src', 'test', 'docs', 'views', 'bench', 'scripts', 'deploy', 'README.md', 'package.json'];
const TEXT = /\.(ts|mts|js|cjs|mjs|md|ejs|json|conf|sh)$/;

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return TEXT.test(full) ? [full] : [];
  return readdirSync(full, { withFileTypes: true }).flatMap((dirent) =>
    dirent.name === 'node_modules' || dirent.name === 'results' || dirent.name === 'fixtures' ? [] : filesUnder(path.join(entry, dirent.name)),
  );
}

/**
 * Paths of the repository named in `text`: a top folder's name at the start
 * of a word (not after `/` or `.`, so `../../src/app.js` import specifiers
 * and URLs are left to the compiler and the link check), followed by a path.
 */
function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![\w./-])((?:src|test|docs|views|bench|scripts)\/[\w.\-/]*[\w-])/g)) {
    if (match[1] !== undefined) found.add(match[1]);
  }
  return [...found];
}

/** Folders and config files of other generators' blogs, named where the migration guide, its tests and scripts/real-blogs.ts speak of them. */
const OTHER_TOOLS = new Set([
  'src/assets',
  'docs/_posts',
  'src/content/blog',
  'src/pages',
  'docs/.vitepress/config.ts',
  'docs/.vitepress/config.mts',
  'src/consts.ts',
  // Astro's folders, in src/content/site-layout/.
  'src/articles',
  'src/blog',
  'src/components',
  'src/content/guides',
  'src/data/blog',
  'src/notes.md',
  'src/post',
  'src/posts',
]);

/** Whether a named path exists: as written, or a `.js` name whose source is `.ts`. */
function exists(named: string): boolean {
  if (OTHER_TOOLS.has(named)) return true;
  const full = path.join(ROOT, named);
  if (existsSync(full)) return true;
  if (named.endsWith('.js')) return existsSync(full.replace(/\.js$/, '.ts'));
  // A test named as jest's path pattern names it (`test/http/article`).
  if (named.startsWith('test/')) return existsSync(`${full}.test.ts`) || existsSync(`${full}.ts`);
  // The bench writes its results there; they are not committed.
  return named === 'bench/results' || named.startsWith('bench/results/');
}

const files = SCANNED.flatMap(filesUnder).filter((file) => file !== path.join(ROOT, 'test/docs/references.test.ts'));

describe('references', () => {
  it('finds paths the way a reader reads them', () => {
    expect(namedPaths('see `src/content/store.ts`, and docs/security.md.')).toEqual(['src/content/store.ts', 'docs/security.md']);
    expect(namedPaths("import { x } from '../../src/app.js'; https://example.com/src/a.ts")).toEqual([]);
  });

  it('every path named in a comment, doc or view exists', () => {
    const missing = files.flatMap((file) =>
      namedPaths(readFileSync(file, 'utf8'))
        .filter((named) => !exists(named))
        .map((named) => `${path.relative(ROOT, file)}: ${named}`),
    );
    expect(missing).toEqual([]);
  });

  it('no comment cites a design file outside the repository', () => {
    const citing = files.filter((file) => /\bDESIGN\.md\b/.test(readFileSync(file, 'utf8'))).map((file) => path.relative(ROOT, file));
    expect(citing).toEqual([]);
  });
});
