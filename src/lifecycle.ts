/**
 * Running one server process: listen with the limits of
 * src/http/server-options.ts, and shut down gracefully. On SIGTERM or SIGINT
 * the server stops accepting connections, lets requests in flight finish
 * (closing each connection as soon as it is idle), and gives up on the
 * stragglers after a deadline, so the process always exits within 10 s.
 *
 * Used by src/server.ts, once per worker process when there are several.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { LedeApp } from './app.js';
import type { Config } from './config.js';
import { createLimitedServer, DEFAULT_LIMITS, type ServerLimits } from './http/server-options.js';

/** Shutdown finishes in-flight requests for at most this long, well inside a 10 s grace period. */
export const SHUTDOWN_TIMEOUT_MS = 8_000;

/** Where a server outside production listens when `HOST` is unset: this machine only. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * The address to listen on: `HOST` when set; else every interface in
 * production, and loopback otherwise, because development shows drafts and
 * content problems to whoever can reach it (as `hugo server` does;
 * docs/configuration.md, `HOST`).
 */
export function listenHost(config: Pick<Config, 'host' | 'env'>): string | undefined {
  if (config.host !== undefined) return config.host;
  return config.env === 'production' ? undefined : LOOPBACK_HOST;
}

/** Listens on the configured port and host (`listenHost`); resolves once listening. */
export async function serve(app: LedeApp, config: Config, limits: ServerLimits = DEFAULT_LIMITS): Promise<Server> {
  const server = createLimitedServer(app, limits);
  const host = listenHost(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  app.logger.info({ port, contentDir: config.contentDir, env: config.env }, `Lede is serving ${config.contentDir} at http://${host ?? 'localhost'}:${port}`);
  // Warm the content store so the first reader does not wait for the scan.
  void app.store.view();
  return server;
}

export interface ShutdownResult {
  /** True when requests were still running at the deadline and their connections were cut. */
  forced: boolean;
}

/**
 * Stops accepting, finishes what is in flight, closes keep-alive connections
 * as soon as they are idle, and cuts whatever is left after `timeoutMs`.
 */
export function gracefulShutdown(server: Server, logger: Pick<Logger, 'info' | 'warn'>, timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<ShutdownResult> {
  return new Promise((resolve) => {
    let forced = false;
    // Responses still to be written tell their client not to send another request on this connection.
    server.prependListener('request', (_req, res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    });
    // A keep-alive connection that goes idle while we wait is closed at once, not after its timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      forced = true;
      logger.warn({ timeoutMs }, 'requests still running at the shutdown deadline; closing their connections');
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      logger.info({ forced }, 'server closed');
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}

/**
 * Calls `onSignal` once, on the first SIGTERM or SIGINT. A second SIGINT (an
 * impatient Ctrl-C) exits at once; other repeats are ignored, because a
 * cluster worker gets SIGINT from the terminal and SIGTERM from its primary.
 */
export function onShutdownSignal(onSignal: (signal: NodeJS.Signals) => void): void {
  let received = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (received) {
      if (signal === 'SIGINT') process.exit(1);
      return;
    }
    received = true;
    onSignal(signal);
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
