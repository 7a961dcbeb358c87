/**
 * `lede init <folder>` (and `npm create lede-blog <folder>`): a new blog in a
 * new folder, from the package's `scaffold/`: `package.json` depending on
 * Lede with `start`, `dev`, `check`, `new` and `export` scripts, `content/`
 * with `_site.yml` and a welcome post dated today, a `.gitignore` and a
 * README of the commands. Never writes into a folder that holds anything.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CommandError, EXIT, type ExitCode } from '../command-exit.js';
import { PACKAGE_ROOT } from '../config.js';
import { isEntry } from '../main-module.js';
import { asTyped, type CommandArgs, type CommandSpec, runCli, whereTyped } from './command-args.js';

const COMMAND: CommandSpec<Record<string, never>> = {
  options: {},
  usage: 'usage: lede init <folder>   (a new folder, or an empty one)',
  positionals: { min: 1, max: 1 },
};

/** The package's own name and version: the new blog depends on them. */
function ownPackage(): { name: string; version: string } {
  return JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
}

/** An npm package name from a folder name: lower case, no spaces, at most 214 characters. */
export function packageNameOf(folder: string): string {
  const name = path
    .basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
    .slice(0, 214);
  return name || 'my-blog';
}

/** Writes a new blog into `dir` (which must not exist, or be empty); the files written, relative to it. */
export function scaffoldBlog(dir: string, today: DateTime = DateTime.now()): string[] {
  const existing = statSync(dir, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new CommandError(`${asTyped(dir)} is a file; give a new folder for the blog`, EXIT.problems);
  if (existing && readdirSync(dir).length > 0) {
    throw new CommandError(`${asTyped(dir)} is not empty; Lede writes a new blog only into a new or empty folder, and changes nothing there`, EXIT.problems);
  }
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(PACKAGE_ROOT, 'scaffold'), dir, { recursive: true });
  // npm leaves `.gitignore` out of a package, so it travels as `gitignore`.
  renameSync(path.join(dir, 'gitignore'), path.join(dir, '.gitignore'));
  const name = packageNameOf(dir);
  const own = ownPackage();
  fill(path.join(dir, 'README.md'), { name: path.basename(dir) });
  fill(path.join(dir, 'content', 'welcome.md'), { date: today.toISODate() ?? '' });
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    description: 'A blog served by Lede',
    scripts: {
      start: 'lede serve',
      dev: 'lede dev',
      check: 'lede check',
      new: 'lede new',
      export: 'lede export site',
    },
    dependencies: { [own.name]: `^${own.version}` },
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Replaces each `{{key}}` of the file with its value. */
function fill(file: string, values: Readonly<Record<string, string>>): void {
  const text = readFileSync(file, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  writeFileSync(file, text);
}

async function main(args: CommandArgs<Record<string, never>>): Promise<ExitCode> {
  const dir = path.resolve(whereTyped(), args.positionals[0]!);
  const files = scaffoldBlog(dir);
  const shown = asTyped(dir);
  console.log(`lede: a new blog in ${shown}: ${files.join(', ')}`);
  console.log(['', 'Next:', `  cd ${shown}`, '  npm install', '  npm run dev      # http://127.0.0.1:3000, reloads on save'].join('\n'));
  return EXIT.ok;
}

/** `lede init <folder>`. */
export function runInit(argv: readonly string[]): Promise<void> {
  return runCli('lede init', COMMAND, main, argv);
}

if (isEntry(import.meta.url)) await runInit(process.argv.slice(2));
