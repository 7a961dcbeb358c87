/**
 * Renamed posts: a request for one of a post's `aliases` answers 301 to the
 * post's URL. Mounted last, before the 404: every real route, and so every
 * real post, answers first; the map also leaves out any alias equal to a
 * post's URL. The map is derived once per view key, never per request.
 */
import type { RequestHandler } from 'express';
import { buildAliasMap, normaliseRequestPath, type AliasMap } from '../content/aliases.js';
import type { SiteView } from '../content/store.js';
import { postUrl } from '../content/urls.js';
import type { RouteContext } from './context.js';
import { queryString } from '../http/query-string.js';

export function aliasRoutes(ctx: RouteContext): RequestHandler {
  let built: { key: string; map: AliasMap } | undefined;
  const mapFor = (view: SiteView): AliasMap => {
    if (built?.key !== view.key) built = { key: view.key, map: buildAliasMap(view.posts) };
    return built.map;
  };

  return async (req, res, next) => {
    const view = await ctx.store.view();
    const aliases = mapFor(view);
    if (!aliases.targets.size) return next();
    const key = normaliseRequestPath(req.path);
    const post = key && aliases.targets.get(key);
    if (!post) return next();
    // Revalidated like pages, so removing an alias is not undone by a browser's cached 301.
    res.setHeader('Cache-Control', ctx.config.cacheControl);
    res.redirect(301, `${postUrl(post)}${queryString(req)}`);
  };
}
