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
import { HttpError } from '../errors.js';
import { queryString } from './query-string.js';

/** Longest request target (path and query) answered, in bytes. */
export const MAX_URL_BYTES = 2048;

/** Percent-encoded `/`, `\` or NUL: a path segment must never contain them. */
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
/** Control characters and backslashes, raw or decoded. */
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f\\]/;
/** A `.` or `..` segment. */
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
const PERCENT = /%([0-9A-Fa-f]{2})/g;
/** RFC 3986 §2.3: unreserved characters are never percent-encoded in a canonical URL. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

export function urlGuard(): RequestHandler {
  return (req, res, next) => {
    // ASCII is one byte per character; anything else in a URL is already percent-encoded.
    if (req.url.length > MAX_URL_BYTES) return next(new HttpError(414, 'This address is too long.'));
    const raw = req.path;
    if (ENCODED_SEPARATOR.test(raw)) return next(new HttpError(400, 'This address contains an encoded separator.'));
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return next(new HttpError(400, 'This address is not valid percent-encoding.'));
    }
    if (FORBIDDEN_CHAR.test(decoded) || DOT_SEGMENT.test(decoded)) {
      return next(new HttpError(400, 'This address is not a valid path.'));
    }
    // `//host/...` is never a redirect target (it would leave the site): such paths fall through to a 404.
    if (raw.includes('%') && !raw.startsWith('//')) {
      const canonical = canonicalEncoding(raw);
      if (canonical !== raw) return res.redirect(301, canonical + queryString(req));
    }
    next();
  };
}

/** Decodes percent-encoded unreserved characters and upper-cases the hex of the rest (RFC 3986 §6.2.2.1-2). */
export function canonicalEncoding(path: string): string {
  return path.replace(PERCENT, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape.toUpperCase();
  });
}
