/**
 * Standalone pages (About, Contact, …): `content/pages/<name>.md` or a
 * bundle `content/pages/<name>/index.md`, served at `/<slug>`.
 *
 * A page is read exactly as a post is (same parser, validation, freshness and
 * last good version), so this is a `ContentStore` on the `pages/` folder, plus
 * the two rules that are pages' own: the folder is optional (most sites have
 * none, and one may appear or go while the server runs), and a page whose
 * address is a route (`/tags`, `/feed.xml`, `/search`, …) is not served and is
 * reported instead, as routes answer first (docs/pages-and-static-files.md).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { memoByObject } from './memo.js';
import type { ContentError, Post } from './post.js';
import { ContentStore, type BrokenPost, type ChangeListener, type SiteView, type SnapshotChange, type StoreOptions } from './store.js';
import { topLevelPages } from './site-layout/layout-reading.js';
import { pageUrl, routeClaiming } from './urls.js';

/** The folder of standalone pages, inside the content folder. */
export const PAGES_FOLDER = 'pages';

/** What readers see of the pages at one moment. */
export interface PageView {
  /** Changes whenever a page is added, removed, edited or goes live. */
  readonly key: string;
  /** Published pages, by slug; pages whose address is a route are left out. */
  readonly bySlug: ReadonlyMap<string, Post>;
  /** The same pages, in slug order (for the sitemap). */
  readonly pages: readonly Post[];
  /** Pages whose address a route answers: not served, and reported. */
  readonly clashes: readonly ContentError[];
  /** Problems with page files, route clashes included (for `/healthz`). */
  readonly errorCount: number;
}

/** How often a missing `pages/` folder is looked for again. */
const LOOK_FOR_FOLDER_MS = 1000;

const NO_PAGES: PageView = { key: 'none', bySlug: new Map(), pages: [], clashes: [], errorCount: 0 };

export class PageStore {
  readonly dir: string;
  private store: ContentStore | undefined;
  private lookedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly listeners = new Set<ChangeListener>();
  /** The pages the inner store last reported: for a late listener, and to remove them all when the folder goes. */
  private readonly known = new Set<Post>();
  /** `currentViewKey`'s last answer, and the inner store's key it was made from. */
  private lastStoreKey: string | undefined;
  private lastKey: string | undefined;

  /** Put before a page's path in messages: where its folder is, seen from the content folder. */
  private readonly relPrefix: string;

  /**
   * `options.contentDir` is the content folder; the pages are read from its
   * `pages/`, or from where a whole blog repository keeps them
   * (`options.layout`, src/content/site-layout/site-layout.ts).
   */
  constructor(private readonly options: StoreOptions) {
    const own = options.layout?.pages;
    this.dir = path.join(path.resolve(options.contentDir), own ? own.dir : PAGES_FOLDER);
    this.relPrefix = own ? (own.dir ? `${own.dir}/` : '') : `${PAGES_FOLDER}/`;
    this.now = options.now ?? Date.now;
  }

  close(): void {
    this.store?.close();
  }

  /** A page that cannot be rendered, as `ContentStore.markUnrenderable` takes a post: logged, counted, and not served. */
  markUnrenderable(page: Post, error: ContentError): void {
    this.store?.markUnrenderable(page, error);
  }

