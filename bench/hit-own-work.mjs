/**
 * Lede's own work on a cache hit, without Node's: the built app answers the
 * sample article from its front cache, in process, to request objects made
 * here and a response whose `writeHead` and `end` do nothing. Prints the CPU
 * time a hit (user + system, `process.cpuUsage`), which moves far less than
 * req/s on a shared machine, and the same for making the two objects alone.
 * What Node then does with the head and the body is what `npm run bench`
 * measures against node:http.
 *
 *   npm run build    # in each checkout to compare
 *   node bench/hit-own-work.mjs [ROOT] [--hits 200000]
 *
 * ROOT: the checkout whose `dist/` is measured (this one by default); run two
 * in turns to compare builds. Any request reaching Express is counted and
 * printed: a hit must not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const hitsAt = argv.indexOf('--hits');
const HITS = hitsAt >= 0 ? Number(argv[hitsAt + 1]) : 200_000;
const root = path.resolve(argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--hits') ?? fileURLToPath(new URL('..', import.meta.url)));
const load = (file) => import(pathToFileURL(path.join(root, file)).href);

// The bench's own content (bench/content.ts), through tsx when it is there; else the bundled folder.
const work = mkdtempSync(path.join(os.tmpdir(), 'lede-hit-'));
let contentDir = path.join(root, 'content');
let slug = 'deepseek-rising-challenger';
try {
  const content = await import('./content.ts');
  contentDir = content.makeContent(path.join(work, 'content'), root, 1);
  slug = content.SAMPLE_SLUG;
} catch {
  // Plain node: the bundled content holds the same sample post.
}
const { loadConfig } = await load('dist/config.js');
const { createApp } = await load('dist/app.js');
const { pino } = await load('node_modules/pino/pino.js');
const config = loadConfig({ ...process.env, CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'warn' }, root);
const app = createApp(config, { logger: pino({ level: 'warn' }) });
const page = `/posts/${slug}`;

// Made once through a real server, so the front cache holds it.
const server = createServer(app).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${server.address().port}${page}`)).arrayBuffer();
server.close();

let reachedExpress = 0;
class NoWrites {
  statusCode = 200;
  writeHead(status) {
    this.statusCode = status;
    return this;
  }
  end() {}
  setHeader() {
    reachedExpress++;
  }
  once() {}
}
const socket = new Socket();
const request = () => {
  const req = new IncomingMessage(socket);
  req.rawHeaders = ['Host', 'localhost'];
  req.url = page;
  req.method = 'GET';
  return req;
};
const cpuNs = (since) => {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) * 1000) / HITS;
};

const rounds = [];
for (let round = 0; round < 5; round++) {
  const since = process.cpuUsage();
  for (let i = 0; i < HITS; i++) app(request(), new NoWrites());
  rounds.push(cpuNs(since));
  // The turn ends: what a hit keeps for one turn (src/cache/turn-stats.ts) is let go, as under load.
  await new Promise((resolve) => setImmediate(resolve));
}
const since = process.cpuUsage();
for (let i = 0; i < HITS; i++) {
  request();
  new NoWrites();
}
const objects = cpuNs(since);
// The first two rounds warm the JIT up.
console.log(
  `${root}: ${rounds
    .slice(2)
    .map((ns) => ns.toFixed(0))
    .join(', ')} ns of CPU a hit (making the two objects: ${objects.toFixed(0)} ns), ${process.version}`,
);
if (reachedExpress) console.log(`${reachedExpress} requests reached Express: not hits`);
rmSync(work, { recursive: true, force: true });
process.exit(0);
