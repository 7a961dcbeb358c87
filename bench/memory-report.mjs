// Preloaded into a server for measurement (`node --expose-gc --import ./bench/memory-report.mjs dist/server.js`):
// on SIGUSR2, two full collections, then process.memoryUsage() and V8's heap spaces on stderr; each
// render thread (which loads this too) gives its own heap's figures.
import { getHeapSpaceStatistics } from 'node:v8';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

const mb = (n) => `${Math.round(n / 2 ** 20)} MB`;
const channel = new BroadcastChannel('lede-memory-report');
channel.unref();
if (isMainThread) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    globalThis.gc?.();
    globalThis.gc?.();
    const mu = process.memoryUsage();
    const spaces = getHeapSpaceStatistics()
      .filter((s) => s.space_size > 2 ** 20)
      .map((s) => `${s.space_name} ${mb(s.space_size)}/${mb(s.space_used_size)}`);
    process.stderr.write(
      `memory: rss ${mb(before.rss)} -> ${mb(mu.rss)} after gc, heapTotal ${mb(mu.heapTotal)}, heapUsed ${mb(before.heapUsed)} -> ${mb(mu.heapUsed)}, external ${mb(mu.external)}, arrayBuffers ${mb(mu.arrayBuffers)}; ${spaces.join(', ')}\n`,
    );
    channel.postMessage('report');
  });
} else {
  channel.onmessage = () => {
    const mu = process.memoryUsage();
    process.stderr.write(`  thread ${threadId}: heapTotal ${mb(mu.heapTotal)}, heapUsed ${mb(mu.heapUsed)}, external ${mb(mu.external)}\n`);
  };
}
