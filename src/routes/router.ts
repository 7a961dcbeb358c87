/**
 * The one way routes make a `Router`. The app's `case sensitive routing` and
 * `strict routing` settings reach only the app's own router, never a
 * separate `Router()`: without this, `/POSTS/x`, `/FEED.XML` and `/Tags/ai`
 * answered 200, each a new render and a new cache entry (127 case variants
 * of `/atom.xml` pushed every cached article out). URLs are case-sensitive
 * (docs/security.md).
 */
import { Router } from 'express';

export function strictRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}
