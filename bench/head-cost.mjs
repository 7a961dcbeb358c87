/**
 * A plain node:http server answering one path with the bytes and the headers
 * Lede sends for it, with one thing changed at a time: for measuring what
 * each part of a cache hit's head costs Node (bench/hit-instructions.mjs runs
 * it under callgrind). Headers Node writes itself (Date, Connection,
 * Keep-Alive) are left to Node.
 *
 *   node bench/head-cost.mjs ORIGIN PATH [variant...]     (listens on $PORT)
 *
 * ORIGIN: a running Lede whose answer for PATH is copied once at start.
 * Variants:
 *   plain            only Content-Type and Content-Length, as bench/baseline-server.ts
 *   drop=a,b         Lede's headers without these (names, any case)
 *   only=a,b         only these of Lede's headers (with Content-Length)
 *   lower            header names in lower case
 *   object           the headers as an object, not a flat list
 *   string-body      the body as a string, not a Buffer
 *   cork             res.socket cork/uncork around writeHead and end
 *   no-date          res.sendDate = false
 *   limits           the server limits of src/http/server-options.ts
 *   timeout          only the 60-s socket timeout of those limits
 *   max-requests     only maxRequestsPerSocket (1,000) of those limits
 *   express-beside   requests for other paths go to an Express app that answered a few first
 */
import { createServer, get } from 'node:http';

const [origin, pagePath, ...variants] = process.argv.slice(2);
const has = (name) => variants.includes(name);
const listOf = (name) =>
  variants
    .find((v) => v.startsWith(`${name}=`))
    ?.slice(name.length + 1)
    .split(',')
    .map((n) => n.toLowerCase());

/** Lede's answer for the path: its headers as sent (names in their case) and its body. */
const answer = await new Promise((resolve, reject) => {
  get(`${origin}${pagePath}`, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => resolve({ raw: res.rawHeaders, body: Buffer.concat(chunks) }));
  }).on('error', reject);
});
const NODE_WRITES = new Set(['date', 'connection', 'keep-alive']);
let list = [];
for (let i = 0; i < answer.raw.length; i += 2) if (!NODE_WRITES.has(answer.raw[i].toLowerCase())) list.push(answer.raw[i], answer.raw[i + 1]);
const drop = listOf('drop');
const only = listOf('only');
const keep = (name) => {
  const lower = name.toLowerCase();
  if (has('plain')) return lower === 'content-type' || lower === 'content-length';
  if (only) return only.includes(lower) || lower === 'content-length';
  return !drop?.includes(lower);
};
list = list.flatMap((part, i) => (i % 2 === 0 ? (keep(part) ? [has('lower') ? part.toLowerCase() : part, list[i + 1]] : []) : []));
const heads = has('object') ? Object.fromEntries(list.flatMap((part, i) => (i % 2 === 0 ? [[part, list[i + 1]]] : []))) : list;
const body = has('string-body') ? answer.body.toString('latin1') : answer.body;
const cork = has('cork');
const noDate = has('no-date');

const other = has('express-beside') ? await expressApp() : (_req, res) => res.writeHead(404).end();
// src/http/server-options.ts: the limits as createLimitedServer sets them.
const limits = has('limits')
  ? { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000, maxHeaderSize: 16 * 1024 }
  : {};
const server = createServer(limits, (req, res) => {
  if (req.url !== pagePath) return other(req, res);
  if (noDate) res.sendDate = false;
  if (cork) res.socket.cork();
  res.writeHead(200, heads);
  res.end(body);
  if (cork) res.socket.uncork();
});
if (has('limits')) {
  server.keepAliveTimeout = 5_000;
  server.maxRequestsPerSocket = 1_000;
  server.setTimeout(60_000);
}
if (has('timeout')) server.setTimeout(60_000);
if (has('max-requests')) server.maxRequestsPerSocket = 1_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', async () => {
  if (has('express-beside')) {
    for (let i = 0; i < 20; i++) await (await fetch(`http://127.0.0.1:${process.env.PORT}/items/${i}`)).arrayBuffer();
  }
  console.log(`head-cost: ${list.length / 2} headers, ${answer.body.length} bytes (${variants.join(' ') || 'as Lede sends them'})`);
});

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  app.get('/items/:id', (req, res) => {
    res.type('html').send(`<p>${req.params.id}</p>`);
  });
  return app;
}
