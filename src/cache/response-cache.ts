/**
 * The response cache: what the app sent for a path (status, headers and the
 * body in every encoding), kept with what it was made from, and answered
 * before Express's router while that is unchanged, as a reverse proxy would.
 *
 * A page depends on the files it was rendered from (checked with one `stat`
 * each, shared by the requests answered in the same turn of the event loop)
 * and, for pages that show other posts, on the key of the current site view.
 * A page that shows only a part of the view (an article: itself and its two
 * neighbours) says so with `stillShown`: when the key changes, it is asked
 * once per new key instead of the page being made again, so one post's edit
 * does not make every article again (docs/security.md, "Churn under load").
 * While the view has just changed, a page whose files are unchanged is
 * answered in its previous version (`stale`) while one request makes it
 * again: readers then do not all make the same listing at once, once per
 * edit, while a writer saves every few milliseconds (docs/security.md,
 * "Churn under load"). The next request after a change still gets the new
 * page (the one that makes it), and a page whose own file changed is never
 * answered stale.
 * In production a listing that replaced a version less than a second old
 * (a writer is saving) is also answered for `listingGraceMs` after it was
 * made, though the view changed (its own files unchanged): a listing is then
 * made at most a few times a second however fast a writer saves, and a new
 * post is still listed within a second (docs/urls-and-feeds.md, "How
 * fresh"). The first change after a quiet moment shows at once.
 * The key is the path alone: request headers never enter it, so one client
 * cannot poison the page another one gets. The cache is bounded by
 * bytes and forgets the least recently used pages first.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sameSignature } from '../content/find-posts.js';
import type { FileDependency } from '../content/file-dependency.js';
import type { CheckedHeaderValue } from './prepared-head.js';
import { completeRepresentation, withEncoding, type Representation } from './representation.js';
import { negotiateEncoding, prepare, sendPrepared, type PrepareOptions, type PreparedResponse } from './send.js';
import { TurnStats } from './turn-stats.js';

export type { FileDependency };

export interface Dependencies {
  /** The site view the page was made from, when it lists or links other posts. */
  readonly viewKey?: string | undefined;
  readonly files?: readonly FileDependency[];
  /**
   * For a page that shows only a part of the site view: whether that part is
   * the same in the view of `currentKey`, so that the page made now would be
   * this one. Left out, any other key makes the page again.
   */
  readonly stillShown?: ((currentKey: string) => boolean) | undefined;
}

export interface CachedPage {
  readonly page: PreparedResponse;
  readonly deps: Dependencies;
}

/**
 * A page replaced less than this after it was made is taken to change that
 * often: its next version has its other encodings made only when asked for.
 */
const CHURN_MS = 1000;

/** How long after it was made a page that lists posts is answered though the view changed, in production (see `ResponseCacheOptions`). */
export const LISTING_GRACE_MS = 500;

export interface ResponseCacheOptions {
  /**
   * A listing (a page that depends on the whole site view, not on a part
   * of it as an article does with `stillShown`) that replaced a version
   * less than a second old, made less than this many milliseconds ago, is
   * answered though the view changed since (never when one of its own
   * files changed). 0: a new view makes it again at
   * once, as in development, where an author saves and looks.
   */
  readonly listingGraceMs?: number;
  /** The clock in milliseconds (`performance.now()`); the app gives its own when it was given one (tests). */
  readonly now?: () => number;
}

export interface PageToStore {
  readonly rep: Representation;
  readonly cacheControl: string;
  readonly deps: Dependencies;
}

/** Headers that belong to one response, never replayed from the cache. */
const PER_RESPONSE = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'cache-control',
  'vary',
  'date',
  'set-cookie',
  'x-request-id',
]);

