/**
 * The server under soak: the real app and lifecycle (src/lifecycle.ts), in a
 * child process that reports its port and, on request, its memory after a
 * full garbage collection, over the IPC channel. Run by scripts/soak.ts with
 * `node --expose-gc --import tsx`.
 */
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { gracefulShutdown, onShutdownSignal, serve } from '../src/lifecycle.js';

export type SoakServerMessage = { type: 'listening'; port: number } | { type: 'memory'; heapUsed: number; rss: number; cachePages: number; cacheBytes: number };

const config = loadConfig();
const app = createApp(config);
const server = await serve(app, config);
const send = (message: SoakServerMessage): void => void process.send?.(message);
const address = server.address();
send({ type: 'listening', port: typeof address === 'object' && address ? address.port : config.port });

process.on('message', (message: unknown) => {
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass may only finalise what the second frees.
  gc?.();
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const { pages, bytes } = app.cache.size;
  send({ type: 'memory', heapUsed, rss, cachePages: pages, cacheBytes: bytes });
});

onShutdownSignal(() => {
  void gracefulShutdown(server, app.logger).then(() => process.exit(0));
});
process.on('disconnect', () => void gracefulShutdown(server, app.logger).then(() => process.exit(0)));
