/**
 * The ids the built-in views give their own elements (the skip link's
 * target `main`, the listing and table-of-contents titles, the search forms). A post's
 * headings and HTML must never carry one of them: a heading "Main" with
 * `id="main"` took the skip link to itself. test/hostile/small.test.ts
 * checks that this list matches the ids written in views/.
 */
export const LAYOUT_IDS: ReadonlySet<string> = new Set(['main', 'listing-title', 'toc-title', 'site-search-q', 'search-title', 'search-page-q']);

/** An id from a post's body, moved off any id the layout uses (`main` -> `main-section`). */
export function bodyId(id: string): string {
  return LAYOUT_IDS.has(id) ? `${id}-section` : id;
}
