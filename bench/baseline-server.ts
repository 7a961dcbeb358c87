/**
 * The baseline: plain node:http sending, for each path given, the bytes that
 * Lede sends for it (identity), from memory, with two headers.
 *
 * Usage: baseline-server.ts <origin> <port> <path>...
 */
import { createServer } from 'node:http';

const [origin, port, ...paths] = process.argv.slice(2);
const pages = new Map<string, Buffer>();
for (const path of paths) pages.set(path, Buffer.from(await (await fetch(`${origin}${path}`)).arrayBuffer()));
createServer((req, res) => {
  const body = pages.get(req.url ?? '/');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}).listen(Number(port), () => console.log(`baseline up with ${pages.size} pages`));
