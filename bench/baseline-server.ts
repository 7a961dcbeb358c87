/**
 * The baseline: plain node:http sending, for each path given, the bytes that
 * Lede sends for it (identity), from memory, with two headers.
 *
 * With --express-beside, any other path goes to a small Express app, as
 * Lede's cache misses do, and before it answers the paths given (503 until
 * then) it sends itself requests that Express answers (a route with a
 * parameter, a 404). Its plain path runs the same code; what that measures
 * is what Node's own request and response code costs once Express has
 * handled requests in the same process. Express is loaded only then: even
 * loading it makes objects of Node's request and response prototypes.
 *
 * Usage: baseline-server.ts [--express-beside] <origin> <port> <path>...
 */
import { createServer, type RequestListener } from 'node:http';

const argv = process.argv.slice(2);
const expressBeside = argv[0] === '--express-beside';
const [origin, port, ...paths] = expressBeside ? argv.slice(1) : argv;
const pages = new Map<string, Buffer>();
for (const path of paths) pages.set(path, Buffer.from(await (await fetch(`${origin}${path}`)).arrayBuffer()));

const notFound: RequestListener = (_req, res) => {
  res.writeHead(404).end();
};
const other = expressBeside ? await expressApp() : notFound;
let ready = !expressBeside;

const server = createServer((req, res) => {
  const body = pages.get(req.url ?? '/');
  if (!body) return other(req, res);
  if (!ready) return void res.writeHead(503).end();
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(Number(port), async () => {
  if (expressBeside) {
    for (let i = 0; i < 20; i++) {
      for (const path of [`/items/${i}`, `/missing-${i}`]) await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
    }
    ready = true;
  }
  console.log(`baseline up with ${pages.size} pages${expressBeside ? ', Express beside' : ''}`);
});

async function expressApp(): Promise<RequestListener> {
  const { default: express } = await import('express');
  const app = express();
  app.get('/items/:id', (req, res) => {
    res.type('html').send(`<p>${req.params.id}</p>`);
  });
  app.use((_req, res) => {
    res.status(404).send('Not found');
  });
  return app;
}
