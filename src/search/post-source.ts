/**
 * Posts as a search source: the content store's change feed, each post as a
 * search document, and the site view deciding which version readers may
 * find. Pages (content/pages/) would be a source like this one.
 */
import type { Post } from '../content/post.js';
import type { ContentStore, SiteView } from '../content/store.js';
import { plainText } from '../content/text.js';
import { postUrl } from '../content/urls.js';
import type { SearchDocument } from './search-index.js';
import type { SearchSource } from './site-search.js';

export function postSource(store: Pick<ContentStore, 'onChange'>): SearchSource<Post> {
  return {
    onChange: (listener) => store.onChange(listener),
    url: postUrl,
    document: postDocument,
    // This very version, not only its slug: an edited post's old version is never shown.
    isShown: (post: Post, view: SiteView) => view.bySlug.get(post.slug) === post,
    body: (post) => post.body,
  };
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
    description: post.fieldLines['description'] !== undefined ? post.description : '',
    tags: post.tags,
    author: post.author,
    text: plainText(post.body),
    date: post.published,
  };
}
