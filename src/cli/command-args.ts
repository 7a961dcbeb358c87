/**
 * A command's arguments, read by `node:util`'s `parseArgs` in strict mode:
 * an option the command does not know (`--bunlde`), a value given to a flag,
 * or too many or too few arguments is a `UsageError` (exit code 2, the
 * usage line printed: src/command-exit.ts). `--help` and `-h` are every
 * command's.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { EXIT, type ExitCode, runCommand, UsageError } from '../command-exit.js';

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** The command's options besides `--help`. */
  readonly options: O;
  /** One line: how to call the command. */
  readonly usage: string;
  /** Lines after the usage line for `--help` (what each option does). */
  readonly help?: readonly string[];
  /** How many arguments that are not options it takes. */
  readonly positionals: { readonly min: number; readonly max: number };
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** What a command receives: its options' values and its other arguments. */
export type CommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP; strict: true; allowPositionals: true }>
>;

/** The values and arguments given, or `help` when `--help` was (the caller prints `helpText` and exits 0). */
function commandArgs<const O extends ParseArgsOptionsConfig>(argv: readonly string[], spec: CommandSpec<O>): CommandArgs<O> | 'help' {
  let parsed: CommandArgs<O>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...spec.options, ...HELP }, strict: true, allowPositionals: true });
  } catch (err) {
    // Node's message starts with what is wrong ("Unknown option '--bunlde'"), then advice on `--` we do not need.
    throw new UsageError((err as Error).message.split('. ')[0]!, spec.usage);
  }
  if ((parsed.values as { help?: boolean }).help) return 'help';
  const given = parsed.positionals.length;
  if (given < spec.positionals.min) throw new UsageError('an argument is missing', spec.usage);
  if (given > spec.positionals.max) {
    const extra = parsed.positionals
      .slice(spec.positionals.max)
      .map((arg) => `"${arg}"`)
      .join(', ');
    throw new UsageError(`unexpected argument${given - spec.positionals.max === 1 ? '' : 's'} ${extra}`, spec.usage);
  }
  return parsed;
}

/**
 * Runs a command line: its arguments read by `spec`, `--help` printed (exit
 * 0), anything else handed to `main`; what it returns or throws sets the exit
 * code (src/command-exit.ts).
 */
export async function runCli<const O extends ParseArgsOptionsConfig>(
  command: string,
  spec: CommandSpec<O>,
  main: (args: CommandArgs<O>) => Promise<ExitCode>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  await runCommand(command, async () => {
    const args = commandArgs(argv, spec);
    if (args !== 'help') return main(args);
    console.log(helpText(spec));
    return EXIT.ok;
  });
}

/** Where the command was typed: `npm run` starts scripts in the package folder and says where in INIT_CWD. */
export function whereTyped(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** `file` as the author would type it from where the command was typed (absolute when outside it), so editors and terminals open it. */
export function asTyped(file: string): string {
  const relative = path.relative(whereTyped(), file);
  return relative.startsWith('..') ? file : relative || '.';
}

/** What `--help` prints. */
function helpText(spec: CommandSpec<ParseArgsOptionsConfig>): string {
  return [
    spec.usage,
    ...(spec.help ?? []),
    '  -h, --help   print this and exit',
    'exit codes: 0 done, 1 something to fix (listed above it), 2 could not start (usage, configuration), 3 a bug in Lede',
  ].join('\n');
}
