/**
 * Tags and authors: the published posts grouped by tag slug and by author
 * slug. Derived from a `SiteView` once and kept with it, so listings, the
 * sitemap and the tag index never regroup (let alone parse) per request.
 */
import type { Post } from './post.js';
import { memoByObject } from './memo.js';
import { slugify } from './slug.js';
import type { SiteView } from './store.js';

export interface Term {
  /** As written in the newest post that uses it. */
  readonly name: string;
  readonly slug: string;
  /** Newest first, as in the view. */
  readonly posts: readonly Post[];
}

export interface Taxonomies {
  /** By slug, in alphabetical order of name. */
  readonly tags: ReadonlyMap<string, Term>;
  /** By slug, in alphabetical order of name. */
  readonly authors: ReadonlyMap<string, Term>;
}

/** One grouping per view, made on first use and kept with the view. */
export const taxonomiesOf = memoByObject(
  (view: SiteView): Taxonomies => ({
    tags: group(view.posts, (post) => post.tags),
    authors: group(view.posts, (post) => post.authors),
  }),
);

function group(posts: readonly Post[], termsOf: (post: Post) => readonly string[]): ReadonlyMap<string, Term> {
  const terms = new Map<string, { name: string; slug: string; posts: Post[] }>();
  for (const post of posts) {
    for (const name of termsOf(post)) {
      const slug = slugify(name);
      // A name with no letters or digits has no address; it is shown on its post but not listed.
      if (!slug) continue;
      let term = terms.get(slug);
      if (!term) terms.set(slug, (term = { name, slug, posts: [] }));
      term.posts.push(post);
    }
  }
  const sorted = [...terms.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.slug < b.slug ? -1 : 1));
  return new Map(sorted.map((term) => [term.slug, term]));
}
