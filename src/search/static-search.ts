/**
 * Search without the server: the exported site's search page
 * (docs/search.md, "In a static export"). The export writes the documents
 * the live index holds as a JSON file (src/cli/export-search.ts); the
 * browser builds the same index from them with the same code
 * (src/search/search-index.ts: its dictionary, BM25F, prefix and typo
 * expansion, ties) and cuts the same snippets (src/search/snippet.ts), so a
 * query finds the same posts in the same order as the live `/search`.
 *
 * This module and what it imports run in a browser as they are compiled
 * (plain ESM, no Node API): the export copies them from `dist/`.
 */
import type { PostDate } from '../content/dates.js';
import { SearchIndex } from './search-index.js';
import { snippet, snippetSource } from './snippet.js';

/** The format of the index file; a browser refuses a file of another. */
export const STATIC_INDEX_VERSION = 1;
/** A query is cut to this many characters, as the live routes cut it (src/routes/search.ts, MAX_QUERY_CHARS). */
export const STATIC_QUERY_CHARS = 200;

/** A post or page as the index file holds it: the live index's document, its date with the text the page shows. */
export interface StaticDocument {
  readonly url: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly author: string;
  /** The plain text of the body, cut to the file's `textChars`. */
  readonly text: string;
  readonly date: (PostDate & { readonly text: string }) | null;
}

/** The index file of an export (`/_lede/search-index.json`). */
export interface StaticIndexFile {
  readonly version: number;
  /** Results on one page, as the live search page shows them. */
  readonly perPage: number;
  /** The most characters of a post's text the file holds. */
  readonly textChars: number;
  readonly documents: readonly StaticDocument[];
}

export interface StaticHit {
  readonly url: string;
  readonly title: string;
  readonly date: { readonly datetime: string; readonly text: string } | null;
  /** HTML: escaped text with the matched words in `<mark>` (src/search/snippet.ts). */
  readonly snippet: string;
  readonly score: number;
}

export interface StaticAnswer {
  readonly total: number;
  readonly hits: readonly StaticHit[];
}

/** `q` as the live routes read it: trimmed, cut to STATIC_QUERY_CHARS characters (never half an emoji). */
export function readStaticQuery(q: string | null): string {
  return Array.from((q ?? '').trim())
    .slice(0, STATIC_QUERY_CHARS)
    .join('')
    .trim();
}

/** `page` as the live routes read it: a number from 1; anything else is undefined (the live server answers 400). */
export function readStaticPage(page: string | null): number | undefined {
  if (page === null) return 1;
  return /^[1-9][0-9]{0,5}$/.test(page) ? Number(page) : undefined;
}

export class StaticSearch {
  private readonly index = new SearchIndex<StaticDocument>();
  readonly perPage: number;

  constructor(file: StaticIndexFile) {
    if (file.version !== STATIC_INDEX_VERSION) throw new Error(`search index format ${String(file.version)}, expected ${STATIC_INDEX_VERSION}`);
    this.perPage = file.perPage;
    for (const doc of file.documents) {
      this.index.add({ ...doc, subtitle: doc.subtitle, date: doc.date ?? undefined }, doc);
    }
  }

  get size(): number {
    return this.index.size;
  }

  /** One page (from 1) of the results for `query`, with snippets, as `SiteSearch.search` answers it. */
  search(query: string, page: number): StaticAnswer {
    const results = this.index.search(query, { offset: (page - 1) * this.perPage, limit: this.perPage });
    return {
      total: results.total,
      hits: results.hits.map(({ ref, score }) => ({
        url: ref.url,
        title: ref.title,
        date: ref.date && { datetime: ref.date.iso, text: ref.date.text },
        snippet: snippet(snippetSource(ref.text || ref.description), results.matched),
        score,
      })),
    };
  }
}