export class ResponseCache {
  private readonly pages = new Map<string, CachedPage>();
  /** The pages being made now, by key: settled when the page is stored (or turned out to be none). */
  private readonly making = new Map<string, Promise<void>>();
  private bytes = 0;
  /** The key at the end of `pages`. */
  private newest: string | undefined;
  private readonly stats = new TurnStats();
  /** For a page stored before all its encodings were made: how to make them (`store`). */
  private readonly completions = new WeakMap<PreparedResponse, PrepareOptions>();
  /** When each page was stored, by its dependencies (the same when its encodings are completed). */
  private readonly madeAt = new WeakMap<Dependencies, number>();
  /** Pages that replaced a version less than CHURN_MS old: a writer is saving, and they will be replaced as soon. */
  private readonly churning = new WeakSet<Dependencies>();
  /** The last view key each page's `stillShown` said yes to, by its dependencies (kept when its encodings are completed). */
  private readonly shownIn = new WeakMap<Dependencies, string>();

  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly maxBytes: number,
    private readonly currentViewKey: () => string | undefined,
    options: ResponseCacheOptions = {},
  ) {
    this.graceMs = options.listingGraceMs ?? 0;
    this.now = options.now ?? (() => performance.now());
  }

  /** A page for this key that is still current, checked without reading any file. */
  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (!this.isCurrent(page.deps)) return undefined;
    // Least recently used goes first: move the hit to the end of the map
    // (unless it is already there, as a page being read by everyone is).
    if (key !== this.newest) {
      this.pages.delete(key);
      this.pages.set(key, page);
      this.newest = key;
    }
    return page;
  }

  /**
   * The page under `key` in its version before the site view changed, when
   * it may still be answered: it is being made again now (`makingOf`), and
   * every file it was made from is unchanged (an edited post is never
   * answered stale).
   */
  stale(key: string): CachedPage | undefined {
    if (!this.making.has(key)) return undefined;
    const page = this.pages.get(key);
    return page && page.deps.viewKey !== undefined && this.filesUnchanged(page.deps) ? page : undefined;
  }

  /** Settles when the page under `key`, being made now, is stored; `undefined` when none is being made. */
  makingOf(key: string): Promise<void> | undefined {
    return this.making.get(key);
  }

  /** Notes that the page under `key` is being made until `done` settles (one maker at a time: see `stale`). */
  makeOnce(key: string, done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.making.set(key, settled);
    void settled.then(() => {
      if (this.making.get(key) === settled) this.making.delete(key);
    });
  }

  set(key: string, page: CachedPage): void {
    const previous = this.pages.get(key);
    this.delete(key);
    if (page.page.size > this.maxBytes / 4) return;
    // When it was made, and whether it replaced a version that lived less than CHURN_MS (so
    // will likely be replaced as soon): noted the first time these dependencies are kept (its
    // other encodings, added later, keep them).
    if (!this.madeAt.has(page.deps)) {
      const now = this.now();
      this.madeAt.set(page.deps, now);
      if (previous !== undefined && now - (this.madeAt.get(previous.deps) ?? Number.NEGATIVE_INFINITY) < CHURN_MS) this.churning.add(page.deps);
    }
    this.pages.set(key, page);
    this.newest = key;
    this.bytes += page.page.size;
    for (const [oldest, old] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= old.page.size;
    }
  }

  delete(key: string): void {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.bytes -= page.page.size;
    }
  }

  /** Drops every page: what they were made with changed (a view or an asset, in development). */
  clear(): void {
    this.pages.clear();
    this.bytes = 0;
    this.newest = undefined;
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  /**
   * The front door: answers a GET or HEAD from the cache and returns true,
   * or returns false and leaves the request to the app.
   */
  serve(req: IncomingMessage, res: ServerResponse, extraName?: string, extraValue?: CheckedHeaderValue): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    // A Range request is answered from the file (src/routes/static-files.ts), with a 206.
    if (req.headers.range !== undefined) return false;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const page = this.get(path) ?? this.stale(path);
    if (!page) return false;
    this.send(req, res, path, page, extraName, extraValue);
    return true;
  }

  /**
   * Sends a page this cache holds under `key`, first making its other
   * encodings when this reader asks for one not made yet (a page replaced
   * within moments of being made has them made only then: see `store`).
   */
  send(req: IncomingMessage, res: ServerResponse, key: string, entry: CachedPage, extraName?: string, extraValue?: CheckedHeaderValue): void {
    let page = entry.page;
    // Only a page with encodings still to make has completions: a complete one skips the lookup.
    const options = page.rep.complete ? undefined : this.completions.get(page);
    if (options) {
      let rep: Representation | undefined;
      // Still there after CHURN_MS: it no longer changes every moment, so every encoding, at its final settings.
      if (this.now() - (this.madeAt.get(entry.deps) ?? 0) >= CHURN_MS) rep = completeRepresentation(page.rep);
      else {
        // Meanwhile only the encoding this reader asks for, when the page has none of it yet.
        const wanted = negotiateEncoding(req.headers['accept-encoding']);
        if ((wanted === 'br' || wanted === 'gzip') && page.rep[wanted] === undefined) rep = withEncoding(page.rep, wanted);
      }
      if (rep && rep !== page.rep) {
        page = prepare(rep, options);
        if (!rep.complete) this.completions.set(page, options);
        if (this.pages.get(key) === entry) this.set(key, { page, deps: entry.deps });
      }
    }
    sendPrepared(req, res, page, extraName, extraValue);
  }

  /**
   * Keeps a page under `key` with the headers the app already set on `res`,
   * then sends it.
   */
  store(key: string, req: IncomingMessage, res: ServerResponse, page: PageToStore): void {
    const options = { cacheControl: page.cacheControl, headers: replayableHeaders(res) };
    const entry: CachedPage = { page: prepare(page.rep, options), deps: page.deps };
    this.set(key, entry);
    sendPrepared(req, res, entry.page);
    if (page.rep.complete) return;
    // The first reader got the encoding it asked for; the others are made once it is answered,
    // unless the page changed again meanwhile. A page that changes every few moments (a listing
    // while a writer saves) has each made, as a first reader's, by the first reader who asks for
    // it (`send`): most of its versions are read once or twice (docs/performance.md).
    if (this.churning.has(page.deps)) {
      this.completions.set(entry.page, options);
      return;
    }
    setImmediate(() => {
      if (this.pages.get(key) !== entry) return;
      this.set(key, { page: prepare(completeRepresentation(page.rep), options), deps: entry.deps });
    });
  }

  private isCurrent(deps: Dependencies): boolean {
    if (deps.viewKey !== undefined) {
      const current = this.currentViewKey();
      if (current === undefined) return false;
      if (deps.viewKey !== current && this.shownIn.get(deps) !== current) {
        if (deps.stillShown) {
          if (!deps.stillShown(current)) return false;
          this.shownIn.set(deps, current);
        } else if (!this.withinGrace(deps)) return false;
      }
    }
    return this.filesUnchanged(deps);
  }

  /**
   * A listing (a page that shows the view, not a part of it) that replaced a
   * version made moments before it (a writer is saving), made less than
   * `graceMs` ago. A page that changes now and then is made again at the
   * first change, so an author who saves and looks sees the change.
   */
  private withinGrace(deps: Dependencies): boolean {
    if (this.graceMs <= 0 || !this.churning.has(deps)) return false;
    const age = this.now() - (this.madeAt.get(deps) ?? Number.NEGATIVE_INFINITY);
    return age >= 0 && age < this.graceMs;
  }

  private filesUnchanged(deps: Dependencies): boolean {
    if (deps.files) {
      for (const file of deps.files) {
        // The `stat` of a hit: this runs on every request.
        const stats = this.stats.get(file.path);
        if (!stats || !sameSignature(stats, file.signature)) return false;
      }
    }
    return true;
  }
}

function replayableHeaders(res: ServerResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const current = res.getHeaders();
  for (const name of Object.keys(current)) if (!PER_RESPONSE.has(name)) headers[name] = current[name];
  return headers;
}
