/**
 * `/search?q=` (HTML) and `/search.json?q=` (JSON): the same results, from
 * the same index (src/search/site-search.ts).
 *
 * Search answers are never cached on the server: the front cache
 * (src/cache/response-cache.ts) keys by path and ignores the query, so a
 * stored `/search` page would answer every other query too. These routes do
 * not go through `cachedPage` and store nothing; each request runs the
 * query. For the same reason no shared cache may keep them either (nginx in
 * deploy/ keys by path too): `Cache-Control: private, max-age=0` lets only
 * the reader's own browser keep a copy, and it asks again before reusing it.
 * Result pages are not content, so robots are told not to index them.
 */
import { Router, type Request, type Response } from 'express';
import { PAGE_NUMBER, ROUTES } from '../content/urls.js';
import { HttpError } from '../errors.js';
import { RESULTS_PER_PAGE, type SearchAnswer, type SiteSearch } from '../search/site-search.js';
import type { RouteContext } from './context.js';

/** A longer query is cut to this many characters: no reader types more, and the work per query stays bounded. */
export const MAX_QUERY_CHARS = 200;
export const SEARCH_CACHE_CONTROL = 'private, max-age=0';

export function searchRoutes(ctx: RouteContext & { readonly search: SiteSearch }): Router {
  const router = Router({ caseSensitive: true, strict: true });

  const answer = async (req: Request, res: Response): Promise<{ query: string; page: number; answer: SearchAnswer | undefined }> => {
    const { query, page } = readQuery(req);
    res.setHeader('Cache-Control', SEARCH_CACHE_CONTROL);
    res.setHeader('X-Robots-Tag', 'noindex');
    const result = query ? await ctx.search.search(query, page) : undefined;
    if (result && !result.ready) {
      // Being built (start-up with many posts): ask again shortly, and let no cache keep this.
      res.status(503).setHeader('Retry-After', '2');
      res.setHeader('Cache-Control', 'no-store');
      // The access log reports a 5xx with its cause: say what it is, not a bare "503".
      res.err = new Error(`the search index is being built (${result.indexed} of ${result.total} posts)`);
    }
    return { query, page, answer: result };
  };

  router.get(ROUTES.search, async (req, res) => {
    const { query, page, answer: result } = await answer(req, res);
    res.type('html').send(ctx.renderer.search(query, page, result, RESULTS_PER_PAGE));
  });

  router.get(ROUTES.searchJson, async (req, res) => {
    try {
      const { query, answer: result } = await answer(req, res);
      res.json(jsonAnswer(query, result));
    } catch (err) {
      if (res.headersSent) throw err;
      sendJsonError(res, err);
    }
  });

  return router;
}

/** The JSON of an answer (docs/search.md): results, or how far the index is while it is being built. */
function jsonAnswer(query: string, result: SearchAnswer | undefined): unknown {
  if (result && !result.ready) return { query, building: { indexed: result.indexed, total: result.total }, results: [] };
  return {
    query,
    total: result?.total ?? 0,
    results: (result?.hits ?? []).map((hit) => ({
      url: hit.url,
      title: hit.title,
      date: hit.date?.iso ?? null,
      snippet: hit.snippet,
      score: Math.round(hit.score * 1000) / 1000,
    })),
  };
}

/**
 * An error of `/search.json` as JSON, `{ error: { status, message } }` as
 * the error handler's JSON (src/http/error-handler.ts), whatever the client
 * accepts: a script reading this address parses every answer as JSON.
 * Only a 4xx says why; a 5xx is logged with its cause.
 */
function sendJsonError(res: Response, err: unknown): void {
  const status = err instanceof HttpError ? err.status : 500;
  if (status >= 500) res.err = err instanceof Error ? err : new Error(String(err));
  const message = err instanceof HttpError && status < 500 ? err.message : 'The server could not answer this request. Please try again.';
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.json({ error: { status, message } });
}

/**
 * `q` (trimmed, cut to MAX_QUERY_CHARS characters) and `page` (from 1).
 * `q` given twice, or a page that is not a page number, is a 400.
 */
function readQuery(req: Request): { query: string; page: number } {
  const { q, page } = req.query as Record<string, unknown>;
  if (q !== undefined && typeof q !== 'string') throw new HttpError(400, 'Give one search query: ?q=words');
  if (page !== undefined && (typeof page !== 'string' || !PAGE_NUMBER.test(page))) {
    throw new HttpError(400, 'The page of search results must be a number from 1: ?q=words&page=2');
  }
  // Cut by characters, not UTF-16 units, so no emoji is split in half.
  const query = Array.from((q ?? '').trim())
    .slice(0, MAX_QUERY_CHARS)
    .join('')
    .trim();
  return { query, page: page === undefined ? 1 : Number(page) };
}
