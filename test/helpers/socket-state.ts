/**
 * What the kernel knows of a test's TCP connection to a server in another
 * process: a test that sends half a request waits for the server to have
 * read it (then it is a request in flight, not an idle connection), instead
 * of pausing and hoping. Linux only (`/proc/net/tcp`), like the servers the
 * tests drive.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

const POLL_MS = 10;

/** The bytes waiting in the receive queue of the server's end of `socket`, or undefined when the kernel lists no such end. */
function serverUnread(socket: Socket): number | undefined {
  const hexPort = (port: number | undefined): string => (port ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const local = `:${hexPort(socket.remotePort)}`;
  const remote = `:${hexPort(socket.localPort)}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue ...
      const [, localAddress, remoteAddress, , queues] = line.trim().split(/\s+/);
      if (localAddress?.endsWith(local) && remoteAddress?.endsWith(remote)) return Number.parseInt(queues!.split(':')[1]!, 16);
    }
  }
  return undefined;
}

/** Writes `bytes` and resolves once the server has read them all, or rejects after `timeoutMs`. */
export async function writeAndWaitForRead(socket: Socket, bytes: string, timeoutMs = 20_000): Promise<void> {
  await new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  const deadline = Date.now() + timeoutMs;
  while (serverUnread(socket) !== 0) {
    if (Date.now() > deadline) throw new Error(`the server did not read ${JSON.stringify(bytes)} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
