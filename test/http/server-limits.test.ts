/**
 * A slow client cannot hold the server: headers trickled byte by byte are
 * cut off with a 408 once `headersTimeoutMs` passes, while other clients are
 * served as usual.
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
    expect(server.timeout).toBe(DEFAULT_LIMITS.socketTimeoutMs);
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
