/**
 * Search over the site as readers see it: the index follows the change feed
 * of each source (posts: src/search/post-source.ts; a post added, edited or
 * removed is indexed again on its own), and the current site view decides
 * what may be found, so drafts (in production), future posts and withdrawn
 * posts are never found even while they are in the index.
 *
 * Changes are applied when a search asks, after the store has looked at the
 * folder, so search is as fresh as the listings. A small backlog is indexed
 * while the search that found it waits; a large one (the first build with
 * thousands of posts) in the background, searches saying the index is being
 * built until it is done. Either way indexing, like each search's own work,
 * runs a few milliseconds per turn of the event loop (src/loop/turns.ts),
 * so the server keeps answering meanwhile (docs/search.md, "Bounded work").
 */
import { plainText } from '../content/text.js';
import { SearchIndex, type IndexedDocument, type SearchDocument, type SearchResults } from './search-index.js';
import { snippet, snippetSource } from './snippet.js';
import { SnippetTexts } from './snippet-texts.js';
import { Turns } from '../loop/turns.js';

/** Results on one page of search results. */
export const RESULTS_PER_PAGE = 20;
/**
 * Snippets come from this much of a post's markdown: a 2 MB post costs a
 * result no more than a long article (snippet.ts reads 100,000 characters).
 */
const SNIPPET_SOURCE_CHARS = 150_000;
/**
 * A backlog up to this size is indexed while the request that finds it
 * waits (in slices, as any backlog); a larger one makes searches answer that
 * the index is being built (a 503) until it is done.
 */
const INDEX_AT_ONCE = 500;

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
  /** Runs the next turn of indexing later (default: searches' turns, `setImmediate`, after pending I/O). */
  readonly schedule?: (next: () => void) => void;
}

export class SiteSearch {
  private readonly index = new SearchIndex<Entry>();
  /** Changes not indexed yet, by URL: the item to index, or `undefined` to remove. Last change wins. */
  private readonly pending = new Map<string, Entry | undefined>();
  /** The piece of indexing under way (a document being added, a sweep), run a step at a time. */
  private job: Generator<void, void, void> | undefined;
  private building: Promise<void> | undefined;
  /** The backlog at the start of the current build, to say how far it is. */
  private buildSize = 0;
  /** The plain text of the posts results were last shown for (snippets). */
  private readonly texts = new SnippetTexts<object>();
  /** Searches' work; indexing's too unless a test schedules the build itself. */
  private readonly turns = new Turns();
  private readonly buildTurns: Turns;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly sources: SearchSource<unknown, unknown>[] = [];
  /** The sources' views the index's filter was set from, in the order of `sources`. */
  private filteredBy: readonly unknown[] = [];

