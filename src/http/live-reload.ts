/**
 * Development mode's live reload: open pages reload by themselves when a
 * post, the settings, a view or an asset changes.
 *
 * Each page carries `/_lede/live-reload.js`, which listens on a
 * Server-Sent Events endpoint (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * The server watches the folders it reads from, waits until a burst of
 * changes has settled (an editor's save is several events, and the content
 * store needs a moment to list the folder again), lets its listeners drop
 * what the change made stale (compiled views, cached pages), then sends one
 * `change` event to every open page. A new connection is first sent the
 * current `version`, so a page that missed a change (its tab was hidden, the
 * server restarted) reloads when it reconnects.
 *
 * Cost: an open page is one idle socket and one entry in a Set; nothing runs
 * per page until something changes, but for one comment line every 25 s
 * that keeps proxies and the socket timeout from closing the stream.
 * Production never builds this: the endpoint is a 404 there.
 *
 * Bounds (docs/authoring.md, "Seeing your edits"): at most `MAX_LIVE_RELOAD_PAGES`
 * streams at once (past it, 503 with Retry-After and a line saying the
 * limit); a stream whose socket sees no traffic for
 * `LIVE_RELOAD_SOCKET_TIMEOUT_MS` is dropped (the heartbeat keeps a reading
 * page's socket busy, a client that stopped reading lets its writes queue
 * and the timer run out); and every stream ends after
 * `LIVE_RELOAD_STREAM_MS`, so even a client whose host vanished without a
 * word holds its socket no longer. The page's EventSource reconnects by
 * itself half a second later, and the version it is sent on reconnecting
 * tells it whether it missed a change.
 */
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';

/** Open pages served at once; the next one is answered 503 (a browser holds at most six per host, so this is many windows). */
export const MAX_LIVE_RELOAD_PAGES = 128;
/** How often an idle stream gets a comment line. */
export const LIVE_RELOAD_HEARTBEAT_MS = 25_000;
/** A stream's socket with no traffic this long is closed: over two heartbeats, so only a stalled one is. */
export const LIVE_RELOAD_SOCKET_TIMEOUT_MS = 60_000;
/** Each stream ends after this; the page reconnects at once and is sent the version. */
export const LIVE_RELOAD_STREAM_MS = 5 * 60_000;
/** What a refused page is told to wait, in seconds. */
const RETRY_AFTER_S = 10;

/** An editor's swap, backup and probe files change while nothing is saved. */
export function isEditorLeftover(name: string): boolean {
  const base = path.basename(name);
  return base.startsWith('.') || base.endsWith('~') || /\.(swp|swo|swx|tmp|bak|orig)$/i.test(base) || /^#.*#$/.test(base) || base === '4913';
}

export interface LiveReloadOptions {
  /** The folders whose changes reload open pages (content, views, assets, a theme). */
  readonly folders: readonly string[];
  readonly logger: Pick<Logger, 'warn' | 'info' | 'debug'>;
  /** How long after the last event of a burst pages are told. */
  readonly settleMs?: number;
  /** How often an idle stream gets a comment line (`LIVE_RELOAD_HEARTBEAT_MS`). */
  readonly heartbeatMs?: number;
  /** Streams open at once (`MAX_LIVE_RELOAD_PAGES`). */
  readonly maxPages?: number;
  /** A stream's socket idle this long is closed (`LIVE_RELOAD_SOCKET_TIMEOUT_MS`). */
  readonly socketTimeoutMs?: number;
  /** A stream's whole life (`LIVE_RELOAD_STREAM_MS`). */
  readonly streamMs?: number;
}

/** Called with the changed files before pages are told, to drop what they made stale. */
export type ChangeListener = (files: readonly string[]) => void;

export class LiveReload {
  private readonly pages = new Set<ServerResponse>();
  private readonly listeners: ChangeListener[] = [];
  private readonly watchers: FSWatcher[] = [];
  private readonly pending = new Set<string>();
  private readonly boot = randomBytes(4).toString('hex');
  private changes = 0;
  private settleTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly settleMs: number;
  private readonly heartbeatMs: number;
  private readonly maxPages: number;
  private readonly socketTimeoutMs: number;
  private readonly streamMs: number;

  constructor(private readonly options: LiveReloadOptions) {
    this.settleMs = options.settleMs ?? 150;
    this.heartbeatMs = options.heartbeatMs ?? LIVE_RELOAD_HEARTBEAT_MS;
    this.maxPages = options.maxPages ?? MAX_LIVE_RELOAD_PAGES;
    this.socketTimeoutMs = options.socketTimeoutMs ?? LIVE_RELOAD_SOCKET_TIMEOUT_MS;
    this.streamMs = options.streamMs ?? LIVE_RELOAD_STREAM_MS;
    for (const folder of options.folders) this.watchFolder(folder);
  }

  /** What a page compares on reconnecting: this process and its count of changes. */
  get version(): string {
    return `${this.boot}.${this.changes}`;
  }

  /** Open pages, for `/healthz`-style checks and tests. */
  get openPages(): number {
    return this.pages.size;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** The SSE endpoint. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.pages.size >= this.maxPages) return this.refuse(res);
    // The heartbeat keeps a reading page's socket busy; one that stalls (its client gone or not reading) times out.
    res.setTimeout(this.socketTimeoutMs, () => res.destroy());
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    // `retry`: reconnect half a second after the server went away (a restart).
    res.write(`retry: 500\nevent: version\ndata: ${this.version}\n\n`);
    this.pages.add(res);
    this.startHeartbeat();
    // A bounded life, whatever TCP says of the client: the page reconnects `retry` ms later.
    const end = setTimeout(() => res.end(), this.streamMs);
    end.unref();
    res.on('close', () => {
      clearTimeout(end);
      this.pages.delete(res);
      if (this.pages.size === 0) this.stopHeartbeat();
    });
  };

  /** Past the limit of open pages: a plain answer the page can wait on, not one more held socket. */
  private refuse(res: ServerResponse): void {
    const body = `Live reload serves at most ${this.maxPages} open pages at once; close some, or wait ${RETRY_AFTER_S} s.\n`;
    res.writeHead(503, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Retry-After': String(RETRY_AFTER_S),
    });
    res.end(body);
  }

  /** Something changed: tell the pages once the burst has settled. */
  changed(file: string): void {
    this.pending.add(file);
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.flush(), this.settleMs);
    this.settleTimer.unref();
  }

  close(): void {
    clearTimeout(this.settleTimer);
    this.stopHeartbeat();
    for (const watcher of this.watchers) watcher.close();
    for (const page of this.pages) page.end();
    this.pages.clear();
  }

  private flush(): void {
    const files = [...this.pending];
    this.pending.clear();
    for (const listener of this.listeners) listener(files);
    this.changes += 1;
    this.options.logger.debug({ files }, 'changed: reloading open pages');
    const event = `event: change\ndata: ${this.version}\n\n`;
    for (const page of this.pages) page.write(event);
  }

  private watchFolder(folder: string): void {
    try {
      const watcher = watch(folder, { recursive: true, persistent: false }, (_event, name) => {
        const file = name === null ? folder : path.join(folder, name.toString());
        if (!isEditorLeftover(file)) this.changed(file);
      });
      watcher.on('error', (err) => this.options.logger.warn({ folder, err: err.message }, 'live reload: watch failed; reload pages by hand'));
      this.watchers.push(watcher);
    } catch (err) {
      // A folder that does not exist (no theme assets) or a watch limit reached: no live reload for it.
      this.options.logger.warn({ folder, err: (err as Error).message }, 'live reload: cannot watch this folder');
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const page of this.pages) page.write(': ping\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
