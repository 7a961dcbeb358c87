/**
 * The full-text index: documents in, ranked results out, updated one
 * document at a time (never rebuilt for a query).
 *
 * The term dictionary is MiniSearch's `SearchableMap` (a radix tree with
 * prefix and Levenshtein look-ups), so prefix matching and typo tolerance
 * come from a well-kept library. The postings and the scoring are our own,
 * in flat arrays: MiniSearch keeps a Map per term and field and makes an
 * object per matching document per term, which with 10,000 posts that share
 * most of their words took 20-60 ms a query and 160 MB (README, "Search").
 *
 * Ranking is BM25F-like: per field, BM25 of the term's frequency against the
 * field's length (k1 1.2, b 0.75), times the field's boost, times the term's
 * IDF; a prefix or typo match counts for less than the word itself. Documents
 * with every word of the query come first; only when none has them all are
 * documents with some of them shown.
 *
 * A removed document's postings stay until a vacuum sweeps them (skipped
 * meanwhile): a removal costs nothing, and the sweep runs once a fifth of the
 * slots are dead, in one pass over the postings.
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { PostDate } from '../content/dates.js';
import { terms } from './terms.js';

/** What can be searched: a post, a page, anything with a URL and text. */
export interface SearchDocument {
  readonly url: string;
  readonly title: string;
  readonly subtitle: string | undefined;
  readonly description: string;
  readonly tags: readonly string[];
  readonly author: string;
  /** The plain text of the body (src/content/text.ts). Indexed, not kept. */
  readonly text: string;
  readonly date: PostDate | undefined;
}

/** A document as the index keeps it: everything but its text. */
export type IndexedDocument = Omit<SearchDocument, 'text'>;

export interface SearchHit<R> {
  readonly doc: IndexedDocument;
  /** What the caller gave with the document (a post), for its own checks and its text. */
  readonly ref: R;
  readonly score: number;
}

export interface SearchResults<R> {
  /** Matching documents the caller accepted, all pages together. */
  readonly total: number;
  readonly hits: readonly SearchHit<R>[];
  /** Every indexed word the query matched (the query's words, their prefixes and near spellings), to mark in snippets. */
  readonly matched: ReadonlySet<string>;
}

export interface SearchOptions<R> {
  readonly offset: number;
  readonly limit: number;
  /** Whether a document may be shown now (published, not withdrawn); asked of every match. */
  readonly accept?: (ref: R) => boolean;
}

/** The fields, in the order of their ids in the postings, with their weight in the score. */
export const FIELDS = ['title', 'subtitle', 'description', 'tags', 'author', 'text'] as const;
const BOOST = [3, 2, 1.5, 2, 1.5, 1] as const;
const FIELD_COUNT = FIELDS.length;

const K1 = 1.2;
const B = 0.75;
/** A query word matches longer words from this many characters on (`mod` finds `models`). */
export const PREFIX_FROM = 3;
/** A query word tolerates one typo from this many characters on, two from `TWO_TYPOS_FROM`. */
export const ONE_TYPO_FROM = 4;
export const TWO_TYPOS_FROM = 8;
const PREFIX_WEIGHT = 0.6;
const TYPO_WEIGHT = [1, 0.45, 0.3] as const;
/** Expansions per query word: bounds the work of a short prefix over a large vocabulary. */
const MAX_EXPANSIONS = 40;
/** Query words beyond this are ignored (a query is at most 200 characters anyway). */
export const MAX_QUERY_TERMS = 12;
/** A posting is `slot * 2048 + field * 256 + frequency`: one number, kept in a plain array. */
const SLOT_SHIFT = 2048;
const FIELD_SHIFT = 256;
/** So that every posting is a small integer (a packed array element). */
const MAX_SLOTS = 2 ** 20;

export class SearchIndex<R> {
  /** Every indexed word, for prefix and fuzzy look-ups. */
  private readonly dictionary = new SearchableMap<number[]>();
  /** The same postings by exact word: a hash look-up, for indexing. */
  private readonly postings = new Map<string, number[]>();
  private readonly slotOf = new Map<string, number>();
  private docs: ({ doc: IndexedDocument; ref: R } | undefined)[] = [];
  /** Words per field per slot: `lengths[slot * FIELD_COUNT + field]`. */
  private lengths = new Uint32Array(0);
  private readonly totalLengths = new Float64Array(FIELD_COUNT);
  private live = 0;
  /** Slots removed whose postings are still in the arrays. */
  private dead: number[] = [];
  /** Slots swept clean, to reuse. */
  private free: number[] = [];
  private nextSlot = 0;
  // Per-query scratch, kept between queries (search is synchronous): scores and which query words each slot matched.
  private scores = new Float64Array(0);
  private masks = new Uint16Array(0);
  private touched = new Int32Array(0);

