/**
 * `lede check [folder]` (`npm run check -- <folder>` here): validates a whole content folder (the
 * settings file, every post, slugs, aliases and bundle images) with the same
 * store and parser the server uses, and prints each problem as
 * `path:line: message`. Exit status (src/command-exit.ts): 0 when there are
 * no problems, 1 when there are, 2 when the check itself cannot run (an
 * unknown option, no such folder, bad environment).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isEntry } from '../main-module.js';
import { CommandError, EXIT, type ExitCode } from '../command-exit.js';
import { readEnv } from '../config.js';
import { checkContent } from './check-content.js';
import { asTyped, type CommandArgs, type CommandSpec, runCli, whereTyped } from './command-args.js';

const COMMAND: CommandSpec<Record<string, never>> = {
  options: {},
  usage: 'usage: lede check [<content folder>]   (default: $CONTENT_DIR, else ./content; in this repository: npm run check -- <folder>)',
  positionals: { min: 0, max: 1 },
};

async function main(args: CommandArgs<Record<string, never>>): Promise<ExitCode> {
  const arg = args.positionals[0];
  const env = readEnv(process.env);
  // A folder given as an argument, and the paths printed, are relative to where the command was typed.
  const contentDir = arg ? path.resolve(whereTyped(), arg) : path.resolve(env.CONTENT_DIR);
  if (!statSync(contentDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CommandError(`${contentDir} is not a folder; give the content folder as an argument or in CONTENT_DIR`, EXIT.cannotStart);
  }
  const started = performance.now();
  const report = await checkContent(contentDir, env.MAX_POST_BYTES, { renderTimeoutMs: env.RENDER_TIMEOUT_MS });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const base = asTyped(contentDir);
  // A whole blog repository: what was recognised in it, first.
  if (report.site) console.log(report.site);
  // Problems and notices in one list by file, so each file's lines read together.
  for (const p of [...report.problems, ...report.notices].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))) {
    console.log(`${path.join(base, p.file)}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  }
  // One line for the keys Lede does not use, not one per file: copied posts carry many.
  if (report.ignoredKeys.length) {
    const shown = report.ignoredKeys.slice(0, 20).map(({ key, files }) => `${key} (${files} file${files === 1 ? '' : 's'})`);
    const more = report.ignoredKeys.length - shown.length;
    console.log(`keys ignored (passed to templates only): ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`);
  }
  const files = new Set(report.problems.map((p) => p.file)).size;
  const extras = [report.drafts && `${report.drafts} draft${report.drafts === 1 ? '' : 's'}`, report.scheduled && `${report.scheduled} scheduled`].filter(
    Boolean,
  );
  const pages = report.pages ? `, ${report.pages} page${report.pages === 1 ? '' : 's'}` : '';
  const notices = report.notices.length ? `; ${report.notices.length} notice${report.notices.length === 1 ? '' : 's'} above` : '';
  const counted = `${report.posts} post${report.posts === 1 ? '' : 's'}${extras.length ? ` (${extras.join(', ')})` : ''}${pages}`;
  if (report.problems.length) {
    const n = report.problems.length;
    console.log(`✖ ${n} problem${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ${counted} read from ${base}${notices} (${seconds} s)`);
    return EXIT.problems;
  }
  console.log(`✔ no problems: ${counted} in ${base}${notices} (${seconds} s)`);
  return EXIT.ok;
}

/** `lede check [folder]`. */
export function runCheck(argv: readonly string[]): Promise<void> {
  return runCli('lede check', COMMAND, main, argv);
}

if (isEntry(import.meta.url)) await runCheck(process.argv.slice(2));
