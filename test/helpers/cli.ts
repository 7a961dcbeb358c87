/** Runs a CLI of src/cli as a real child process (`node`, with tsx loading the TypeScript). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './site.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const LOADER = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');

export function runCli(script: 'check' | 'new-post', args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', LOADER, path.join(ROOT, 'src', 'cli', `${script}.ts`), ...args],
      // A clean environment: nothing of the test run's own CONTENT_DIR, SITE_URL or NODE_OPTIONS leaks in.
      { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
