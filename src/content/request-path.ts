/**
 * The one rule for what a request path may be and how it is spelled, shared
 * by the URL guard (which answers requests) and aliases (which name paths
 * authors expect requests for): an alias the guard would refuse can never be
 * requested, and an alias spelled otherwise than the guard's canonical form
 * would never match.
 */

/** Percent-encoded `/`, `\` or NUL: a path segment must never contain them. */
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
/** Control characters and backslashes, raw or decoded. */
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f\\]/;
/** A `.` or `..` segment. */
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
const PERCENT = /%([0-9A-Fa-f]{2})/g;
/** RFC 3986 §2.3: unreserved characters are never percent-encoded in a canonical URL. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Why a raw (still encoded) path can never be a page: what the URL guard answers 400 to. */
export type PathFault = 'encoded separator' | 'bad encoding' | 'bad character';

export function pathFault(raw: string): PathFault | undefined {
  if (ENCODED_SEPARATOR.test(raw)) return 'encoded separator';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 'bad encoding';
  }
  if (FORBIDDEN_CHAR.test(decoded) || DOT_SEGMENT.test(decoded)) return 'bad character';
  return undefined;
}

/** Decodes percent-encoded unreserved characters and upper-cases the hex of the rest (RFC 3986 §6.2.2.1-2). */
export function canonicalEncoding(path: string): string {
  return path.replace(PERCENT, (encoded, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
}