  /**
   * The change feed of the pages, as `ContentStore.onChange`: the pages
   * already known first, then every page added or removed, including all of
   * them when the `pages/` folder goes away.
   */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    if (this.known.size) listener({ added: [...this.known], removed: [] });
    return () => this.listeners.delete(listener);
  }

  private forward(change: SnapshotChange): void {
    for (const page of change.removed) this.known.delete(page);
    for (const page of change.added) this.known.add(page);
    for (const listener of this.listeners) listener(change);
  }

  /** The published pages now. */
  async view(): Promise<PageView> {
    const store = this.current();
    if (!store) return NO_PAGES;
    const view = await store.view();
    // The folder went away: no pages, and no problem to report.
    if (view.errorCount && !view.posts.length && !this.folderExists()) return this.drop();
    return pageViewOf(view);
  }

  /** Every problem with a page file, route clashes included (for `check`). */
  async problems(): Promise<ContentError[]> {
    const store = this.current(true);
    if (!store) return [];
    const [errors, view] = await Promise.all([store.errors(), this.view()]);
    return [...errors, ...view.clashes];
  }

  /** The key of the current view, or `undefined` when it must be built again (as `ContentStore.currentViewKey`). */
  currentViewKey(): string | undefined {
    const store = this.current();
    if (!store) return NO_PAGES.key;
    const key = store.currentViewKey();
    if (key === undefined) return undefined;
    // The same string per hit, not a new one (the response cache compares it on every request).
    if (key !== this.lastStoreKey) {
      this.lastStoreKey = key;
      this.lastKey = `p${key}`;
    }
    return this.lastKey;
  }

  /** A published page by slug, checked against its file first (one `stat`), as posts are. */
  async getPage(slug: string): Promise<Post | undefined> {
    // A page just written into a folder just made answers at once.
    const store = this.current(true);
    if (!store) return undefined;
    const post = await store.getPost(slug);
    if (!post) return undefined;
    return (await this.view()).bySlug.get(slug) === post ? post : undefined;
  }

  /** The problem of a page file now, when it is served in its last good version. */
  currentError(file: string): ContentError | undefined {
    return this.store?.currentError(file);
  }

  /** A page file with no good version that would be at `slug` (outside production, its URL shows the problem). */
  problemFor(slug: string): BrokenPost | undefined {
    return this.store?.problemFor(slug);
  }

  signatureOf(file: string): ReturnType<ContentStore['signatureOf']> {
    return this.store?.signatureOf(file);
  }

  /** As `ContentStore.linkSources`, for the pages; `undefined` while there is no `pages/` folder. */
  linkSources(): ReturnType<ContentStore['linkSources']> | undefined {
    return this.store?.linkSources();
  }

  /** Every page file that parsed (for `check`). */
  parsedPages(): Iterable<Post> {
    return this.store?.parsedPosts() ?? [];
  }

  /** The inner store, made when the folder first appears. */
  private current(lookNow = false): ContentStore | undefined {
    if (this.store) return this.store;
    const now = this.now();
    if (!lookNow && now - this.lookedAt < LOOK_FOR_FOLDER_MS) return undefined;
    this.lookedAt = now;
    if (!this.folderExists()) return undefined;
    // The posts' layout is not the pages': only where they are is taken from it.
    const listing = this.options.layout?.pages?.topLevelOnly ? { list: topLevelPages } : {};
    this.store = new ContentStore({ ...this.options, layout: undefined, contentDir: this.dir, relPrefix: this.relPrefix, ...listing });
    this.store.onChange((change) => this.forward(change));
    return this.store;
  }

  private drop(): PageView {
    if (this.known.size) this.forward({ added: [], removed: [...this.known] });
    this.store?.close();
    this.store = undefined;
    this.lookedAt = this.now();
    return NO_PAGES;
  }

  private folderExists(): boolean {
    return statSync(this.dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }
}

/** The pages of a view of the `pages/` folder, route clashes set aside; built once per view. */
const pageViewOf = memoByObject((view: SiteView): PageView => {
  const bySlug = new Map<string, Post>();
  const clashes: ContentError[] = [];
  for (const page of [...view.posts].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const route = routeClaiming(pageUrl(page.slug));
    if (route) {
      clashes.push(routeClash(page, route));
      continue;
    }
    bySlug.set(page.slug, page);
  }
  return { key: `p${view.key}`, bySlug, pages: [...bySlug.values()], clashes, errorCount: view.errorCount + clashes.length };
});

/** The problem of a page whose address a route answers. */
export function routeClash(page: Pick<Post, 'relPath' | 'slug'>, route: string): ContentError {
  return {
    file: page.relPath,
    line: undefined,
    field: 'slug',
    message: `has the address ${pageUrl(page.slug)}, which the route ${route} answers; the page is not served there: rename the file or set another \`slug\``,
  };
}
