/**
 * The commands of `lede`, the one command of the package (src/lede.ts starts
 * it; docs/command-line.md).
 *
 *   lede serve [dir]     the production server (dir: the content folder or a whole blog repository; default ./content)
 *   lede dev [dir]       the same with drafts shown and pages reloading on save
 *   lede check [dir]     every problem of the content, as file:line
 *   lede new "Title"     a new post, as a draft
 *   lede export <out>    the whole site as static files
 *   lede init <folder>   a new blog: package.json, content/ with a welcome post, README
 *
 * Each command reads the same environment variables as before (docs/configuration.md);
 * what it takes as flags it reads with `node:util`'s `parseArgs` in strict mode.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CommandArgs, type CommandSpec, runCli, whereTyped } from './cli/command-args.js';
import { EXIT, type ExitCode } from './command-exit.js';
import { PACKAGE_ROOT } from './config.js';

const SERVE_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
} as const;

function serveSpec(mode: 'serve' | 'dev'): CommandSpec<typeof SERVE_OPTIONS> {
  return {
    options: SERVE_OPTIONS,
    usage: `usage: lede ${mode} [<content folder or blog repository>] [--port <n>] [--host <address>]   (default: $CONTENT_DIR, else ./content)`,
    help: [
      mode === 'serve'
        ? '  NODE_ENV is production: drafts hidden, pages cached.'
        : '  NODE_ENV is development: drafts shown, open pages reload when a file is saved, listens on 127.0.0.1 unless --host says otherwise.',
      '  -p, --port   the port (default: $PORT, else 3000)',
      '  --host       the address to listen on (default: $HOST)',
    ],
    positionals: { min: 0, max: 1 },
  };
}

/** `lede serve` and `lede dev`: the server, with the folder and flags given put where the server reads its configuration. */
function serveCommand(mode: 'serve' | 'dev'): (argv: readonly string[]) => Promise<void> {
  return (argv) =>
    runCli(
      `lede ${mode}`,
      serveSpec(mode),
      async (args: CommandArgs<typeof SERVE_OPTIONS>): Promise<ExitCode> => {
        const dir = args.positionals[0];
        // In the environment, not only in a config object: the workers of WEB_CONCURRENCY read theirs again.
        if (dir) process.env.CONTENT_DIR = path.resolve(whereTyped(), dir);
        if (args.values.port !== undefined) process.env.PORT = args.values.port;
        if (args.values.host !== undefined) process.env.HOST = args.values.host;
        process.env.NODE_ENV = mode === 'serve' ? 'production' : 'development';
        // Loaded when asked for: `lede --version` or `lede check` need none of the server.
        const { startLede } = await import('./server.js');
        startLede(process.env);
        return EXIT.ok;
      },
      argv,
    );
}

const COMMANDS: Readonly<Record<string, { run: (argv: readonly string[]) => Promise<void>; summary: string }>> = {
  serve: { run: serveCommand('serve'), summary: 'serve [dir]      the blog, for readers (production)' },
  dev: { run: serveCommand('dev'), summary: 'dev [dir]        the blog while you write: drafts shown, pages reload on save' },
  check: { run: async (argv) => (await import('./cli/check.js')).runCheck(argv), summary: 'check [dir]      every problem of the content, as file:line' },
  new: { run: async (argv) => (await import('./cli/new-post.js')).runNew(argv), summary: 'new "Title"      a new post, as a draft' },
  export: { run: async (argv) => (await import('./cli/export.js')).runExport(argv), summary: 'export <folder>  the whole site as static files' },
  init: { run: async (argv) => (await import('./cli/init.js')).runInit(argv), summary: 'init <folder>    a new blog in a new folder' },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  return [
    'usage: lede <command> [arguments]',
    '',
    ...Object.values(COMMANDS).map((c) => `  lede ${c.summary}`),
    '',
    '  lede <command> --help   what a command takes',
    '  lede --version          the version of Lede',
    'exit codes: 0 done, 1 something to fix (listed above it), 2 could not start (usage, configuration), 3 a bug in Lede',
  ].join('\n');
}

/** Runs `lede <command> ...`. */
export async function runLede(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    process.exitCode = name === undefined ? EXIT.cannotStart : EXIT.ok;
    return;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`lede: "${name}" is not a command of Lede\n${overview()}`);
    process.exitCode = EXIT.cannotStart;
    return;
  }
  await command.run(rest);
}
