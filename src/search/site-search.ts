/**
 * Search over the site as readers see it: the index follows the change feed
 * of each source (posts: src/search/post-source.ts; a post added, edited or
 * removed is indexed again on its own), and the current site view decides
 * what may be found, so drafts (in production), future posts and withdrawn
 * posts are never found even while they are in the index.
 *
 * Changes are applied when a search asks, after the store has looked at the
 * folder, so search is as fresh as the listings. A small backlog is applied
 * at once; a large one (the first build with thousands of posts) is applied
 * in the background in slices, so the server keeps answering meanwhile, and
 * searches say the index is being built until it is done.
 */
import { plainText } from '../content/text.js';
import { SearchIndex, type IndexedDocument, type SearchDocument } from './search-index.js';
import { snippet } from './snippet.js';

/** Results on one page of search results. */
export const RESULTS_PER_PAGE = 20;
/**
 * Snippets come from this much of a post's markdown: a 2 MB post costs a
 * result no more than a long article (snippet.ts reads 100,000 characters).
 */
const SNIPPET_SOURCE_CHARS = 150_000;
/** A backlog up to this size is indexed within the request that finds it. */
const INDEX_AT_ONCE = 500;
/**
 * A background build indexes for this long, then lets other work run: a
 * request that arrives during the build waits at most about this long.
 */
const SLICE_MS = 5;

export interface SearchHitView {
  readonly url: string;
  readonly title: string;
  readonly date: IndexedDocument['date'];
  /** HTML: escaped text with the matched words in `<mark>`. */
  readonly snippet: string;
  readonly score: number;
}

export type SearchAnswer =
  | { readonly ready: true; readonly total: number; readonly hits: readonly SearchHitView[] }
  | { readonly ready: false; readonly indexed: number; readonly total: number };

/** A kind of content the site can be searched for (posts, pages), with `V` what readers see of it now. */
export interface SearchSource<T, V> {
  /** Tells `listener` of the items added and removed, the ones already there first (as `ContentStore.onChange`). */
  onChange(listener: (change: { readonly added: readonly T[]; readonly removed: readonly T[] }) => void): () => void;
  /** The item's address: its key in the index. */
  url(item: T): string;
  /** The item as a search document, its plain text included. */
  document(item: T): SearchDocument;
  /** What readers see of this content now (looking at the folder when due, which feeds `onChange`); the same object while nothing changed. */
  view(): Promise<V>;
  /** Whether readers may find this version of the item in this view. */
  isShown(item: T, view: V): boolean;
  /** The markdown its snippet is cut from. */
  body(item: T): string;
}

/** An item with the source it came from, as the index keeps it. */
interface Entry {
  readonly item: unknown;
  readonly source: SearchSource<unknown, unknown>;
}

export interface SiteSearchOptions {
  /** Runs the next slice of a background build later (default `setImmediate`, after pending I/O). */
  readonly schedule?: (next: () => void) => void;
}

export class SiteSearch {
  private readonly index = new SearchIndex<Entry>();
  /** Changes not indexed yet, by URL: the item to index, or `undefined` to remove. Last change wins. */
  private readonly pending = new Map<string, Entry | undefined>();
  private building: Promise<void> | undefined;
  /** The backlog at the start of the current background build, to say how far it is. */
  private buildSize = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly sources: SearchSource<unknown, unknown>[] = [];
  /** The sources' views the index's filter was set from, in the order of `sources`. */
  private filteredBy: readonly unknown[] = [];

  private readonly schedule: (next: () => void) => void;

  /** The content to index comes from `addSource`. */
  constructor(options: SiteSearchOptions = {}) {
    this.schedule = options.schedule ?? ((next) => setImmediate(next));
  }

  /** Indexes a kind of content from now on (`postSource(store)`; pages would be one more call). */
  addSource<T, V>(source: SearchSource<T, V>): void {
    // The index keeps each item with its own source, and only ever hands an
    // item back to the source that gave it, so forgetting T here is safe.
    const generic = source as unknown as SearchSource<unknown, unknown>;
    this.sources.push(generic);
    this.unsubscribe.push(generic.onChange((change) => this.enqueue(generic, change)));
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  /** Reads the folder and starts indexing it, so the index is ready before the first search. */
  async warm(): Promise<void> {
    await this.views();
    this.catchUp();
    await this.building;
  }

  /** One page (1-based) of the results for `query`, or how far the index is when it is still being built. */
  async search(query: string, page: number): Promise<SearchAnswer> {
    const views = await this.views();
    this.catchUp();
    if (this.pending.size) return { ready: false, indexed: Math.max(0, this.buildSize - this.pending.size), total: this.buildSize };
    if (views.some((view, i) => view !== this.filteredBy[i])) {
      // Once per change of a view (an edit, a post going live), not per query.
      this.filteredBy = views;
      const viewOf = new Map(this.sources.map((source, i) => [source, views[i]]));
      this.index.setFilter(({ item, source }) => source.isShown(item, viewOf.get(source)));
    }
    const results = this.index.search(query, { offset: (page - 1) * RESULTS_PER_PAGE, limit: RESULTS_PER_PAGE });
    const hits: SearchHitView[] = [];
    for (const { doc, ref, score } of results.hits) {
      // One item whose text cannot be made into a snippet is left out, never a 500 for the whole page.
      let text: string;
      try {
        text = snippet(plainText(ref.source.body(ref.item).slice(0, SNIPPET_SOURCE_CHARS)) || doc.description, results.matched);
      } catch {
        continue;
      }
      hits.push({ url: doc.url, title: doc.title, date: doc.date, snippet: text, score });
    }
    return { ready: true, total: results.total, hits };
  }

  /** Every source's current view: looking at the folders as due, which brings their changes in. */
  private views(): Promise<unknown[]> {
    return Promise.all(this.sources.map((source) => source.view()));
  }

  private enqueue(source: SearchSource<unknown, unknown>, change: { readonly added: readonly unknown[]; readonly removed: readonly unknown[] }): void {
    for (const item of change.removed) this.pending.set(source.url(item), undefined);
    for (const item of change.added) this.pending.set(source.url(item), { item, source });
  }

  /** Indexes the backlog now when it is small, else in the background (once). */
  private catchUp(): void {
    if (!this.pending.size || this.building) return;
    if (this.pending.size <= INDEX_AT_ONCE) {
      this.apply(this.pending.size);
      return;
    }
    this.buildSize = this.pending.size;
    this.building = (async () => {
      while (this.pending.size) {
        await new Promise<void>((resolve) => this.schedule(resolve));
        const until = performance.now() + SLICE_MS;
        do this.apply(10);
        while (this.pending.size && performance.now() < until);
      }
      // The lists grew by doubling while the backlog was indexed: give the spare room back.
      this.index.compact();
    })().finally(() => {
      this.building = undefined;
    });
  }

  private apply(count: number): void {
    for (const [url, entry] of this.pending) {
      if (count-- <= 0) return;
      this.pending.delete(url);
      if (entry) this.index.add(entry.source.document(entry.item), entry);
      else this.index.remove(url);
    }
  }
}