  get size(): number {
    return this.live;
  }

  has(url: string): boolean {
    return this.slotOf.has(url);
  }

  /** Adds a document, or replaces the one with the same URL. */
  add(document: SearchDocument, ref: R): void {
    this.remove(document.url);
    const slot = this.free.pop() ?? this.nextSlot++;
    if (slot >= MAX_SLOTS) throw new RangeError(`the search index holds at most ${MAX_SLOTS} documents`);
    this.ensureCapacity(slot + 1);
    const { text, ...doc } = document;
    const fields = [doc.title, doc.subtitle ?? '', doc.description, doc.tags.join(' '), doc.author, text];
    const counts = new Map<string, number>();
    for (let field = 0; field < FIELD_COUNT; field++) {
      const words = terms(fields[field]!);
      this.lengths[slot * FIELD_COUNT + field] = words.length;
      this.totalLengths[field]! += words.length;
      counts.clear();
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      // A document's postings for one word are adjacent: no other document is added meanwhile.
      for (const [word, count] of counts) this.listFor(word).push(slot * SLOT_SHIFT + field * FIELD_SHIFT + Math.min(count, FIELD_SHIFT - 1));
    }
    this.docs[slot] = { doc, ref };
    this.slotOf.set(doc.url, slot);
    this.live++;
  }

  /** Removes the document at `url`, if there is one. */
  remove(url: string): void {
    const slot = this.slotOf.get(url);
    if (slot === undefined) return;
    this.slotOf.delete(url);
    this.docs[slot] = undefined;
    for (let field = 0; field < FIELD_COUNT; field++) this.totalLengths[field]! -= this.lengths[slot * FIELD_COUNT + field]!;
    this.live--;
    this.dead.push(slot);
    if (this.dead.length >= 1000 && this.dead.length * 5 >= this.nextSlot) this.vacuum();
  }

  /** Sweeps the postings of removed documents out, and frees their slots. */
  vacuum(): void {
    if (!this.dead.length) return;
    for (const [word, list] of this.postings) {
      let kept = 0;
      for (const posting of list) if (this.docs[Math.floor(posting / SLOT_SHIFT)]) list[kept++] = posting;
      list.length = kept;
      if (kept === 0) {
        this.postings.delete(word);
        this.dictionary.delete(word);
      }
    }
    for (const slot of this.dead) this.lengths.fill(0, slot * FIELD_COUNT, (slot + 1) * FIELD_COUNT);
    this.free.push(...this.dead);
    this.dead = [];
  }

