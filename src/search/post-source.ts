/**
 * Posts and pages as search sources: each store's change feed, each post or
 * page as a search document, and the store's view deciding which version
 * readers may find.
 */
import type { PageStore, PageView } from '../content/page-store.js';
import type { Post } from '../content/post.js';
import type { ContentStore, SiteView } from '../content/store.js';
import { plainText } from '../content/text.js';
import { pageUrl, postUrl } from '../content/urls.js';
import type { SearchDocument } from './search-index.js';
import type { SearchSource } from './site-search.js';

export function postSource(store: Pick<ContentStore, 'onChange' | 'view'>): SearchSource<Post, SiteView> {
  return {
    onChange: (listener) => store.onChange(listener),
    view: () => store.view(),
    url: postUrl,
    document: postDocument,
    // This very version, not only its slug: an edited post's old version is never shown.
    isShown: (post: Post, view: SiteView) => view.bySlug.get(post.slug) === post,
    body: (post) => post.body,
  };
}

/** Standalone pages (content/pages/), found like posts at their own address; dated only when they say so. */
export function pageSource(pages: Pick<PageStore, 'onChange' | 'view'>): SearchSource<Post, PageView> {
  return {
    onChange: (listener) => pages.onChange(listener),
    view: () => pages.view(),
    url: (page) => pageUrl(page.slug),
    document: (page) => ({
      ...postDocument(page),
      url: pageUrl(page.slug),
      date: page.fieldLines.publish_date !== undefined || page.fieldLines.date !== undefined ? page.published : undefined,
    }),
    // A draft page, a future one, or one whose address a route answers is not in the view.
    isShown: (page: Post, view: PageView) => view.bySlug.get(page.slug) === page,
    body: (page) => page.body,
  };
}

/**
 * How much of a body is indexed: the index is built on the main thread, and
 * no real post is longer (a 2 MB hostile body took 150 ms to index whole).
 * Its plain text is made in one step of indexing (src/search/site-search.ts):
 * at most about 30 ms for 256 KB of the worst markdown measured (runs of
 * empty code fences, of `a $b` lines, on a loaded 2-core machine;
 * docs/search.md, "Bounded work").
 */
export const MAX_INDEXED_CHARS = 256 * 1024;

function indexedPart(body: string): string {
  return body.length > MAX_INDEXED_CHARS ? body.slice(0, MAX_INDEXED_CHARS) : body;
}

/**
 * A post as a search document. The description is indexed only when the
 * frontmatter sets one: otherwise it is an excerpt of the text, which is
 * indexed already (and computing it would read every post's body twice).
 */
export function postDocument(post: Post): SearchDocument {
  return {
    url: postUrl(post),
    title: post.title,
    subtitle: post.subtitle,
    description: post.fieldLines.description !== undefined ? post.description : '',
    tags: post.tags,
    author: post.author,
    text: plainText(indexedPart(post.body), { code: true }),
    date: post.published,
  };
}
