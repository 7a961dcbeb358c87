/**
 * The process's logger. In production, and whenever the output is not a
 * terminal (piped to a file, journald or a log shipper), one JSON object a
 * line, written asynchronously so a log line never blocks a request. In a
 * terminal outside production, lines are printed for people to read
 * (pino-pretty): a time, the level, the message and the fields that matter.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel, NodeEnv } from './config.js';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly env: NodeEnv;
  /** Is the output a terminal? Defaults to `process.stdout.isTTY`. */
  readonly tty?: boolean;
  /** Where lines go; defaults to stdout. */
  readonly destination?: DestinationStream;
}

/** Whether lines are written for people (a terminal outside production) or for machines. */
export function readableLogs(env: NodeEnv, tty: boolean): boolean {
  return tty && env !== 'production';
}

export function createLogger(options: LoggerOptions): Logger {
  const tty = options.tty ?? process.stdout.isTTY === true;
  if (readableLogs(options.env, tty)) {
    const stream = pretty({
      colorize: tty && !options.destination,
      translateTime: 'SYS:HH:MM:ss.l',
      // The pid and host are the same on every line of one process: noise to a reader.
      ignore: 'pid,hostname,reqId,req,res',
      singleLine: true,
      sync: true,
      ...(options.destination ? { destination: options.destination } : {}),
    });
    return pino({ level: options.level }, stream);
  }
  return pino({ level: options.level }, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
