/** The baseline: plain node:http sending the same page bytes from memory. */
import { createServer } from 'node:http';

const [source, port] = [process.argv[2]!, Number(process.argv[3])];
const body = Buffer.from(await (await fetch(source)).arrayBuffer());
createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}).listen(port, () => console.log(`baseline up with ${body.length} bytes`));
