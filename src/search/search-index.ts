/**
 * The full-text index: documents in, ranked results out, updated one
 * document at a time (never rebuilt for a query).
 *
 * The term dictionary is MiniSearch's `SearchableMap` (a radix tree with
 * prefix and Levenshtein look-ups), so prefix matching and typo tolerance
 * come from a well-kept library. The postings and the scoring are our own,
 * each word's postings packed as bytes (src/search/postings.ts), decoded
 * into flat arrays for a query: MiniSearch keeps a Map per term and field and makes an
 * object per matching document per term, which with 10,000 posts that share
 * most of their words took 20-60 ms a query and 160 MB (docs/search.md, "Measured").
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
 *
 * Adding a document, sweeping and trimming can each run in steps
 * (`adding`, `vacuuming`, `compacting`), so the server does them a few
 * milliseconds at a time between requests (docs/search.md, "Bounded work").
 *
 * Which documents readers may see (published, not a draft) is a filter the
 * caller sets when that changes (`setFilter`), kept as one flag per
 * document: a query then checks a byte per match, not the caller's data.
 * Hidden documents are left out of the scores too (IDF and the average
 * field lengths count what readers can find), so a site scores alike
 * whatever drafts and future posts it holds: a static export, which holds
 * only what readers find, ranks as the server does (src/search/static-search.ts).
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { PostDate } from '../content/dates.js';
import { PostingList, PostingScratch } from './postings.js';
import { terms } from './terms.js';

/** Dead documents a vacuum waits for at least, besides being a fifth of the slots. */
const MIN_DEAD_TO_VACUUM = 32;

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
  /** Matching visible documents, all pages together. */
  readonly total: number;
  readonly hits: readonly SearchHit<R>[];
  /** Every indexed word the query matched (the query's words, their prefixes and near spellings), to mark in snippets. */
  readonly matched: ReadonlySet<string>;
}

/** Each word of a query with the indexed words it stands for and their weight (`SearchIndex.expanding`). */
export type QueryTerms = readonly (readonly (readonly [string, number])[])[];

export interface SearchOptions {
  readonly offset: number;
  readonly limit: number;
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
/**
 * Indexed words one query matches at most, all its words together (each
 * word's share, the expansions that weigh most first): what a query scores
 * and what its snippets mark stays bounded however many words share a
 * prefix (docs/search.md, "Bounded work"). A query of up to three words
 * keeps every expansion (3 x 81).
 */
export const MAX_MATCHED_TERMS = 256;
/**
 * Different words indexed per document at most: a document's words are
 * indexed in order until this many different ones are in, and the rest of it
 * is not indexed. A long real article has a few thousand; a huge post of
 * invented words would otherwise add tens of thousands of words to the
 * dictionary, each costing time to insert and memory to keep
 * (docs/search.md, "Limits").
 */
export const MAX_TERMS_PER_DOCUMENT = 5_000;
/**
 * Different words the whole index holds at most: a word no document has yet
 * is not indexed once the dictionary holds this many (words already in it
 * still are). Each word costs about 580 bytes of heap (its node in the
 * dictionary, its postings), so this bounds the index near 300 MB
 * however the posts are written; the 100,000 generated posts of the
 * benchmark have 100,336 (docs/search.md, "Limits").
 */
export const MAX_INDEX_TERMS = 500_000;
/** Characters of a field read into words at a time while a document is indexed in steps. */
const STEP_CHARS = 16 * 1024;
/** Postings written, or lists swept or trimmed, at a time between steps. */
const STEP_TERMS = 512;
/** Slots are numbered up to this (a posting's slot distance must fit its integer, src/search/postings.ts). */
const MAX_SLOTS = 2 ** 20;

export class SearchIndex<R> {
  /** `maxTerms`: the dictionary's bound (MAX_INDEX_TERMS; smaller in tests). */
  constructor(private readonly maxTerms = MAX_INDEX_TERMS) {}

  /** Every indexed word, for prefix and fuzzy look-ups. */
  private readonly dictionary = new SearchableMap<PostingList>();
  /** The same postings by exact word: a hash look-up, for indexing. */
  private readonly postings = new Map<string, PostingList>();
  /** Postings decoded for a query or a sweep, reused. */
  private readonly scratch = new PostingScratch();
  private readonly slotOf = new Map<string, number>();
  private docs: ({ doc: IndexedDocument; ref: R } | undefined)[] = [];
  /** 1 for a live document the filter accepts: the only ones a query sees. */
  private visible = new Uint8Array(0);
  private visibleCount = 0;
  /** Each document's date (ms), for ties: a flat array, not a walk through its object. */
  private instants = new Float64Array(0);
  private filter: ((ref: R) => boolean) | undefined;
  /** Words per field per slot: `lengths[slot * FIELD_COUNT + field]`. */
  private lengths = new Uint32Array(0);
  /** Words per field in all the visible documents together: BM25's average field lengths are over what readers can find, as IDF is. */
  private readonly visibleLengths = new Float64Array(FIELD_COUNT);
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

