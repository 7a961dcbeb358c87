/** Lede listening on a loopback port, as a proxy or a crawler sees it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LedeApp } from '../../src/app.js';

export interface Upstream {
  readonly port: number;
  /** What reached Lede: one entry per request, with the status it answered. */
  readonly seen: { url: string; ifNoneMatch: string | undefined; acceptEncoding: string | undefined; cookie: string | undefined; status: number }[];
  close(): Promise<void>;
}

export async function listen(app: LedeApp): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server: Server = createServer((req, res) => {
    const entry = {
      url: req.url ?? '',
      ifNoneMatch: req.headers['if-none-match'],
      acceptEncoding: req.headers['accept-encoding'],
      cookie: req.headers.cookie,
      status: 0,
    };
    seen.push(entry);
    res.once('finish', () => (entry.status = res.statusCode));
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
