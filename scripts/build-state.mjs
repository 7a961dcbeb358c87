/**
 * Whether `dist/` is the build of `src/`: read by `npm start` and the other
 * scripts that run the built code (scripts/build-if-stale.mjs compiles only
 * when it is not) and by the tests' global setup
 * (test/support/built-is-current.js).
 *
 * A source file newer than the last build (`dist/.tsbuildinfo`, which tsc
 * writes when a build changed anything) is stale unless its text is the one
 * that build compiled: tsc records a SHA-256 of each file's text there, so a
 * file only touched (a checkout, an editor's save) does not count.
 *
 * Plain JavaScript with JSDoc types: it runs before any TypeScript is compiled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The built worker the render threads of the tests load. */
export const BUILT_WORKER = path.join(root, 'dist', 'render', 'render-worker.js');

/** @param {string} dir @returns {string[]} every `.ts` file under `dir` */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Why `dist/` is not the build of `src/`, or undefined when it is.
 * @param {string} [base] the repository (a test gives a copy)
 * @returns {string | undefined}
 */
export function staleBuild(base = root) {
  const info = path.join(base, 'dist', '.tsbuildinfo');
  const worker = path.join(base, 'dist', 'render', 'render-worker.js');
  if (!existsSync(info) || !existsSync(worker)) return 'dist/ has not been built';
  const builtAt = statSync(info).mtimeMs;
  const newer = sources(path.join(base, 'src')).filter((file) => statSync(file).mtimeMs > builtAt);
  if (newer.length === 0) return undefined;
  /** @type {{ fileNames?: string[], fileInfos?: Array<string | { version?: string }> }} */
  const build = JSON.parse(readFileSync(info, 'utf8'));
  const compiled = new Map();
  (build.fileNames ?? []).forEach((name, i) => {
    const entry = build.fileInfos?.[i];
    compiled.set(path.resolve(path.dirname(info), name), typeof entry === 'string' ? entry : entry?.version);
  });
  const changed = newer.find((file) => compiled.get(file) !== createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex'));
  return changed ? `${path.relative(base, changed)} changed after the last build` : undefined;
}