  /** Removed documents whose postings a vacuum has not swept yet. */
  get unswept(): number {
    return this.dead.length;
  }

  get size(): number {
    return this.live;
  }

  has(url: string): boolean {
    return this.slotOf.has(url);
  }

  /** Adds a document, or replaces the one with the same URL, at once (src/search/site-search.ts adds in steps). */
  add(document: SearchDocument, ref: R): void {
    drain(this.adding(document, ref));
    if (this.vacuumDue) this.vacuum();
  }

  /**
   * Adds a document in steps, each a bounded piece of work (reading
   * `STEP_CHARS` of a field into words, or writing `STEP_TERMS` words'
   * postings), so a caller can let other work run between them
   * (docs/search.md, "Bounded work"). Queries never see the document until
   * the last step, which also retires the version it replaces. One document
   * is added at a time: a list's postings of one document stay adjacent.
   */
  *adding(document: SearchDocument, ref: R): Generator<void, void, void> {
    const { text, ...doc } = document;
    const counted = new DocumentTerms();
    const fields = [doc.title, doc.subtitle ?? '', doc.description, doc.tags.join(' '), doc.author, text];
    for (let field = 0; field < FIELD_COUNT && !counted.full; field++) {
      for (const piece of pieces(fields[field]!)) {
        counted.count(terms(piece), field);
        if (counted.full) break;
        yield;
      }
    }
    const slot = this.free.pop() ?? this.nextSlot++;
    if (slot >= MAX_SLOTS) throw new RangeError(`the search index holds at most ${MAX_SLOTS} documents`);
    this.ensureCapacity(slot + 1);
    let written = 0;
    for (const [word, index] of counted.words) {
      const list = this.listFor(word);
      if (!list) continue;
      for (let field = 0; field < FIELD_COUNT; field++) {
        const count = counted.frequency(index, field);
        if (count) list.add(slot, field, count);
      }
      if (++written % STEP_TERMS === 0) yield;
    }
    this.forget(doc.url);
    for (let field = 0; field < FIELD_COUNT; field++) this.lengths[slot * FIELD_COUNT + field] = counted.lengths[field]!;
    this.docs[slot] = { doc, ref };
    this.instants[slot] = doc.date?.instant ?? 0;
    this.setVisible(slot, !this.filter || this.filter(ref));
    this.slotOf.set(doc.url, slot);
    this.live++;
  }

  /**
   * Which documents queries may find, asked of every document now and of
   * each one added later; call it again when the answer may have changed.
   */
  setFilter(filter: (ref: R) => boolean): void {
    this.filter = filter;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      const entry = this.docs[slot];
      this.setVisible(slot, entry !== undefined && filter(entry.ref));
    }
  }

  private setVisible(slot: number, visible: boolean): void {
    const flag = visible ? 1 : 0;
    const change = flag - this.visible[slot]!;
    if (!change) return;
    this.visibleCount += change;
    this.visible[slot] = flag;
    for (let field = 0; field < FIELD_COUNT; field++) this.visibleLengths[field]! += change * this.lengths[slot * FIELD_COUNT + field]!;
  }

  /** Removes the document at `url`, if there is one, sweeping when enough are removed. */
  remove(url: string): void {
    this.forget(url);
    if (this.vacuumDue) this.vacuum();
  }

  /** Removes the document at `url` from every answer; its postings stay until a vacuum. */
  forget(url: string): void {
    const slot = this.slotOf.get(url);
    if (slot === undefined) return;
    this.slotOf.delete(url);
    this.docs[slot] = undefined;
    this.setVisible(slot, false);
    this.live--;
    this.dead.push(slot);
  }

  /**
   * Whether enough documents were removed to sweep: a fifth of the slots,
   * and a few dozen at least (a small site sweeps after a few dozen edits:
   * 1,000 dead documents let a 50-post site's index grow 12% in the 60 s soak).
   */
  get vacuumDue(): boolean {
    return this.dead.length >= MIN_DEAD_TO_VACUUM && this.dead.length * 5 >= this.nextSlot;
  }

