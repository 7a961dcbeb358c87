/**
 * `lede export <dir>` (`npm run export -- <dir>` here): writes the whole site into `<dir>` as static
 * files (see src/cli/export-site.ts). Reads the same configuration as the
 * server; NODE_ENV defaults to production, so drafts are left out.
 */
import path from 'node:path';
import { pino } from 'pino';
import { isEntry } from '../main-module.js';
import { CommandError, EXIT, type ExitCode } from '../command-exit.js';
import { loadConfig } from '../config.js';
import { asTyped, type CommandArgs, type CommandSpec, runCli, whereTyped } from './command-args.js';
import { ExportError, exportSite } from './export-site.js';
import { TargetError } from './export-target.js';

const COMMAND: CommandSpec<Record<string, never>> = {
  options: {},
  usage: 'usage: lede export <folder>   (SITE_URL should be the address the files will be served at; in this repository: npm run export -- <folder>)',
  positionals: { min: 1, max: 1 },
};

async function main(args: CommandArgs<Record<string, never>>): Promise<ExitCode> {
  const dir = args.positionals[0]!;
  const config = loadConfig({ NODE_ENV: 'production', ...process.env });
  const shownContent = asTyped(config.contentDir);
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  try {
    // A relative folder means where the command was typed.
    const report = await exportSite(config, path.resolve(whereTyped(), dir), { logger });
    for (const link of report.broken) console.warn(`lede: broken link on ${link.from}: ${link.href} (${link.status})`);
    // Like `npm run check`: the file and line to fix, then what was left out of the export.
    for (const p of report.problems) console.warn(`lede: ${p.file ? `${path.join(shownContent, p.file)}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
    console.log(
      `lede: exported ${report.paths.length} pages and files (${report.files} files with the precompressed ones, ${(report.bytes / 1024).toFixed(0)} KB) for ${config.siteUrl} to ${report.outDir}`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ExportError || err instanceof TargetError) throw new CommandError(err.message, EXIT.problems);
    throw err;
  }
}

/** `lede export <folder>`. */
export function runExport(argv: readonly string[]): Promise<void> {
  return runCli('lede export', COMMAND, main, argv);
}

if (isEntry(import.meta.url)) await runExport(process.argv.slice(2));