  /** The content to index comes from `addSource`. */
  constructor(options: SiteSearchOptions = {}) {
    this.buildTurns = options.schedule ? new Turns(options.schedule) : this.turns;
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

  /**
   * One page (1-based) of the results for `query`, or how far the index is
   * when it is still being built. A small backlog (an edit, a new post, a
   * small site's first search) is awaited, indexed in steps meanwhile.
   */
  async search(query: string, page: number): Promise<SearchAnswer> {
    let views = await this.views();
    this.catchUp();
    while (this.building) {
      if (this.buildSize > INDEX_AT_ONCE) return { ready: false, indexed: Math.max(0, this.buildSize - this.backlog), total: this.buildSize };
      await this.building;
      views = await this.views();
      this.catchUp();
    }
    this.filterBy(views);
    const expanded = await this.turns.run(this.index.expanding(query));
    // One pass over the postings of at most MAX_MATCHED_TERMS words (src/search/search-index.ts).
    const results = this.index.score(expanded, { offset: (page - 1) * RESULTS_PER_PAGE, limit: RESULTS_PER_PAGE });
    const hits = await this.turns.run(this.snippets(results));
    return { ready: true, total: results.total, hits };
  }

  /** Sets the index's filter from the sources' views: once per change of a view (an edit, a post going live), not per query. */
  private filterBy(views: readonly unknown[]): void {
    if (views.length === this.filteredBy.length && views.every((view, i) => view === this.filteredBy[i])) return;
    this.filteredBy = views;
    const viewOf = new Map(this.sources.map((source, i) => [source, views[i]]));
    this.index.setFilter(({ item, source }) => source.isShown(item, viewOf.get(source)));
  }

  /** The results as readers see them, a step per result: its text (made once per version of the item), then its snippet. */
  private *snippets(results: SearchResults<Entry>): Generator<void, SearchHitView[], void> {
    const hits: SearchHitView[] = [];
    for (const { doc, ref, score } of results.hits) {
      const text = this.snippetText(ref, doc);
      // One item whose text cannot be made into a snippet is left out, never a 500 for the whole page.
      if (text === undefined) continue;
      yield;
      hits.push({ url: doc.url, title: doc.title, date: doc.date, snippet: snippet(text, results.matched), score });
      yield;
    }
    return hits;
  }

  /**
   * The plain text a result's snippet is cut from (the part a snippet can
   * read), made once per version of the item and kept within bounds
   * (src/search/snippet-texts.ts), not once per result shown.
   */
  private snippetText({ item, source }: Entry, doc: IndexedDocument): string | undefined {
    const key = typeof item === 'object' && item !== null ? item : undefined;
    const kept = key ? this.texts.get(key) : undefined;
    if (kept !== undefined) return kept;
    let text: string;
    try {
      text = snippetSource(plainText(source.body(item).slice(0, SNIPPET_SOURCE_CHARS), { code: true }) || doc.description);
    } catch {
      return undefined;
    }
    if (key) this.texts.set(key, text);
    return text;
  }

  /** Every source's current view: looking at the folders as due, which brings their changes in. */
  private views(): Promise<unknown[]> {
    return Promise.all(this.sources.map((source) => source.view()));
  }

  private enqueue(source: SearchSource<unknown, unknown>, change: { readonly added: readonly unknown[]; readonly removed: readonly unknown[] }): void {
    for (const item of change.removed) {
      this.pending.set(source.url(item), undefined);
      if (typeof item === 'object' && item !== null) this.texts.delete(item);
    }
    for (const item of change.added) this.pending.set(source.url(item), { item, source });
  }

  /** Documents still to index or remove, the one under way included. */
  private get backlog(): number {
    return this.pending.size + (this.job ? 1 : 0);
  }

  /**
   * Starts indexing the backlog (once), always in steps, a few milliseconds
   * per turn of the loop however small the backlog (docs/search.md, "Bounded work").
   */
  private catchUp(): void {
    if (!this.pending.size || this.building) return;
    this.buildSize = this.pending.size;
    this.building = this.buildTurns.run(this.build(this.pending.size > INDEX_AT_ONCE)).finally(() => {
      this.building = undefined;
    });
  }

  /** The backlog, a step at a time: a removal, a piece of a document, a piece of a sweep. */
  private *build(large: boolean): Generator<void, void, void> {
    while (this.pending.size || this.job || this.index.vacuumDue) {
      if (!this.job) this.job = this.nextJob();
      else if (this.job.next().done) this.job = undefined;
      yield;
    }
    // The lists grew by doubling while a large backlog was indexed: give the spare room back.
    if (large) yield* this.index.compacting();
  }

  /** The next piece of work: a sweep when one is due, else the next change of the backlog (a removal is done at once). */
  private nextJob(): Generator<void, void, void> | undefined {
    if (this.index.vacuumDue) return this.index.vacuuming();
    for (const [url, entry] of this.pending) {
      this.pending.delete(url);
      if (entry) return this.adding(entry);
      this.index.forget(url);
      return undefined;
    }
    return undefined;
  }

  /** Adds an item; its document (the post's plain text: time in proportion to its length) is a step of its own. */
  private *adding(entry: Entry): Generator<void, void, void> {
    const document = entry.source.document(entry.item);
    yield;
    yield* this.index.adding(document, entry);
  }
}
