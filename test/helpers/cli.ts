/**
 * Runs a CLI as a real child process: `node dist/cli/<script>.js`, what
 * `npm run check` and `npm run new` run (`npm test` builds dist/ first).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './site.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(script: 'check' | 'new-post', args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli', `${script}.js`), ...args],
      // A clean environment: nothing of the test run's own CONTENT_DIR, SITE_URL or NODE_OPTIONS leaks in.
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
