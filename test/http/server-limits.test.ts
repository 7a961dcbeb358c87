/**
 * A slow client cannot hold the server: headers trickled byte by byte are
 * cut off with a 408 once `headersTimeoutMs` passes, while other clients are
 * served as usual; a connection on which nothing moves is closed after
 * `socketTimeoutMs`, one in use is not.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import request from 'supertest';
import { createLimitedServer, DEFAULT_LIMITS } from '../../src/http/server-options.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('server limits', () => {
  it('should have limits that stop slow clients by default', () => {
    expect(DEFAULT_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(DEFAULT_LIMITS.requestTimeoutMs).toBeGreaterThanOrEqual(DEFAULT_LIMITS.headersTimeoutMs);
    expect(DEFAULT_LIMITS.connectionsCheckingIntervalMs).toBeLessThanOrEqual(1_000);
    expect(DEFAULT_LIMITS.maxHeaderBytes).toBeLessThanOrEqual(16 * 1024);
    const server = createLimitedServer(() => undefined);
    expect(server.headersTimeout).toBe(DEFAULT_LIMITS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(DEFAULT_LIMITS.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(DEFAULT_LIMITS.keepAliveTimeoutMs);
    expect(server.maxRequestsPerSocket).toBe(DEFAULT_LIMITS.maxRequestsPerSocket);
    // `maxHeaderSize` is missing from @types/node 20's Server.
    expect((server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(DEFAULT_LIMITS.maxHeaderBytes);
    // The socket timeout is Lede's sweep of the connections (closeStalledConnections), not
    // Node's timer per socket, which is made again on every request (docs/performance.md).
    expect(server.timeout).toBe(0);
  });

  describe('with a connection on which nothing moves', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      // `/hang` is never answered; anything else is, at once.
      server = createLimitedServer(
        (req, res) => {
          if (req.url !== '/hang') res.end('ok');
        },
        { ...DEFAULT_LIMITS, socketTimeoutMs: 300 },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('should close a connection whose answer never comes, and keep one in use open', async () => {
      const stalled = connect(port, '127.0.0.1');
      stalled.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
      stalled.write('GET /hang HTTP/1.1\r\nHost: localhost\r\n\r\n');
      // Meanwhile another connection asks for a page every 50 ms, on the same socket.
      const busy = connect(port, '127.0.0.1');
      let busyClosed = false;
      busy.once('close', () => (busyClosed = true));
      busy.on('error', () => undefined);
      const ask = setInterval(() => busy.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'), 50);
      // A deadline far past the 300 ms, for a busy machine: without the sweep nothing closes it.
      let deadline: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        closed.then(() => 'closed'),
        new Promise<string>((resolve) => (deadline = setTimeout(() => resolve('still open after 20 s'), 20_000))),
      ]);
      clearTimeout(deadline);
      expect(outcome).toBe('closed');
      // The busy one is still open, and is answered again since.
      const answer = await new Promise<string>((resolve) => busy.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
      clearInterval(ask);
      expect(answer).toMatch(/HTTP\/1\.1 200/);
      expect(busyClosed).toBe(false);
      busy.destroy();
    });
  });

  describe('with a slowloris client', () => {
    const content = new TempContent();
    let server: Server;
    let port: number;
    beforeAll(async () => {
      content.post('hello.md', { title: 'Hello' });
      server = createLimitedServer(testApp(content), {
        ...DEFAULT_LIMITS,
        headersTimeoutMs: 600,
        requestTimeoutMs: 1_000,
        connectionsCheckingIntervalMs: 100,
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      content.cleanup();
    });

    it('should cut a client that sends its headers too slowly, and keep serving others', async () => {
      const head = `GET /posts/hello HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'z'.repeat(200)}\r\n\r\n`;
      const sockets: Socket[] = [];
      const outcomes = Array.from(
        { length: 5 },
        () =>
          new Promise<{ sent: number; answer: string }>((resolve) => {
            let answer = '';
            let i = 0;
            const socket = connect(port, '127.0.0.1');
            sockets.push(socket);
            // One byte every 50 ms: the head would take 12 s to arrive.
            const drip = setInterval(() => {
              if (i < head.length && socket.writable) socket.write(head[i++]!);
            }, 50);
            socket.on('data', (d) => (answer += d.toString('latin1')));
            socket.on('error', () => undefined);
            socket.on('close', () => {
              clearInterval(drip);
              resolve({ sent: i, answer });
            });
          }),
      );
      // Meanwhile, a normal client is served at once.
      const normal = await request(server).get('/posts/hello');
      expect(normal.status).toBe(200);
      const results = await Promise.all(outcomes);
      for (const { sent, answer } of results) {
        // Cut while its head was still arriving: by the server's header deadline, not the end of the head.
        expect(sent).toBeLessThan(head.length);
        expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      }
      sockets.forEach((s) => {
        s.destroy();
      });
    });
  });
});
