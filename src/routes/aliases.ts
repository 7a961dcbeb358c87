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

/**
 * The address an alias path redirects to (the post's URL), or undefined when
 * the path is no alias, or is a standalone page's address (pages answer
 * first, as `aliasRoutes` is mounted after them).
 */
export type AliasLookup = (requestPath: string) => Promise<string | undefined>;

export function aliasLookup(ctx: RouteContext): AliasLookup {
  let built: { key: string; map: AliasMap } | undefined;
  const mapFor = (view: SiteView): AliasMap => {
    if (built?.key !== view.key) built = { key: view.key, map: buildAliasMap(view.posts) };
    return built.map;
  };
  return async (requestPath) => {
    const aliases = mapFor(await ctx.store.view());
    if (!aliases.targets.size) return undefined;
    const key = normaliseRequestPath(requestPath);
    const post = key && aliases.targets.get(key);
    if (!post) return undefined;
    const pages = await ctx.pages.view();
    return pages.bySlug.has(key.slice(1)) ? undefined : postUrl(post);
  };
}

export function aliasRoutes(ctx: RouteContext, lookup: AliasLookup = aliasLookup(ctx)): RequestHandler {
  return async (req, res, next) => {
    const target = await lookup(req.path);
    if (!target) return next();
    // Revalidated like pages, so removing an alias is not undone by a browser's cached 301.
    res.setHeader('Cache-Control', ctx.config.cacheControl);
    res.redirect(301, `${target}${queryString(req)}`);
  };
}
