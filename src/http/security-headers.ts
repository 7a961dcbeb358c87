/**
 * The security headers of every response, set by the first Express
 * middleware from the site's header rules (src/headers/site-headers.ts, which
 * the static export writes for its hosts too). The response cache captures
 * them with each page and replays them on hits, so pages answered before
 * Express carry the same headers. A page with math or diagrams replaces the
 * policy with its own (`pagePolicy`, through src/cache/cached-page.ts); a
 * bundle file with the sandbox (src/http/bundle-files.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_HEADERS, SITE_CSP } from '../headers/site-headers.js';

export { CSP_DIRECTIVES, pagePolicy } from '../headers/site-headers.js';

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

const HEADERS: readonly (readonly [string, string])[] = [['Content-Security-Policy', SITE_CSP], ...Object.entries(COMMON_HEADERS)];

export function securityHeaders(): NodeMiddleware {
  return (_req, res, next) => {
    for (const [name, value] of HEADERS) res.setHeader(name, value);
    next();
  };
}
