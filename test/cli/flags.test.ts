/**
 * Every command's options, read strictly (src/cli/command-args.ts), and its
 * errors ending with the documented exit codes (src/command-exit.ts,
 * docs/authoring.md "Exit codes"): a mistyped option is an error naming it
 * with the usage line, never silently ignored; `--help` prints the usage.
 * An unknown option, and what ends the process itself (the server's
 * start-up), run the built commands (`node dist/cli/<name>.js`,
 * `node dist/server.js`): each script's own start is tested there. The other
 * cases call the same commands' functions in this process (`runInProcess`),
 * which a Node start per case would make this the slowest suite of the loop.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/cli/check.js';
import { runExport } from '../../src/cli/export.js';
import { runInit } from '../../src/cli/init.js';
import { runNew } from '../../src/cli/new-post.js';
import { runLede } from '../../src/commands.js';
import { runInProcess, type RunResult } from '../helpers/cli.js';
import { ROOT, TempContent } from '../helpers/site.js';

function run(script: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'dist', script), ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

type Main = (argv: readonly string[]) => Promise<void>;

/** The function each script runs with its arguments (`isEntry` in src/main-module.ts): `lede.js` runs `runLede`. */
const MAINS: Record<string, Main> = {
  'cli/check.js': runCheck,
  'cli/new-post.js': runNew,
  'cli/export.js': runExport,
  'cli/init.js': runInit,
  'lede.js': runLede,
};

/** `script` with `args`, in this process: what `run` checks of the built script. */
function runHere(script: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return runInProcess(MAINS[script]!, args, options);
}

/** Each command as its own script, and as `lede <command>` (src/lede.ts, the package's command). */
const COMMANDS = [
  { script: 'cli/check.js', pre: [] as string[], prefix: 'lede check', usage: 'usage: lede check', args: [] as string[] },
  { script: 'cli/new-post.js', pre: [] as string[], prefix: 'lede new', usage: 'usage: lede new', args: ['A title'] },
  { script: 'cli/export.js', pre: [] as string[], prefix: 'lede export', usage: 'usage: lede export', args: ['site'] },
  { script: 'lede.js', pre: ['check'], prefix: 'lede check', usage: 'usage: lede check', args: [] as string[] },
  { script: 'lede.js', pre: ['new'], prefix: 'lede new', usage: 'usage: lede new', args: ['A title'] },
  { script: 'lede.js', pre: ['export'], prefix: 'lede export', usage: 'usage: lede export', args: ['site'] },
  { script: 'lede.js', pre: ['init'], prefix: 'lede init', usage: 'usage: lede init', args: ['blog'] },
];

describe('command options', () => {
  let content: TempContent;
  let env: Record<string, string>;
  beforeEach(() => {
    content = new TempContent();
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    env = { CONTENT_DIR: content.dir, SITE_URL: 'https://blog.example.com/', LOG_LEVEL: 'silent' };
  });
  afterEach(() => content.cleanup());

  it.each(COMMANDS)(
    '$script $pre should refuse an unknown option, naming it, with the usage line, exit 2, and do nothing',
    async ({ script, pre, prefix, usage, args }) => {
      const result = await run(script, [...pre, ...args, '--bunlde'], { cwd: content.dir, env });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(`${prefix}: Unknown option '--bunlde'`);
      expect(result.stderr.split('\n')[1]).toMatch(new RegExp(`^${usage}`));
      expect(result.stdout).toBe('');
      expect(existsSync(path.join(content.dir, 'a-title.md'))).toBe(false);
      expect(existsSync(path.join(content.dir, 'site'))).toBe(false);
      expect(existsSync(path.join(content.dir, 'blog'))).toBe(false);
    },
  );

  it.each(COMMANDS)('$script $pre --help should print its usage and options and exit 0', async ({ script, pre, usage }) => {
    for (const flag of ['--help', '-h']) {
      const result = await runHere(script, [...pre, flag], { cwd: content.dir, env });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^${usage}`));
      expect(result.stdout).toContain('-h, --help');
      expect(result.stderr).toBe('');
    }
  });

  it('should refuse a value given to a flag, and an extra argument', async () => {
    const bundled = await runHere('cli/new-post.js', ['A title', '--bundle=yes'], { cwd: content.dir, env });
    expect(bundled.code).toBe(2);
    expect(bundled.stderr.split('\n')[0]).toBe("lede new: Option '--bundle' does not take an argument");
    const extra = await runHere('cli/check.js', ['one', 'two'], { cwd: content.dir, env });
    expect(extra.code).toBe(2);
    expect(extra.stderr.split('\n')[0]).toBe('lede check: unexpected argument "two"');
    const missing = await runHere('cli/export.js', [], { cwd: content.dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')).toEqual(['lede export: an argument is missing', expect.stringMatching(/^usage: lede export <folder>/), '']);
  });

  it('should take the options it knows: new --bundle writes a bundle', async () => {
    const result = await runHere('cli/new-post.js', ['--bundle', 'A', 'title'], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(content.dir, 'a-title', 'index.md'))).toBe(true);
  });

  it.each([
    ...COMMANDS.filter((c) => c.pre[0] !== 'init'),
    { script: 'server.js', pre: [] as string[], prefix: 'lede', usage: '', args: [] as string[] },
    { script: 'lede.js', pre: ['serve'], prefix: 'lede', usage: '', args: [] as string[] },
  ])('$script $pre should say which variable is wrong and exit 2 on a configuration error', async ({ script, pre, prefix, args }) => {
    // The server's start-up ends the process itself: run as a process of its own.
    const serves = script === 'server.js' || pre[0] === 'serve';
    const result = await (serves ? run : runHere)(script, [...pre, ...args], { cwd: content.dir, env: { ...env, PORT: 'eighty' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${prefix}: environment: field \`PORT\``));
  });

  it('lede should name a command it does not have, list its commands, and exit 2', async () => {
    const result = await runHere('lede.js', ['publish'], { cwd: content.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('lede: "publish" is not a command of Lede');
    expect(result.stderr).toMatch(/^ {2}lede serve \[dir\]/m);
    const bare = await runHere('lede.js', [], { cwd: content.dir, env });
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/^usage: lede <command>/);
  });

  it('lede serve should take its flags strictly, before starting anything', async () => {
    const result = await runHere('lede.js', ['serve', '--prot', '4000'], { cwd: content.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("lede serve: Unknown option '--prot'");
    // Past its flags, `lede serve` starts the server, whose start-up ends the process: a process of its own.
    const folder = await run('lede.js', ['serve', 'no-such-folder'], { cwd: content.dir, env });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^lede: CONTENT_DIR: .*no-such-folder does not exist/);
  });
});
