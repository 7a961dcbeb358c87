/**
 * Rejects hostile request targets before any route sees them: over-long URLs
 * (414), bad percent-encoding, encoded slashes or backslashes, NUL and other
 * control characters, and `.`/`..` segments in any encoding (400). Routes
 * then only ever see paths that decode cleanly into plain segments, and no
 * such path can walk out of a folder.
 *
 * A path that is percent-encoded in a non-canonical way (`/a/%68ello`,
 * lower-case hex) is redirected to its one canonical form (RFC 3986 §6.2.2),
 * so every page has one URL and one cache entry: encoding variants of a page
 * cannot fill the page cache and push real pages out. The front cache needs
 * no guard of its own: it answers only paths the app itself rendered and
 * stored, and this guard runs before any page is rendered.
 */
import type { RequestHandler } from 'express';
import { canonicalEncoding, pathFault, type PathFault } from '../content/request-path.js';
import { HttpError } from '../errors.js';
import { queryString } from './query-string.js';

/** Longest request target (path and query) answered, in bytes. */
export const MAX_URL_BYTES = 2048;

export function urlGuard(): RequestHandler {
  return (req, res, next) => {
    // ASCII is one byte per character; anything else in a URL is already percent-encoded.
    if (req.url.length > MAX_URL_BYTES) return next(new HttpError(414, 'This address is too long.'));
    const raw = req.path;
    const fault = pathFault(raw);
    if (fault) return next(new HttpError(400, FAULT_MESSAGES[fault]));
    // `//host/...` is never a redirect target (it would leave the site): such paths fall through to a 404.
    if (raw.includes('%') && !raw.startsWith('//')) {
      const canonical = canonicalEncoding(raw);
      if (canonical !== raw) return res.redirect(301, canonical + queryString(req));
    }
    next();
  };
}

const FAULT_MESSAGES: Record<PathFault, string> = {
  'encoded separator': 'This address contains an encoded separator.',
  'bad encoding': 'This address is not valid percent-encoding.',
  'bad character': 'This address is not a valid path.',
};