  search(query: string, options: SearchOptions<R>): SearchResults<R> {
    const words = [...new Set(terms(query))].slice(0, MAX_QUERY_TERMS);
    const matched = new Set<string>();
    if (!words.length || !this.live) return { total: 0, hits: [], matched };
    let touchedCount = 0;
    const { scores, masks, touched } = this;
    const averages = this.totalLengths.map((total) => (this.live ? total / this.live : 0) || 1);
    words.forEach((word, i) => {
      const bit = 1 << i;
      for (const [term, weight] of this.expand(word)) {
        const list = this.postings.get(term)!;
        const idf = this.idf(list);
        if (idf === 0) continue;
        matched.add(term);
        for (const posting of list) {
          const slot = Math.floor(posting / SLOT_SHIFT);
          if (!this.docs[slot]) continue;
          const field = Math.floor(posting / FIELD_SHIFT) % 8;
          const frequency = posting % FIELD_SHIFT;
          const length = this.lengths[slot * FIELD_COUNT + field]!;
          const bm25 = (frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averages[field]!));
          if (masks[slot] === 0) touched[touchedCount++] = slot;
          masks[slot]! |= bit;
          scores[slot]! += weight * idf * BOOST[field]! * bm25;
        }
      }
    });
    const results = this.rank(touchedCount, (1 << words.length) - 1, options);
    for (let i = 0; i < touchedCount; i++) {
      scores[touched[i]!] = 0;
      masks[touched[i]!] = 0;
    }
    return { ...results, matched };
  }

  /**
   * The indexed words a query word stands for, with their weight: itself,
   * longer words it begins (from PREFIX_FROM characters), and words one or
   * two edits away (from ONE_TYPO_FROM and TWO_TYPOS_FROM characters, for
   * words without digits). The
   * shortest expansions first, at most MAX_EXPANSIONS of each kind.
   */
  private expand(word: string): Map<string, number> {
    const out = new Map<string, number>();
    if (this.postings.has(word)) out.set(word, 1);
    if (word.length >= PREFIX_FROM) {
      const longer: string[] = [];
      for (const key of this.dictionary.atPrefix(word).keys()) {
        if (key !== word) longer.push(key);
        if (longer.length >= MAX_EXPANSIONS * 25) break;
      }
      longer.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      for (const key of longer.slice(0, MAX_EXPANSIONS)) out.set(key, (PREFIX_WEIGHT * word.length) / key.length);
    }
    // Numbers and codes have no typos: `4217` is not `4210`, nor `v2` `v3`.
    if (word.length >= ONE_TYPO_FROM && !/\d/.test(word)) {
      const distance = word.length >= TWO_TYPOS_FROM ? 2 : 1;
      const near = [...this.dictionary.fuzzyGet(word, distance)].filter(([key]) => !out.has(key));
      near.sort((a, b) => a[1][1] - b[1][1] || a[0].length - b[0].length);
      for (const [key, [, edits]] of near.slice(0, MAX_EXPANSIONS)) out.set(key, TYPO_WEIGHT[edits as 1 | 2]);
    }
    return out;
  }

  /** BM25's inverse document frequency, from the live documents in the list; 0 when none is live. */
  private idf(list: readonly number[]): number {
    let df = 0;
    let previous = -1;
    for (const posting of list) {
      const slot = Math.floor(posting / SLOT_SHIFT);
      if (slot !== previous && this.docs[slot]) df++;
      previous = slot;
    }
    return df === 0 ? 0 : Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
  }

  /**
   * The page asked for: documents that matched every word (or, when none
   * did, any of them) and that the caller accepts, best first; ties go to
   * the newer document, then by URL, so a page never depends on the order
   * of indexing. Only the best `offset + limit` are sorted (a heap).
   */
  private rank(touchedCount: number, all: number, options: SearchOptions<R>): Omit<SearchResults<R>, 'matched'> {
    const { scores, masks, touched } = this;
    let wanted = 0;
    for (let i = 0; i < touchedCount; i++) if (masks[touched[i]!] === all) wanted = all;
    const candidates: number[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!;
      if (wanted && masks[slot] !== wanted) continue;
      const entry = this.docs[slot]!;
      if (!options.accept || options.accept(entry.ref)) candidates.push(slot);
    }
    const better = (a: number, b: number): boolean => {
      if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
      const da = this.docs[a]!.doc;
      const db = this.docs[b]!.doc;
      const ta = da.date?.instant ?? 0;
      const tb = db.date?.instant ?? 0;
      if (ta !== tb) return ta > tb;
      return da.url < db.url;
    };
    const best = topK(candidates, options.offset + options.limit, better);
    return {
      total: candidates.length,
      hits: best.slice(options.offset).map((slot) => ({ ...this.docs[slot]!, score: scores[slot]! })),
    };
  }

  private listFor(word: string): number[] {
    let list = this.postings.get(word);
    if (!list) {
      list = [];
      this.postings.set(word, list);
      this.dictionary.set(word, list);
    }
    return list;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.scores.length) return;
    const capacity = Math.max(64, slots * 2);
    const lengths = new Uint32Array(capacity * FIELD_COUNT);
    lengths.set(this.lengths);
    this.lengths = lengths;
    this.scores = new Float64Array(capacity);
    this.masks = new Uint16Array(capacity);
    this.touched = new Int32Array(capacity);
  }
}

/** The best `k` items in order, by keeping a min-heap of `k` (O(n log k)), not sorting all `n`. */
function topK(items: readonly number[], k: number, better: (a: number, b: number) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => better(b, a);
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (better(item, heap[0]!)) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
