/**
 * The options of a content store (src/content/store.ts), and their defaults:
 * a store of the posts' folder, or of the standalone pages inside it
 * (src/content/page-store.ts). Each is explained where it is used.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { findPosts } from './find-posts.js';
import { parsePost, type PostDefaults } from './parse-post.js';
import type { Post } from './post.js';
import { DEFAULT_BODY_MEMORY_BYTES, DEFAULT_MAX_FILE_BYTES } from './read-post-file.js';
import { SETTLE_MS } from './writes-in-progress.js';
import type { LiveSettings } from '../settings.js';
import { layoutListing, layoutParse } from './site-layout/layout-reading.js';
import type { SiteLayout } from './site-layout/site-layout.js';

export interface StoreOptions {
  contentDir: string;
  /** The author and time zone of posts that name none; the live settings' win when given. */
  defaults: PostDefaults;
  /** The site settings, read again by each scan when `_site.yml` changed. */
  settings?: LiveSettings;
  /**
   * Site settings another store refreshes (the posts' store, for the
   * standalone pages): their author and time zone are followed, and a
   * change to them is a scan due, but the file is not read again here.
   */
  followSettings?: LiveSettings;
  /** Show drafts (outside production). */
  showDrafts: boolean;
  /** How old a scan may be before the folder is listed again. */
  maxAgeMs?: number;
  /** Files above this size are reported, not read. */
  maxFileBytes?: number;
  /**
   * When the post files together are larger than this, bodies stay in their
   * files (read when rendered or indexed) and only each file's first lines
   * are read to parse it: 100,000 posts of 8 KB held 800 MB of markdown.
   */
  bodyMemoryBytes?: number;
  /** How long a post file must stay unchanged to be read as written (`SETTLE_MS`); tests on a busy machine set more. */
  settleMs?: number;
  /** Watch the folder for changes instead of listing it every `maxAgeMs`. */
  watch?: boolean;
  /** Watched, every post file is still `stat`ed once this often (a share each second), in case the watch missed an event. */
  rescanEveryMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
  /** The parser of one post file (parsePost); a test wraps it to count parses. */
  parse?: typeof parsePost;
  /** The listing of the folder (findPosts); a test wraps it to count listings. */
  list?: typeof findPosts;
  /**
   * Put before every path in messages when the folder is inside the content
   * folder (`pages/` for the standalone pages), so a problem names the file
   * as the author sees it from the content folder.
   */
  relPrefix?: string;
  /**
   * Told of the posts each scan after the first parsed anew (new or changed
   * files), so they can be rendered once in the background: a post too slow
   * to render is then reported soon after it is saved, not when first read.
   */
  onChanged?: (posts: readonly Post[]) => void;
  /**
   * The layout of a whole blog repository (src/content/site-layout/site-layout.ts):
   * its folders of posts are listed instead of the whole folder, and its posts
   * get their drafts' folders and old addresses. The pages' store takes only
   * where the old site's pages are from it (src/content/page-store.ts).
   */
  layout?: SiteLayout | undefined;
}

type Optional = 'logger' | 'settings' | 'followSettings' | 'onChanged' | 'layout';

/** The options with every default filled in. */
export type ResolvedStoreOptions = Required<Omit<StoreOptions, Optional>> & Pick<StoreOptions, Optional>;

/** `options` with the defaults filled in, and `contentDir` resolved to an absolute path. */
export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const { layout } = options;
  return {
    maxAgeMs: 1000,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    bodyMemoryBytes: DEFAULT_BODY_MEMORY_BYTES,
    settleMs: SETTLE_MS,
    watch: false,
    rescanEveryMs: 10_000,
    now: Date.now,
    parse: parsePost,
    list: findPosts,
    relPrefix: '',
    ...options,
    ...(layout ? { list: options.list ?? layoutListing(layout), parse: layoutParse(layout, options.parse ?? parsePost) } : {}),
    contentDir: path.resolve(options.contentDir),
  };
}
