/**
 * Jest's global setup: the tests run the built `dist/` (render threads load
 * `dist/render/render-worker.js`, see jest.config.js; the CLI and process
 * suites run `dist/cli/*.js` and `dist/server.js`), so a `dist/` older than
 * `src/` would test old code without a word. This stops the run instead,
 * naming the file, before any suite starts. `npm test` and `npm run
 * test:unit` build first; a lone `npx jest` after an edit needs `npm run
 * build`.
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

const root = fileURLToPath(new URL('../..', import.meta.url));

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

export default function builtIsCurrent() {
  const why = staleBuild();
  if (why) throw new Error(`The tests run the built dist/, and ${why}: run npm run build (npm test and npm run test:unit build first).`);
}
