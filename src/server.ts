/** Starts Lede: reads the config, builds the app, listens, shuts down cleanly. */
import { createServer } from 'node:http';
import { pino } from 'pino';
import { createApp } from './app.js';
import { isPrimary, runPrimary } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { PurgeHook } from './http/purge.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`lede: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

function startServer(config: Config): void {
  const app = createApp(config);
  const server = createServer(app);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    app.logger.info({ port, contentDir: config.contentDir, env: config.env }, `Lede is serving ${config.contentDir} at http://${config.host ?? 'localhost'}:${port}`);
  });
  // Warm the content store so the first reader does not wait for the scan.
  void app.store.view();
  // Tell the CDN which pages changed (README, "Deploying": behind a CDN).
  if (config.purgeUrl) void new PurgeHook({ url: config.purgeUrl, store: app.store, logger: app.logger }).start();

  const shutdown = (signal: string): void => {
    app.logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

const config = readConfig();
if (config.workers > 1 && isPrimary()) runPrimary(config.workers, pino({ level: config.logLevel }));
else startServer(config);
