/**
 * Requests sent exactly as written. supertest (like every WHATWG URL user)
 * normalises `..` and `%2e%2e` away before sending, so hostile paths need
 * `http.request` with a raw `path`, or a plain socket.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { LedeApp } from '../../src/app.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class RawServer {
  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(app: LedeApp | Parameters<typeof createServer>[1]): Promise<RawServer> {
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RawServer(server, (server.address() as AddressInfo).port);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, path, method: 'GET', headers: { connection: 'close', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Writes bytes to a fresh socket and returns everything the server sends
   * back, once it closes the connection (send `Connection: close`, or a
   * request it refuses): no timer cuts a slow answer short.
   */
  socket(bytes: string | Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const sock = connect(this.port, '127.0.0.1', () => sock.write(bytes));
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      sock.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') resolve(Buffer.concat(chunks).toString('latin1'));
        else reject(err);
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
