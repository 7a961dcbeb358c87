/**
 * The live-reload hub on its own: a plain HTTP server, a temporary folder,
 * and Server-Sent Events clients reading the raw stream.
 */
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as connectSocket, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { isEditorLeftover, LiveReload, MAX_LIVE_RELOAD_PAGES, type LiveReloadOptions } from '../../src/http/live-reload.js';
import { watchEventLoop } from '../helpers/loop-watch.js';
import { RawServer } from '../helpers/raw-http.js';
import { eventually } from '../helpers/site.js';

const quiet = { warn: () => undefined, info: () => undefined, debug: () => undefined };

/** An SSE client that keeps every event it is sent. */
interface Client {
  events: { event: string; data: string }[];
  response: IncomingMessage;
  close(): void;
}

function connect(origin: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = get(`${origin}/events`, (response) => {
      const events: Client['events'] = [];
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      });
      resolve({ events, response, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('LiveReload', () => {
  let dir: string;
  let hub: LiveReload;
  let server: Server;
  let origin: string;
  const clients: Client[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-live-'));
    hub = new LiveReload({ folders: [dir], logger: quiet, settleMs: 50 });
    server = createServer((req, res) => {
      if (req.url === '/events') hub.handle(req, res);
      else res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    hub.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should open a stream that first says the current version', async () => {
    const client = await connect(origin);
    clients.push(client);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-store');
    await eventually(async () => expect(client.events).toEqual([{ event: 'version', data: hub.version }]));
  });

  it('should send one change event for a burst of saves, after the listeners dropped what was stale', async () => {
    const client = await connect(origin);
    clients.push(client);
    const seen: string[][] = [];
    hub.onChange((files) => seen.push([...files]));
    const before = hub.version;
    writeFileSync(path.join(dir, 'post.md'), 'one');
    writeFileSync(path.join(dir, 'post.md'), 'two');
    writeFileSync(path.join(dir, '_site.yml'), 'title: x');
    await eventually(async () => expect(client.events.filter((e) => e.event === 'change')).toHaveLength(1));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(expect.arrayContaining([path.join(dir, 'post.md'), path.join(dir, '_site.yml')]));
    expect(hub.version).not.toBe(before);
    expect(client.events.at(-1)).toEqual({ event: 'change', data: hub.version });
  });

  it('should ignore editor leftovers, which change while nothing is saved', async () => {
    for (const name of ['.post.md.swp', 'post.md~', '#post.md#', '4913', 'x.tmp']) expect(isEditorLeftover(name)).toBe(true);
    for (const name of ['post.md', '_site.yml', 'style.css', 'index.ejs']) expect(isEditorLeftover(name)).toBe(false);
    const client = await connect(origin);
    clients.push(client);
    const seen: string[][] = [];
    hub.onChange((files) => seen.push([...files]));
    const before = hub.version;
    writeFileSync(path.join(dir, '.post.md.swp'), 'x');
    writeFileSync(path.join(dir, 'post.md~'), 'x');
    // A real save after them: its change is the event to wait for, and the leftovers' events came before it.
    writeFileSync(path.join(dir, 'post.md'), 'saved');
    await eventually(async () => expect(client.events.map((e) => e.event)).toEqual(['version', 'change']));
    expect(seen).toEqual([[path.join(dir, 'post.md')]]);
    expect(hub.version).not.toBe(before);
  });

  it('should keep 100 open pages at no cost to other requests, and tell every one of them', async () => {
    for (let i = 0; i < 100; i += 1) clients.push(await connect(origin));
    expect(hub.openPages).toBe(100);
    const answers = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<number>((resolve) =>
            get(`${origin}/`, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            }),
          ),
      ),
    );
    expect(answers.every((status) => status === 200)).toBe(true);
    writeFileSync(path.join(dir, 'new.md'), 'x');
    await eventually(async () => expect(clients.every((c) => c.events.some((e) => e.event === 'change'))).toBe(true));
    for (const client of clients.splice(0)) client.close();
    await eventually(async () => expect(hub.openPages).toBe(0));
  });
});

/** A stream read off a plain socket: what arrived, and whether the server closed it. */
interface RawStream {
  readonly socket: Socket;
  text(): string;
  closed(): boolean;
}

function openRaw(port: number): RawStream {
  let text = '';
  let closed = false;
  const socket = connectSocket(port, '127.0.0.1', () => socket.write('GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n'));
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return { socket, text: () => text, closed: () => closed };
}

describe('LiveReload bounds (issue 27)', () => {
  watchEventLoop();
  let dir: string;
  let hub: LiveReload;
  let raw: RawServer;
  const streams: RawStream[] = [];

  const start = async (options: Partial<LiveReloadOptions>): Promise<void> => {
    hub = new LiveReload({ folders: [dir], logger: quiet, ...options });
    raw = await RawServer.start((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/events') hub.handle(req, res);
      else res.end('ok');
    });
  };
  const open = (): RawStream => {
    const stream = openRaw(raw.port);
    streams.push(stream);
    return stream;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-live-'));
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.socket.destroy();
    hub.close();
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should hold a documented number of pages, and answer the next 503 with Retry-After and the limit', async () => {
    expect(MAX_LIVE_RELOAD_PAGES).toBeGreaterThanOrEqual(100);
    await start({ maxPages: 2 });
    const [a, b] = [open(), open()];
    await eventually(async () => expect(hub.openPages).toBe(2));
    expect(a.text()).toMatch(/^HTTP\/1\.1 200 /);
    const refused = await request(raw.server).get('/events').timeout(3000);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(refused.text).toMatch(/at most 2 open pages/);
    expect(hub.openPages).toBe(2);
    // A page that closes makes room for the next one.
    b.socket.destroy();
    await eventually(async () => expect(hub.openPages).toBe(1));
    const c = open();
    await eventually(async () => expect(c.text()).toMatch(/^HTTP\/1\.1 200 [\s\S]*event: version/));
  });

  it('should close a stream whose socket sees no traffic for the socket timeout, and not one its heartbeats keep busy', async () => {
    // No heartbeat comes in time: the socket is idle, as a stalled client's is.
    await start({ heartbeatMs: 60_000, socketTimeoutMs: 200 });
    const gone = open();
    gone.socket.pause();
    await eventually(async () => expect(hub.openPages).toBe(1));
    await eventually(async () => expect(hub.openPages).toBe(0));
    hub.close();
    await raw.close();

    await start({ heartbeatMs: 40, socketTimeoutMs: 200 });
    const page = open();
    // Ten heartbeats are 400 ms, twice the socket timeout.
    await eventually(async () => expect(page.text().split(': ping').length - 1).toBeGreaterThanOrEqual(10));
    expect(page.closed()).toBe(false);
    expect(hub.openPages).toBe(1);
  });

  it('should end every stream after its life, so a client that never answers again holds nothing', async () => {
    await start({ heartbeatMs: 40, streamMs: 300 });
    const gone = open();
    await eventually(async () => expect(hub.openPages).toBe(1));
    gone.socket.pause();
    await eventually(async () => expect(hub.openPages).toBe(0));
    const reading = open();
    await eventually(async () => expect(reading.text()).toMatch(/0\r\n\r\n$/));
  });
});