  /** Sweeps the postings of removed documents out, and frees their slots. */
  vacuum(): void {
    drain(this.vacuuming());
  }

  /**
   * `vacuum` in steps of `STEP_TERMS` lists. It sweeps the slots dead when
   * it starts, and only those: a document removed meanwhile waits for the
   * next sweep, and one added meanwhile (in a slot that is not being swept)
   * keeps its postings in every list.
   */
  *vacuuming(): Generator<void, void, void> {
    const dead = this.dead;
    if (!dead.length) return;
    this.dead = [];
    const swept = new Uint8Array(this.nextSlot);
    for (const slot of dead) swept[slot] = 1;
    const keep = (slot: number): boolean => !swept[slot];
    let lists = 0;
    for (const [word, list] of this.postings) {
      if (list.retain(keep, this.scratch) === 0) {
        this.postings.delete(word);
        this.dictionary.delete(word);
      }
      if (++lists % STEP_TERMS === 0) yield;
    }
    for (const slot of dead) this.lengths.fill(0, slot * FIELD_COUNT, (slot + 1) * FIELD_COUNT);
    for (const slot of dead) this.free.push(slot);
  }

  /**
   * Gives back the spare room of every word's postings (lists grow by
   * doubling while documents are added): called once a large build is done.
   */
  compact(): void {
    drain(this.compacting());
  }

  /** `compact` in steps of `STEP_TERMS` lists. */
  *compacting(): Generator<void, void, void> {
    let lists = 0;
    for (const list of this.postings.values()) {
      list.trim();
      if (++lists % STEP_TERMS === 0) yield;
    }
  }

  /** The bytes the postings hold, spare room included (for measurements). */
  get postingBytes(): number {
    let bytes = 0;
    for (const list of this.postings.values()) bytes += list.capacity;
    return bytes;
  }

  search(query: string, options: SearchOptions): SearchResults<R> {
    const expanding = this.expanding(query);
    let step = expanding.next();
    while (!step.done) step = expanding.next();
    return this.score(step.value, options);
  }

  /**
   * The query's words (MAX_QUERY_TERMS at most), each with the indexed words
   * it stands for and their weight (MAX_MATCHED_TERMS in all, each word its
   * share), one query word a step: a word's prefix and typo look-ups in a
   * large dictionary take milliseconds (docs/search.md, "Bounded work").
   */
  *expanding(query: string): Generator<void, QueryTerms, void> {
    const words = [...new Set(terms(query))].slice(0, MAX_QUERY_TERMS);
    const share = Math.floor(MAX_MATCHED_TERMS / Math.max(1, words.length));
    const expanded: (readonly [string, number])[][] = [];
    for (const word of words) {
      expanded.push(heaviest(this.expand(word), share));
      yield;
    }
    return expanded;
  }

  /** The results of an expanded query (`expanding`); an indexed word swept since it was expanded counts for nothing. */
  score(query: QueryTerms, options: SearchOptions): SearchResults<R> {
    const matched = new Set<string>();
    if (!query.length || !this.visibleCount) return { total: 0, hits: [], matched };
    // The hot loop: locals, integer unpacking, flat arrays.
    const { scores, masks, touched, visible, lengths } = this;
    const averages = this.visibleLengths.map((total) => total / this.visibleCount || 1);
    let touchedCount = 0;
    for (let i = 0; i < query.length; i++) {
      const bit = 1 << i;
      for (const [term, weight] of query[i]!) {
        const count = this.postings.get(term)?.decode(this.scratch) ?? 0;
        const { slots, fields, frequencies } = this.scratch;
        const idf = this.idf(slots, count);
        if (idf === 0) continue;
        matched.add(term);
        const termWeight = weight * idf;
        for (let p = 0; p < count; p++) {
          const slot = slots[p]!;
          if (!visible[slot]) continue;
          const field = fields[p]!;
          const frequency = frequencies[p]!;
          const length = lengths[slot * FIELD_COUNT + field]!;
          const bm25 = (frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averages[field]!));
          if (masks[slot] === 0) touched[touchedCount++] = slot;
          masks[slot]! |= bit;
          scores[slot]! += termWeight * BOOST[field]! * bm25;
        }
      }
    }
    const results = this.rank(touchedCount, (1 << query.length) - 1, options);
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

