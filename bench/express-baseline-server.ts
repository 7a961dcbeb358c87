/**
 * The baseline with an Express app beside it: plain node:http sending, for
 * each path given, the bytes that Lede sends for it (identity), as
 * bench/baseline-server.ts does; any other path goes to a small Express app,
 * as Lede's cache misses do. Before it says it is up, it sends itself a few
 * requests that Express answers (a route with a parameter, a 404), and
 * answers 503 until they are done.
 *
 * Its plain path runs the same code as the baseline's. What it measures is
 * what Node's own request and response code costs once Express has handled
 * requests in the same process.
 *
 * Usage: express-baseline-server.ts <origin> <port> <path>...
 */
import { createServer } from 'node:http';
import express from 'express';

const [origin, port, ...paths] = process.argv.slice(2);
const pages = new Map<string, Buffer>();
for (const path of paths) pages.set(path, Buffer.from(await (await fetch(`${origin}${path}`)).arrayBuffer()));

const app = express();
app.get('/items/:id', (req, res) => {
  res.type('html').send(`<p>${req.params.id}</p>`);
});
app.use((_req, res) => {
  res.status(404).send('Not found');
});

let ready = false;
const server = createServer((req, res) => {
  const body = pages.get(req.url ?? '/');
  if (body && !ready) {
    res.writeHead(503).end();
    return;
  }
  if (!body) {
    app(req, res);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(Number(port), async () => {
  const self = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 20; i++) {
    for (const path of [`/items/${i}`, `/missing-${i}`]) await (await fetch(`${self}${path}`)).arrayBuffer();
  }
  ready = true;
  console.log(`express baseline up with ${pages.size} pages`);
});
