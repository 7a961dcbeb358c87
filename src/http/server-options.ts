/**
 * Timeouts and limits of the HTTP server, so that slow or greedy clients
 * cannot hold it: a client has `headersTimeoutMs` to send its headers (a
 * slowloris that trickles them gets a 408 and is closed), `requestTimeoutMs`
 * for the whole request, and an idle keep-alive connection is closed after
 * `keepAliveTimeoutMs`. Node checks these every `connectionsCheckingIntervalMs`
 * (its default, 30 s, would let a slow client hold a socket that much longer).
 */
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';

export interface ServerLimits {
  /** Time to receive the complete request headers (Node's default: 60 s). */
  readonly headersTimeoutMs: number;
  /** Time to receive the complete request (Node's default: 300 s). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (Node's default: 5 s). */
  readonly keepAliveTimeoutMs: number;
  /** A connection with no activity at all (a stalled reader of a response) is closed after this. */
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
  server.setTimeout(limits.socketTimeoutMs);
  return server;
}
