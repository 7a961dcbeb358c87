/**
 * The programs outside Node that some suites need (Debian's nginx and
 * Chromium), and which suites need them.
 *
 * A suite says what it needs with a `@requires nginx` or `@requires chromium`
 * line in its header comment. On a machine without one of them, `npm test`
 * leaves those suites out and says so once, at the end (see
 * skipped-suites-reporter.js). Under CI (`CI=true`) nothing is left out: a
 * missing program fails its suites, so CI keeps proving them.
 *
 * Plain JavaScript with JSDoc types: jest.config.js imports it before any
 * TypeScript is compiled.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** @typedef {'nginx' | 'chromium'} Tool */
/** @typedef {Readonly<Record<string, string | undefined>>} Env */

/** Where each program is looked for; the environment variable wins when set. */
export const TOOLS = /** @type {const} */ ({
  nginx: {
    variable: 'NGINX_PATH',
    candidates: ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/bin/nginx'],
    debianPackage: 'nginx',
  },
  chromium: { variable: 'CHROMIUM_PATH', candidates: ['/usr/bin/chromium'], debianPackage: 'chromium' },
});

/**
 * The executable of a tool, or undefined when it is not installed.
 * @param {Tool} tool
 * @param {Env} [env]
 * @returns {string | undefined}
 */
export function toolPath(tool, env = process.env) {
  const { variable, candidates } = TOOLS[tool];
  const chosen = env[variable];
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return candidates.find((file) => existsSync(file));
}

/**
 * True when running under CI: there a missing tool is a failure, never a skip.
 * @param {Env} [env]
 */
export function underCi(env = process.env) {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The tools a test file declares in its header comment (`@requires nginx`).
 * @param {string} file
 * @returns {Tool[]}
 */
export function declaredTools(file) {
  const header = /^\s*\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'));
  if (!header) return [];
  /** @type {Tool[]} */
  const tools = [];
  for (const match of (header[1] ?? '').matchAll(/@requires\s+([a-z]+)/g)) {
    const name = match[1];
    if (name !== 'nginx' && name !== 'chromium') throw new Error(`${file}: @requires ${name}: unknown tool (nginx or chromium)`);
    tools.push(name);
  }
  return tools;
}

/**
 * Every test file under a folder, recursively.
 * @param {string} dir
 * @returns {string[]}
 */
export function testFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(dir, name))
    .sort();
}

/**
 * @typedef {{ file: string, missing: Tool[] }} SkippedSuite
 */

/**
 * The suites to leave out on this machine: those that need a tool that is
 * missing. Under CI, none.
 * @param {string} testDir
 * @param {Env} [env]
 * @returns {SkippedSuite[]}
 */
export function suitesToSkip(testDir, env = process.env) {
  if (underCi(env)) return [];
  /** @type {SkippedSuite[]} */
  const skipped = [];
  for (const file of testFiles(testDir)) {
    const missing = declaredTools(file).filter((tool) => !toolPath(tool, env));
    if (missing.length > 0) skipped.push({ file, missing });
  }
  return skipped;
}

/**
 * What the run says at the end about the suites it left out.
 * @param {readonly SkippedSuite[]} skipped
 * @param {string} rootDir
 * @returns {string}
 */
export function skipNote(skipped, rootDir) {
  if (skipped.length === 0) return '';
  /** @type {Set<Tool>} */
  const tools = new Set(skipped.flatMap((suite) => suite.missing));
  const packages = [...tools].map((tool) => TOOLS[tool].debianPackage).join(' ');
  const lines = skipped.map((suite) => `  ${path.relative(rootDir, suite.file)}: needs ${suite.missing.join(' and ')}, not installed`);
  return [
    `Skipped ${skipped.length} test suite${skipped.length === 1 ? '' : 's'}: ${[...tools].join(' and ')} ${tools.size === 1 ? 'is' : 'are'} not installed on this machine.`,
    ...lines,
    `To run them: sudo apt-get install ${packages}   (CI=true makes a missing program a failure instead of a skip)`,
  ].join('\n');
}
