/**
 * The response cache: what the app sent for a path (status, headers and the
 * body in every encoding), kept with what it was made from, and answered
 * before Express's router while that is unchanged, as a reverse proxy would.
 *
 * A page depends on the files it was rendered from (checked with one `stat`
 * each) and, for pages that show other posts, on the key of the current site
 * view. The key is the path alone: request headers never enter it, so one
 * client cannot poison the page another one gets. The cache is bounded by
 * bytes and forgets the least recently used pages first.
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sameSignature, signatureOf } from '../content/find-posts.js';
import type { FileSignature } from '../content/post.js';
import type { Representation } from './representation.js';
import { sendRepresentation } from './send.js';

export interface FileDependency {
  readonly path: string;
  readonly signature: FileSignature;
}

export interface Dependencies {
  /** The site view the page was made from, when it lists or links other posts. */
  readonly viewKey?: string | undefined;
  readonly files?: readonly FileDependency[];
}

export interface CachedPage {
  readonly rep: Representation;
  readonly headers: OutgoingHttpHeaders;
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
  private bytes = 0;
  hits = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly currentViewKey: () => string | undefined,
  ) {}

  /** A page for this key that is still current, checked without reading any file. */
  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (!this.isCurrent(page.deps)) return undefined;
    // Least recently used goes first: move the hit to the end of the map.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.delete(key);
    if (page.rep.size > this.maxBytes / 4) return;
    this.pages.set(key, page);
    this.bytes += page.rep.size;
    for (const [oldest, old] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= old.rep.size;
    }
  }

  delete(key: string): void {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.bytes -= page.rep.size;
    }
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  /**
   * The front door: answers a GET or HEAD from the cache and returns true,
   * or returns false and leaves the request to the app.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const page = this.get(query < 0 ? url : url.slice(0, query));
    if (!page) return false;
    this.hits++;
    sendRepresentation(req, res, page.rep, { cacheControl: page.cacheControl, headers: page.headers });
    return true;
  }

  /** Sends a page and keeps it under `key` for the next request. */
  store(key: string, req: IncomingMessage, res: ServerResponse, page: Omit<CachedPage, 'headers'>): void {
    const cached: CachedPage = { ...page, headers: replayableHeaders(res) };
    this.set(key, cached);
    sendRepresentation(req, res, cached.rep, { cacheControl: cached.cacheControl });
  }

  private isCurrent(deps: Dependencies): boolean {
    if (deps.viewKey !== undefined && deps.viewKey !== this.currentViewKey()) return false;
    if (deps.files) {
      for (const file of deps.files) {
        const stats = statSync(file.path, { throwIfNoEntry: false });
        if (!stats || !sameSignature(signatureOf(stats), file.signature)) return false;
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
