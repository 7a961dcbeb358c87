/** Starts Lede: reads the config, builds the app, listens, shuts down cleanly. */
import { createApp } from './app.js';
import { isPrimary, runPrimary } from './cluster.js';
import { exitWithError } from './command-exit.js';
import { type Config, type Env, loadConfig } from './config.js';
import { PurgeHook } from './cdn/purge.js';
import { afterLoading, beforeLoading } from './heap-policy.js';
import { gracefulShutdown, onShutdownSignal, serve } from './lifecycle.js';
import { createLogger, createLogging } from './logger.js';
import { isEntry } from './main-module.js';
import { keepTickShapes } from './tick-shapes.js';

function readConfig(env: Env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    // Exit code 2 for a configuration error, as every command (docs/contributing.md, "Exit codes").
    exitWithError('lede', err);
  }
}

/** One server process (the only one, or a worker): listen, then shut down gracefully on a signal. */
async function startServer(config: Config): Promise<void> {
  // Before the posts load, whose idle collections would otherwise drop them (src/tick-shapes.ts).
  keepTickShapes();
  // JSON lines through a bounded buffer written asynchronously (a log line
  // costs no blocking write(2) on the request path; what waits is written when
  // the process exits), or readable lines in a terminal outside production.
  const { logger, lines } = createLogging({ level: config.logLevel, env: config.env });
  const app = createApp(config, { logger, accessLines: lines });
  let purge: PurgeHook | undefined;
  // Before listening: a signal that comes while the first scan runs (between the port
  // opening and `serve` returning) must find the handler, not Node's default (exit by
  // signal). One that comes before the server listens exits at once: nothing is in flight.
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  onShutdownSignal((signal) => {
    app.logger.info({ signal }, 'shutting down');
    purge?.stop();
    // Open pages' event streams never end by themselves: end them, or shutdown would wait for them.
    app.liveReload?.close();
    app.search.close();
    app.store.close();
    app.pages.close();
    if (!server) process.exit(0);
    void gracefulShutdown(server, app.logger).then(() => process.exit(0));
  });
  server = await serve(app, config);
  afterLoading();
  // The first render thread starts once the first scan is done, in time for the first reader.
  setImmediate(() => app.bodies.warm());
  // Index the posts for search now, in the background, rather than at the first search.
  void app.search.warm().catch((err: unknown) => app.logger.error({ err }, 'the search index could not be built'));
  // Tell the CDN which pages changed (docs/deploying.md, "Behind a CDN").
  purge = config.purgeUrl ? new PurgeHook({ url: config.purgeUrl, store: app.store, pages: app.pages, logger: app.logger }) : undefined;
  void purge?.start();
}

/**
 * Starts Lede with `env` (`process.env`, or what `lede serve` and `lede dev`
 * set in it): the primary of several processes when `WEB_CONCURRENCY` asks
 * for them (each worker runs the same command again), else the server itself.
 */
export function startLede(env: Env = process.env): void {
  beforeLoading();
  const config = readConfig(env);
  if (config.workers > 1 && isPrimary()) runPrimary(config.workers, createLogger({ level: config.logLevel, env: config.env }));
  else
    startServer(config).catch((err: unknown) => {
      console.error(`lede: cannot start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}

if (isEntry(import.meta.url)) startLede();
