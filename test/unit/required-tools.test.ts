/**
 * `npm test` on a machine without nginx or Chromium: the suites that need
 * them are left out and named once at the end; under CI they always run.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { declaredTools, skipNote, suitesToSkip, testFiles, toolPath, underCi } from '../support/required-tools.js';
import { ROOT } from '../helpers/site.js';

const TEST_DIR = path.join(ROOT, 'test');
const ABSENT = { NGINX_PATH: '/nonexistent/nginx', CHROMIUM_PATH: '/nonexistent/chromium' };
/** What a suite uses, seen in its source: it must declare it, and declare nothing else. */
const USES = {
  // test/helpers/export-site.ts starts nginx for the suites that call it.
  nginx: /\bnew Nginx\(|\bexportAndServe\(/,
  chromium: /\blaunchChromium\(/,
} as const;
const using = (tool: keyof typeof USES): string[] =>
  testFiles(TEST_DIR)
    .filter((file) => !file.includes(`${path.sep}helpers${path.sep}`) && USES[tool].test(readFileSync(file, 'utf8')))
    .map((file) => path.relative(ROOT, file));
const NEEDS_NGINX = using('nginx');
const NEEDS_CHROMIUM = using('chromium');

const relative = (file: string): string => path.relative(ROOT, file);

/** Runs this project's jest as `npm test` does, in a given environment. */
function runJest(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '--experimental-vm-modules', ...env }, timeout: 50_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('required tools', () => {
  describe('declaredTools()', () => {
    it('should find a @requires line in every suite that starts nginx or Chromium, and in no other', () => {
      expect(NEEDS_NGINX).toEqual(expect.arrayContaining(['test/integration/nginx.test.ts', 'test/integration/export.test.ts']));
      expect(NEEDS_CHROMIUM).toEqual(expect.arrayContaining(['test/browser/reader.test.ts']));
      for (const file of testFiles(TEST_DIR)) {
        const rel = relative(file);
        const expected = [...(NEEDS_CHROMIUM.includes(rel) ? ['chromium'] : []), ...(NEEDS_NGINX.includes(rel) ? ['nginx'] : [])];
        expect({ file: rel, tools: [...declaredTools(file)].sort() }).toEqual({ file: rel, tools: expected });
      }
    });
  });

  describe('toolPath()', () => {
    it('should follow NGINX_PATH and CHROMIUM_PATH, and say undefined when the file is missing', () => {
      expect(toolPath('nginx', { NGINX_PATH: process.execPath })).toBe(process.execPath);
      expect(toolPath('nginx', ABSENT)).toBeUndefined();
      expect(toolPath('chromium', ABSENT)).toBeUndefined();
    });
  });

  describe('suitesToSkip()', () => {
    it('should leave out exactly the suites whose tool is missing', () => {
      const skipped = suitesToSkip(TEST_DIR, ABSENT);
      expect(skipped.map((suite) => relative(suite.file)).sort()).toEqual([...new Set([...NEEDS_CHROMIUM, ...NEEDS_NGINX])].sort());
      const onlyChromiumMissing = suitesToSkip(TEST_DIR, { NGINX_PATH: process.execPath, CHROMIUM_PATH: ABSENT.CHROMIUM_PATH });
      expect(onlyChromiumMissing.map((suite) => relative(suite.file)).sort()).toEqual([...NEEDS_CHROMIUM].sort());
      expect(onlyChromiumMissing.every((suite) => suite.missing.join() === 'chromium')).toBe(true);
    });

    it('should leave out nothing under CI, so a missing tool fails there', () => {
      expect(underCi({ CI: 'true' })).toBe(true);
      expect(underCi({ CI: '' })).toBe(false);
      expect(underCi({ CI: 'false' })).toBe(false);
      expect(suitesToSkip(TEST_DIR, { ...ABSENT, CI: 'true' })).toEqual([]);
    });
  });

  describe('skipNote()', () => {
    it('should name each suite, why, and the one command that enables them', () => {
      const note = skipNote(suitesToSkip(TEST_DIR, ABSENT), ROOT);
      for (const file of [...NEEDS_CHROMIUM, ...NEEDS_NGINX]) expect(note).toContain(file);
      expect(note).toContain('needs nginx, not installed');
      expect(note).toContain('needs chromium, not installed');
      expect(note).toContain('sudo apt-get install chromium nginx');
      expect(skipNote([], ROOT)).toBe('');
    });
  });

  describe('jest itself', () => {
    it('should not list the nginx and Chromium suites when they are missing, and list them under CI', async () => {
      const local = await runJest(['--listTests'], { ...ABSENT });
      const ci = await runJest(['--listTests'], { ...ABSENT, CI: 'true' });
      expect(local.code).toBe(0);
      expect(ci.code).toBe(0);
      for (const file of [...NEEDS_CHROMIUM, ...NEEDS_NGINX]) {
        expect(local.stdout).not.toContain(file);
        expect(ci.stdout).toContain(file);
      }
      expect(local.stdout).toContain('test/unit/required-tools.test.ts');
    });

    it('should say what it skipped at the end of a run that would have included them', async () => {
      // The suites that need nginx alone (export-svg needs Chromium too, and is not in this run).
      const nginxOnly = NEEDS_NGINX.filter((file) => !NEEDS_CHROMIUM.includes(file));
      // In band (-i): one suite runs, and a worker process of its own would only add a Node start.
      const run = await runJest(['-i', 'test/integration/(nginx|export\\.test|server-behind|deploy-recipes)', 'test/unit/slug'], { ...ABSENT });
      expect(run.code).toBe(0);
      const note = run.stderr.slice(run.stderr.lastIndexOf('Skipped '));
      expect(note).toMatch(new RegExp(`^Skipped ${nginxOnly.length} test suites?: nginx is not installed`));
      expect(note).toContain('test/integration/nginx.test.ts: needs nginx, not installed');
      expect(note).not.toContain('reader.test.ts'); // not part of this run
      expect(note).toContain('sudo apt-get install nginx');
    });

    it('should say nothing about suites a narrower run would not have run', async () => {
      const run = await runJest(['-i', 'test/unit/slug'], { ...ABSENT });
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('Skipped ');
    });
  });

  it('should skip nothing else anywhere: no .skip, .todo, xit or xdescribe in the suites', () => {
    const marker = /\b(?:(?:describe|it|test)\.(?:skip|todo)|xit|xdescribe|xtest)\s*\(/;
    const offenders = testFiles(TEST_DIR).filter((file) => marker.test(readFileSync(file, 'utf8')));
    expect(offenders.map(relative)).toEqual([]);
  });
});
