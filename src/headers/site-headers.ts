/**
 * Every response header rule of the site, in one place: the live server sets
 * them (src/http/security-headers.ts, src/http/bundle-files.ts and the routes
 * that send files), and the static export writes the same values for the
 * hosts that serve it (src/cli/export-headers.ts). Nothing here knows HTTP
 * or Express: these are values, so both may import them (docs/how-it-is-built.md).
 *
 * The site policy allows no inline script and no nonce: pages are cached and
 * replayed byte for byte, so a per-request nonce cannot exist. Scripts may
 * only come from this origin (the theme's assets); `<script type="application/ld+json">`
 * data blocks are not executed and need no permission.
 */

/** The Content-Security-Policy directives of every page, exported so tests and docs can name them. */
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

/** What a page shows that the theme alone does not (src/render/markdown.ts `needs` has this shape). */
export interface PolicyNeeds {
  readonly math: boolean;
  readonly mermaid: boolean;
}

/** `name value value;name value`, directives in their order. */
export function serializePolicy(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');
}

/** The policy of every page, feed and theme asset. */
export const SITE_CSP = serializePolicy(CSP_DIRECTIVES);

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
export function pagePolicy(needs: PolicyNeeds): string | undefined {
  if (!needs.math && !needs.mermaid) return undefined;
  const directives: Record<string, readonly string[]> = { ...CSP_DIRECTIVES };
  if (needs.mermaid) directives['style-src'] = ["'self'", "'unsafe-inline'"];
  else directives['style-src-attr'] = ["'unsafe-inline'"];
  return serializePolicy(directives);
}

/**
 * The policy of a file an author put beside a post or in `content/static/`
 * (and of the image variants made from one), replacing the page policy:
 * nothing active, even opened as a top-level document (an SVG may hold a
 * script), and never framed by another site (`frame-ancestors` is not
 * covered by `default-src`: it is named, as in the page policy).
 */
export const BUNDLE_FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/**
 * The headers every answer carries besides its policy, as they are sent.
 * - nosniff: a file is read as the type it is sent with, never guessed.
 * - Cross-Origin-Opener-Policy: a page opened from another site shares no window with it.
 * - Cross-Origin-Resource-Policy: other sites (feed readers, link previews) may show our images.
 * - Referrer-Policy: linked sites learn that a reader came from this blog, never which page or query.
 * - Strict-Transport-Security: TLS usually ends at a proxy in front; for this host only, never its
 *   subdomains (browsers ignore it over plain http).
 * Left out, as each costs bytes and Node's checking of it on every answer (a cache hit's head is
 * validated again each time it is written: docs/performance.md) and protects no current reader
 * (docs/security.md, "Headers"):
 * - X-Frame-Options: every answer's policy has `frame-ancestors 'none'`, which replaces it; CSP
 *   requires a browser to ignore X-Frame-Options when `frame-ancestors` is there.
 * - Origin-Agent-Cluster: Chrome keys agent clusters by origin by default since version 115 (what
 *   `?1` asked for: `document.domain` cannot be set); Firefox and Safari never acted on it.
 * - X-XSS-Protection, X-Download-Options, X-Permitted-Cross-Domain-Policies, X-DNS-Prefetch-Control:
 *   for browsers and plugins that are gone.
 */
export const COMMON_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=15552000',
  'X-Content-Type-Options': 'nosniff',
} as const satisfies Record<string, string>;

/** The security headers of every answer, by name: the policy, then the common ones. */
export const SECURITY_HEADERS = ['Content-Security-Policy', ...Object.keys(COMMON_HEADERS)] as readonly string[];

/** Files whose URL changes with their bytes (KaTeX's and mermaid's hashed folders, image variants): kept a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Answers no cache may keep: the 404 page (a missing page may appear at any time), errors, health checks. */
export const NO_STORE = 'no-store';
