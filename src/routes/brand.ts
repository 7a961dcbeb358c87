/**
 * `/_lede/brand.css`: the branding settings as a stylesheet, so
 * `accent_color` needs no theme. A stylesheet rather than an inline
 * `<style>`: the Content-Security-Policy allows styles from this site only
 * (src/http/security-headers.ts). Linked only when `accent_color` or
 * `accent_color_dark` is set; it holds the palette derived from them in both
 * schemes (src/render/palette.ts).
 */
import type { Router } from 'express';
import { cachedPage } from '../cache/cached-page.js';
import { ROUTES } from '../content/urls.js';
import { derivePalette, hasBrandColours, paletteCss } from '../render/palette.js';
import type { SiteSettings } from '../settings.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export const CSS_TYPE = 'text/css; charset=utf-8';

export function brandRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.brandStyle, (req, res, next) => {
    const site = ctx.config.site;
    if (!hasBrandColours(site)) return next();
    // Kept with the site view: an edit of `_site.yml` is a new view, and a new palette.
    return cachedPage(ctx, req, res, next, () => ({ body: brandCss(site), type: CSS_TYPE }));
  });
  return router;
}

/**
 * The palette of both colour schemes: the built-in dark scheme sets its own
 * colours, which would otherwise win. The colours are validated as hex
 * (src/settings.ts) and written out by the palette, so none can close the rule.
 */
export function brandCss(site: Pick<SiteSettings, 'accent_color' | 'accent_color_dark'>): string {
  return paletteCss(derivePalette({ accent: site.accent_color, accentDark: site.accent_color_dark }).palette);
}
