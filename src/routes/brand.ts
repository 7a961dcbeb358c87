/**
 * `/_lede/brand.css`: the branding settings as a stylesheet, so
 * `accent_color` needs no theme. A stylesheet rather than an inline
 * `<style>`: the Content-Security-Policy allows styles from this site only
 * (src/http/security-headers.ts). Linked only when `accent_color` is set.
 */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { ROUTES } from '../content/urls.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export const CSS_TYPE = 'text/css; charset=utf-8';

export function brandRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.brandStyle, (req, res, next) => {
    const accent = ctx.config.site.accent_color;
    if (!accent) return next();
    // Kept with the site view: an edit of `_site.yml` is a new view, and a new accent.
    return cachedPage(ctx, req, res, next, () => ({ body: brandCss(accent), type: CSS_TYPE }));
  });
  return router;
}

/**
 * The accent in both colour schemes: the built-in dark scheme sets its own
 * `--accent`, which would otherwise win. The value is validated as a hex
 * colour (src/settings.ts), so it cannot close the rule.
 */
export function brandCss(accent: string): string {
  return `:root { --accent: ${accent}; }\n@media (prefers-color-scheme: dark) { :root { --accent: ${accent}; } }\n`;
}