  /** BM25's inverse document frequency among the visible documents; 0 when none has the word. */
  private idf(slots: Int32Array, count: number): number {
    const visible = this.visible;
    let df = 0;
    let previous = -1;
    for (let p = 0; p < count; p++) {
      const slot = slots[p]!;
      if (slot !== previous && visible[slot]) df++;
      previous = slot;
    }
    return df === 0 ? 0 : Math.log(1 + (this.visibleCount - df + 0.5) / (df + 0.5));
  }

  /**
   * The page asked for: documents that matched every word (or, when none
   * did, any of them), best first; ties go to the newer document, then by
   * URL, so a page never depends on the order of indexing. Only the best
   * `offset + limit` are sorted (a heap).
   */
  private rank(touchedCount: number, all: number, options: SearchOptions): Omit<SearchResults<R>, 'matched'> {
    const { scores, masks, touched, instants } = this;
    let wanted = 0;
    for (let i = 0; i < touchedCount; i++) {
      if (masks[touched[i]!] === all) {
        wanted = all;
        break;
      }
    }
    const candidates: number[] = [];
    for (let i = 0; i < touchedCount; i++) if (!wanted || masks[touched[i]!] === wanted) candidates.push(touched[i]!);
    const better = (a: number, b: number): boolean => {
      if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
      if (instants[a] !== instants[b]) return instants[a]! > instants[b]!;
      return this.docs[a]!.doc.url < this.docs[b]!.doc.url;
    };
    const best = topK(candidates, options.offset + options.limit, better);
    return {
      total: candidates.length,
      hits: best.slice(options.offset).map((slot) => ({ ...this.docs[slot]!, score: scores[slot]! })),
    };
  }

  /** The word's postings, a new list for a new word while the dictionary has room (MAX_INDEX_TERMS). */
  private listFor(word: string): PostingList | undefined {
    let list = this.postings.get(word);
    if (!list) {
      if (this.postings.size >= this.maxTerms) return undefined;
      list = new PostingList();
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
    const visible = new Uint8Array(capacity);
    visible.set(this.visible);
    this.visible = visible;
    const instants = new Float64Array(capacity);
    instants.set(this.instants);
    this.instants = instants;
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

/** Runs a stepwise job to its end at once. */
function drain(job: Generator<void, void, void>): void {
  for (let step = job.next(); !step.done; step = job.next());
}

/** The `count` expansions that weigh most, the word itself first (its weight is 1); the order of `expand` among equals. */
function heaviest(expansions: Map<string, number>, count: number): [string, number][] {
  const entries = [...expansions];
  if (entries.length <= count) return entries;
  return entries.sort((a, b) => b[1] - a[1]).slice(0, count);
}

/**
 * A field's text in pieces of about `STEP_CHARS`, each cut at a space, so
 * the words of the pieces are the words of the whole (a space is never part
 * of a word, nor changes how a neighbour is lower-cased).
 */
function* pieces(text: string): Generator<string> {
  let from = 0;
  while (from < text.length) {
    const space = text.length - from > STEP_CHARS ? text.indexOf(' ', from + STEP_CHARS) : -1;
    const to = space < 0 ? text.length : space;
    yield text.slice(from, to);
    from = to + 1;
  }
}

/**
 * The words of one document being indexed, with their frequency in each
 * field, in the order first seen; at most MAX_TERMS_PER_DOCUMENT different
 * words, after which nothing more of the document is read.
 */
class DocumentTerms {
  /** Each word with its index into `frequencies`. */
  readonly words = new Map<string, number>();
  /** Words counted per field: the field lengths BM25 uses. */
  readonly lengths = new Array<number>(FIELD_COUNT).fill(0);
  private frequencies = new Uint32Array(64 * FIELD_COUNT);
  full = false;

  count(words: readonly string[], field: number): void {
    for (const word of words) {
      let index = this.words.get(word);
      if (index === undefined) {
        if (this.words.size >= MAX_TERMS_PER_DOCUMENT) {
          this.full = true;
          return;
        }
        index = this.words.size;
        this.words.set(word, index);
        this.reserve(index + 1);
      }
      this.frequencies[index * FIELD_COUNT + field]!++;
      this.lengths[field]!++;
    }
  }

  frequency(index: number, field: number): number {
    return this.frequencies[index * FIELD_COUNT + field]!;
  }

  private reserve(words: number): void {
    if (words * FIELD_COUNT <= this.frequencies.length) return;
    const grown = new Uint32Array(Math.min(MAX_TERMS_PER_DOCUMENT, words * 2) * FIELD_COUNT);
    grown.set(this.frequencies);
    this.frequencies = grown;
  }
}
