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

/**
 * One collator for every sort: `localeCompare` with a locale builds one per
 * call, which made grouping 50,000 tags take most of a second on the loop.
 */
const byName = new Intl.Collator('en', { sensitivity: 'base' });

/**
 * Slugs of the names seen, kept from one view to the next: the grouping is
 * made again after every edit, and slugifying 50,000 distinct tags (1,000
 * posts of 50) took 180 ms of the loop each time; looking them up takes a
 * few. Emptied when it passes `MAX_KNOWN_SLUGS` names (10 MB at most).
 */
const knownSlugs = new Map<string, string>();
const MAX_KNOWN_SLUGS = 200_000;

function slugOfTerm(name: string): string {
  let slug = knownSlugs.get(name);
  if (slug === undefined) {
    if (knownSlugs.size >= MAX_KNOWN_SLUGS) knownSlugs.clear();
    knownSlugs.set(name, (slug = slugify(name)));
  }
  return slug;
}

function group(posts: readonly Post[], termsOf: (post: Post) => readonly string[]): ReadonlyMap<string, Term> {
  const terms = new Map<string, { name: string; slug: string; posts: Post[] }>();
  for (const post of posts) {
    for (const name of termsOf(post)) {
      const slug = slugOfTerm(name);
      // A name with no letters or digits has no address; it is shown on its post but not listed.
      if (!slug) continue;
      let term = terms.get(slug);
      if (!term) terms.set(slug, (term = { name, slug, posts: [] }));
      term.posts.push(post);
    }
  }
  const sorted = [...terms.values()].sort((a, b) => byName.compare(a.name, b.name) || (a.slug < b.slug ? -1 : 1));
  return new Map(sorted.map((term) => [term.slug, term]));
}
