/**
 * `npx tsx bench/render-budget.ts`: how long the event loop is held while the
 * server renders hostile posts of 2 MB (MAX_POST_BYTES). A content folder of
 * one post per kind of hostile input; each page is requested once, cold, and
 * the longest event-loop delay seen meanwhile is printed next to the idle
 * machine's own (a shared VM is noisy: compare the two columns). The client
 * reads the bytes in C (llhttp) and counts them, so the delay is the server's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../src/app.js';
import { makeConfig } from '../src/config.js';

const SIZE = 2 * 1024 * 1024 - 200;
const fill = (unit: string): string => unit.repeat(Math.floor(SIZE / unit.length));
const prose = 'Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, [link](http://x.y) sed `do` eiusmod.\n\n';
const bodies: Record<string, string> = {
  prose: fill(prose),
  brackets: fill('['),
  underscores: fill('_a'),
  emphasis: fill('*a*\n'),
  quotes: fill('>'),
  java: `\`\`\`java\n${fill('$').slice(0, SIZE - 20)}\n\`\`\`\n`,
  links: fill('[a](b) '),
  fences: fill('```js\nlet a = 1;\n```\n'),
  // Read on the main thread too: template syntax of other generators, and search's plain text.
  admonitions: fill(':::\n'),
  pipes: fill('|'),
};

const dir = mkdtempSync(path.join(tmpdir(), 'lede-budget-'));
for (const [name, body] of Object.entries(bodies))
  writeFileSync(path.join(dir, `${name}.md`), `---\ntitle: ${name}\npublish_date: 2024-01-01\ntags: [t]\n---\n${body}`);
const app = createApp(makeConfig({ contentDir: dir, env: 'production', logLevel: 'silent' }));
const server = createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const request = (url: string): Promise<string> =>
  new Promise((resolve) => {
    const started = performance.now();
    get(`http://127.0.0.1:${port}${url}`, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(`${res.statusCode} ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms`));
    });
  });

async function idleDelay(ms: number): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await new Promise((r) => setTimeout(r, ms));
  h.disable();
  return Math.round(h.max / 1e6);
}

console.log(`idle machine: longest loop delay in 3 s ${await idleDelay(3000)} ms`);
for (const url of ['/', ...Object.keys(bodies).map((n) => `/posts/${n}`), '/feed.xml', '/tags/t', '/sitemap.xml']) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const result = await request(url);
  h.disable();
  console.log(`${url.padEnd(20)} ${result.padEnd(26)} longest loop delay ${Math.round(h.max / 1e6)} ms`);
}
const health = await new Promise<string>((resolve) =>
  get(`http://127.0.0.1:${port}/healthz`, (res) => {
    let t = '';
    res.on('data', (c: Buffer) => (t += c.toString()));
    res.on('end', () => resolve(t));
  }),
);
console.log(`/healthz ${health}`);
server.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
