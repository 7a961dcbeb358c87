import type { Config } from '../config.js';
import type { LinkSiteSource } from '../content/link-site.js';
import type { PageStore } from '../content/page-store.js';
import type { ContentStore } from '../content/store.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { PostBodies } from '../render/post-bodies.js';
import type { Renderer } from '../render/renderer.js';

/** What every route handler is given: the steps before it in the data flow. */
export interface RouteContext {
  readonly config: Config;
  readonly store: ContentStore;
  /** The standalone pages of `content/pages/`. */
  readonly pages: PageStore;
  readonly renderer: Renderer;
  /** Post bodies, rendered off the main thread: await them before calling the renderer. */
  readonly bodies: PostBodies;
  readonly cache: ResponseCache;
  /** What links resolve in now, and which folders' files are drafts' (src/content/link-site.ts). */
  readonly links: LinkSiteSource;
}
