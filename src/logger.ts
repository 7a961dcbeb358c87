/**
 * The process's logger. In production, and whenever the output is not a
 * terminal (piped to a file, journald or a log shipper), one JSON object a
 * line, through a bounded buffer written asynchronously (src/line-sink.ts),
 * so a log line never blocks a request, and flushed on exit. In a
 * terminal outside production, lines are printed for people to read
 * (pino-pretty): a time, the level, the message and the fields that matter.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel, NodeEnv } from './config.js';
import { LineSink, type LineWriter } from './line-sink.js';

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

export interface Logging {
  readonly logger: Logger;
  /**
   * The logger's own JSON output (stdout), when lines are for machines: the
   * access log writes its lines here ready-made, in pino's shape, skipping
   * pino's serialisation of each one.
   */
  readonly lines: LineWriter | undefined;
}

export function createLogger(options: LoggerOptions): Logger {
  return createLogging(options).logger;
}

export function createLogging(options: LoggerOptions): Logging {
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
    return { logger: pino({ level: options.level }, stream), lines: undefined };
  }
  if (options.destination) return { logger: pino({ level: options.level }, options.destination), lines: undefined };
  // Lines dropped because stdout could not keep up are counted and said once it has caught up.
  let logger: Logger | undefined;
  const sink = new LineSink({
    fd: 1,
    onDrop: (dropped) => logger?.warn({ droppedLines: dropped, droppedTotal: sink.dropped }, `${dropped} log lines dropped: the output could not keep up`),
  });
  // Nothing waiting is lost when the process ends (a signal, process.exit, an uncaught exception).
  process.once('exit', () => sink.flushSync());
  logger = pino({ level: options.level }, sink);
  return { logger, lines: sink };
}
