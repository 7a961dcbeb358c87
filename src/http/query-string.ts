/**
 * The query part of a request target, `?` included, or `''`.
 *
 * Taken from the target itself, never as `originalUrl.slice(path.length)`:
 * in an absolute-form target (`GET http://evil.test/x/ HTTP/1.1`, RFC 9112
 * §3.2.2) the path is not at the start of the URL, and that slice made
 * `Location: /xp://evil.test/x/`.
 */
import type { IncomingMessage } from 'node:http';

export function queryString(req: Pick<IncomingMessage, 'url'>): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q);
}
