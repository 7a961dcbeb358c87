/**
 * Timeouts and limits of the HTTP server, so that slow or greedy clients
 * cannot hold it: a client has `headersTimeoutMs` to send its headers (a
 * slowloris that trickles them gets a 408 and is closed), `requestTimeoutMs`
 * for the whole request, and an idle keep-alive connection is closed after
 * `keepAliveTimeoutMs`. Node checks these every `connectionsCheckingIntervalMs`
 * (its default, 30 s, would let a slow client hold a socket that much longer).
 */
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** Time to receive the complete request headers (Node's default: 60 s). */
  readonly headersTimeoutMs: number;
  /** Time to receive the complete request (Node's default: 300 s). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (Node's default: 5 s). */
  readonly keepAliveTimeoutMs: number;
  /**
   * A connection with no activity at all (a stalled reader of a response, an
   * answer that never comes) is closed after this, or up to a tenth later.
   */
  readonly socketTimeoutMs: number;
  /** How often the timeouts above are checked. */
  readonly connectionsCheckingIntervalMs: number;
  /** Largest request head (request line and headers); larger gets 431. */
  readonly maxHeaderBytes: number;
  /** Requests on one keep-alive connection before it is closed, so load spreads across workers. */
  readonly maxRequestsPerSocket: number;
}

export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Node's default. A proxy in front that reuses connections must use a shorter idle timeout (docs/security.md, Limits and shutdown).
  keepAliveTimeoutMs: 5_000,
  socketTimeoutMs: 60_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxRequestsPerSocket: 1_000,
});

export function serverOptions(limits: ServerLimits = DEFAULT_LIMITS): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    maxHeaderSize: limits.maxHeaderBytes,
  };
}

/** An HTTP server for `listener` with the limits applied. */
export function createLimitedServer(listener: RequestListener, limits: ServerLimits = DEFAULT_LIMITS): Server {
  const server = createServer(serverOptions(limits), listener);
  // Not constructor options in Node 20: set on the server.
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  closeStalledConnections(server, limits.socketTimeoutMs);
  return server;
}

/**
 * Closes every connection of `server` on which nothing was read or written
 * for `timeoutMs`, looking at all of them every tenth of it. Node's own
 * socket timeout (`server.setTimeout`) does the same with a timer per
 * socket, made again on every request and moved on every read and write:
 * 2-3% of the instructions of a cache hit on Node 22 (docs/performance.md),
 * where this costs nothing per request.
 */
export function closeStalledConnections(server: Server, timeoutMs: number): void {
  const connections = new Map<Socket, { bytes: number; since: number }>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { bytes: 0, since: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const [socket, last] of connections) {
        const bytes = socket.bytesRead + socket.bytesWritten;
        if (bytes !== last.bytes) {
          last.bytes = bytes;
          last.since = now;
        } else if (now - last.since >= timeoutMs) socket.destroy();
      }
    },
    Math.max(1, timeoutMs / 10),
  );
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
}
