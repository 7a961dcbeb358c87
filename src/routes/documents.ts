/**
 * Serving a document made from the whole site view (a feed, the sitemap):
 * made once per view, kept in the response cache until the view changes.
 */
import type { Request, Response } from 'express';
import type { SiteView } from '../content/store.js';
import { makeRepresentation } from '../cache/representation.js';
import { setSurrogateKeys } from '../cdn/surrogate-keys.js';
import type { RouteContext } from './context.js';

export interface Document {
  body: string;
  lastModifiedMs?: number | undefined;
}

export async function sendDocument(ctx: RouteContext, req: Request, res: Response, type: string, make: (view: SiteView) => Document, surrogateKeys: readonly string[] = []): Promise<void> {
  const view = await ctx.store.view();
  const cached = ctx.cache.get(req.path);
  if (cached) return ctx.cache.send(req, res, cached);
  const doc = make(view);
  setSurrogateKeys(res, surrogateKeys);
  ctx.cache.store(req.path, req, res, {
    rep: makeRepresentation(doc.body, type, doc.lastModifiedMs),
    cacheControl: ctx.config.cacheControl,
    deps: { viewKey: view.key },
  });
}
