/**
 * A command's arguments, read by `node:util`'s `parseArgs` in strict mode:
 * an option the command does not know (`--bunlde`), a value given to a flag,
 * or too many or too few arguments is a `UsageError` (exit code 2, the
 * usage line printed: src/command-exit.ts). `--help` and `-h` are every
 * command's.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from '../command-exit.js';

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

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP; strict: true; allowPositionals: true }>
>;

/** The values and arguments given, or `help` when `--help` was (the caller prints `helpText` and exits 0). */
export function commandArgs<const O extends ParseArgsOptionsConfig>(argv: readonly string[], spec: CommandSpec<O>): Parsed<O> | 'help' {
  let parsed: Parsed<O>;
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

/** What `--help` prints. */
export function helpText(spec: CommandSpec<ParseArgsOptionsConfig>): string {
  return [
    spec.usage,
    ...(spec.help ?? []),
    '  -h, --help   print this and exit',
    'exit codes: 0 done, 1 something to fix (listed above it), 2 could not start (usage, configuration), 3 a bug in Lede',
  ].join('\n');
}
