/**
 * Runs a CLI as a real child process: `node dist/cli/<script>.js`, what
 * `npm run check` and `npm run new` run (`npm test` builds dist/ first).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { format } from 'node:util';
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

/**
 * Runs a command's exported function (`runCheck`, `runNew`, `runExport`,
 * `runInit`, `runLede`) in this process, as its script runs it: the same
 * arguments, a clean environment holding only PATH and `env` (as `runCli`
 * gives the child), `cwd` as the working folder, and what it prints and the
 * exit code it sets caught. It spares a Node start and a load of the
 * command's modules per run (0.5-1 s of CPU each, many times more on a busy
 * machine): the suites spawn the built scripts where the script itself is
 * what is tested, and run the rest here. Never for a command that ends the
 * process itself (`lede serve`, the server's start-up: `process.exit`).
 */
export async function runInProcess(
  run: (argv: readonly string[]) => Promise<void>,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<RunResult> {
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const out: string[] = [];
  const err: string[] = [];
  const print =
    (to: string[]) =>
    (...values: unknown[]) => {
      to.push(`${format(...values)}\n`);
    };
  const saved = { log: console.log, error: console.error, warn: console.warn };
  for (const key of Object.keys(process.env)) delete process.env[key];
  // The render threads' built module (jest.config.js) is the test run's, not the command's environment.
  Object.assign(process.env, { PATH: savedEnv.PATH ?? '', LEDE_RENDER_WORKER: savedEnv.LEDE_RENDER_WORKER ?? '', ...options.env });
  if (!savedEnv.LEDE_RENDER_WORKER) delete process.env.LEDE_RENDER_WORKER;
  process.exitCode = undefined;
  console.log = print(out);
  console.error = print(err);
  console.warn = print(err);
  process.chdir(options.cwd);
  try {
    await run(args);
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.exitCode = undefined;
    Object.assign(console, saved);
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}
