/**
 * Security headers for every response, set by helmet as the first Express
 * middleware. The response cache captures them with each page and replays
 * them on hits, so pages answered before Express carry the same headers.
 *
 * The policy allows no inline script and no nonce: pages are cached and
 * replayed byte for byte, so a per-request nonce cannot exist. Scripts may
 * only come from this origin (the theme's assets); `<script type="application/ld+json">`
 * data blocks are not executed and need no permission.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { PageNeeds } from '../render/markdown.js';

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** The Content-Security-Policy directives, exported so tests and docs can name them. */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  // Hero images may live on any https origin (a CDN, an image host); data: for tiny inline placeholders.
  'img-src': ["'self'", 'https:', 'data:'],
  'font-src': ["'self'", 'https:', 'data:'],
  'media-src': ["'self'", 'https:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

/**
 * The policy of a page that needs more than the theme, or `undefined` when
 * the site-wide one will do. Relaxed only for styles, only on those pages;
 * scripts stay `'self'` everywhere:
 * - math: KaTeX positions glyphs with `style` attributes (heights, vertical
 *   offsets), so `style-src-attr 'unsafe-inline'`. The sanitizer strips
 *   every `style` the author writes; only KaTeX's, added after it, reach the page.
 * - diagrams: mermaid writes a `<style>` element into each SVG it draws, and
 *   style attributes, so `style-src 'self' 'unsafe-inline'`.
 * CSS cannot run script; the worst an injected style could do is restyle the
 * page, and the sanitizer leaves no way to inject one.
 */
export function pagePolicy(needs: PageNeeds): string | undefined {
  if (!needs.math && !needs.mermaid) return undefined;
  const directives: Record<string, readonly string[]> = { ...CSP_DIRECTIVES };
  if (needs.mermaid) directives['style-src'] = ["'self'", "'unsafe-inline'"];
  else directives['style-src-attr'] = ["'unsafe-inline'"];
  return serializePolicy(directives);
}

/** As helmet writes it: `name value value;name value`. */
function serializePolicy(directives: Record<string, readonly string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');
}

export function securityHeaders(): NodeMiddleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([k, v]) => [k, [...v]])),
    },
    // Other sites (feed readers, link previews) may show our images: allow cross-origin reads.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // Linked sites learn that a reader came from this blog, never which page or query.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // TLS usually ends at a proxy in front; HSTS for this host only, never its subdomains.
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
    xFrameOptions: { action: 'deny' },
    // Headers for browsers and plugins that are gone (the IE8 download prompt, Flash's
    // cross-domain policies, the XSS auditor that helmet only turns off): each one costs
    // bytes on every response and protects no current reader. DNS prefetch stays on, as
    // browsers default it: it speeds up following a link.
    xXssProtection: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xDnsPrefetchControl: false,
  });
}
