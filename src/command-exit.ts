/**
 * How every command of Lede ends when it cannot do what it was asked
 * (`npm run check`, `npm run new`, `npm run export`, and the server's
 * start-up): one line on stderr, `<command>: <file>: <problem>` (the
 * usage line after it for a mistyped command), and an exit code from `EXIT`.
 * The codes are documented in docs/authoring.md, "Exit codes".
 */
import { ConfigError } from './config.js';

export const EXIT = {
  /** Done (`check`: no problems). */
  ok: 0,
  /** The command ran and something needs a fix: problems found, a slug taken, an export folder refused or not written. */
  problems: 1,
  /** The command could not start: an unknown option or a missing argument, a bad environment variable or settings file, no content folder. */
  cannotStart: 2,
  /** Lede itself failed (a bug): the stack trace is printed. */
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command was typed wrong (an unknown option, a missing argument): said with its usage line (alone, when there is nothing more to say). */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** Something the author can act on, and the code the command ends with. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
  }
}

/**
 * Prints why `command` stops and returns its exit code: the message of a
 * configuration, usage or command error (they name the file and the
 * problem), the stack of anything else (ours, not the author's).
 */
export function reportError(command: string, err: unknown): ExitCode {
  if (err instanceof UsageError) {
    console.error(err.message ? `${command}: ${err.message}\n${err.usage}` : err.usage);
    return EXIT.cannotStart;
  }
  if (err instanceof ConfigError) {
    console.error(`${command}: ${err.message}`);
    return EXIT.cannotStart;
  }
  if (err instanceof CommandError) {
    console.error(`${command}: ${err.message}`);
    return err.code;
  }
  console.error(`${command}: internal error (a bug in Lede; please report it with what follows)`);
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return EXIT.internal;
}

/** Runs a command and sets the process's exit code from what it returns, or from what it throws. */
export async function runCommand(command: string, main: () => Promise<ExitCode>): Promise<void> {
  let code: ExitCode;
  try {
    code = await main();
  } catch (err) {
    code = reportError(command, err);
  }
  process.exitCode = code;
}

/** Reports `err` and ends the process now (the server's start-up, which has no command to return from). */
export function exitWithError(command: string, err: unknown): never {
  process.exit(reportError(command, err));
}
