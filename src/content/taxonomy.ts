/**
 * Tags and authors: the published posts grouped by tag slug and by author
 * slug. Derived from a `SiteView` once and kept with it, so listings, the
 * sitemap and the tag index never regroup (let alone parse) per request.
 * A view patched from the one before it (one post edited) has its grouping
 * patched from that view's too: regrouping 1,000 posts of 50 distinct tags
 * took 115-140 ms of the loop after every edit (docs/security.md, "One
 * budget for the main thread").
 */
import type { Post } from './post.js';
import { placeOf, type SiteView } from './site-view.js';
import { slugify } from './slug.js';

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

/** One grouping per view, kept with the view. */
const known = new WeakMap<SiteView, Taxonomies>();

/** A post that left a view, or came into it, in the order it did. */
interface PostMove {
  readonly post: Post;
  readonly into: boolean;
}

/** Views patched from one whose grouping was known: that grouping, and the moves from it, until the view's own is made. */
const patches = new WeakMap<SiteView, { readonly base: Taxonomies; readonly moves: readonly PostMove[] }>();

/** Most moves a patch collects (views patched again before any was grouped); past them the next view is grouped whole. */
const MAX_PATCH_MOVES = 1000;

/** The view's grouping, made on first use: patched from the view before it when that one's is known. */
export function taxonomiesOf(view: SiteView): Taxonomies {
  let grouped = known.get(view);
  if (grouped) return grouped;
  const patch = patches.get(view);
  grouped = patch
    ? { tags: patchGroup(patch.base.tags, patch.moves, (post) => post.tags), authors: patchGroup(patch.base.authors, patch.moves, (post) => post.authors) }
    : { tags: group(view.posts, (post) => post.tags), authors: group(view.posts, (post) => post.authors) };
  patches.delete(view);
  known.set(view, grouped);
  return grouped;
}

/**
 * `next` is `view` with `left` taken out of its posts and `came` put in
 * (src/content/snapshot-feed.ts): its grouping, when asked for, is patched
 * from `view`'s, or from the grouping `view`'s own patch would start from.
 */
export function notePatchedView(view: SiteView, next: SiteView, left: readonly Post[], came: readonly Post[]): void {
  const moves = [...left.map((post) => ({ post, into: false })), ...came.map((post) => ({ post, into: true }))];
  const base = known.get(view);
  if (base) {
    patches.set(next, { base, moves });
    return;
  }
  const before = patches.get(view);
  if (before && before.moves.length + moves.length <= MAX_PATCH_MOVES) patches.set(next, { base: before.base, moves: [...before.moves, ...moves] });
}

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

/** Alphabetical order of terms, as `group` sorts them. */
function byTermName(a: Term, b: Term): number {
  return byName.compare(a.name, b.name) || (a.slug < b.slug ? -1 : 1);
}

/**
 * `base` with the moves applied, as `group` would make it from the posts
 * after them: only the terms of the moved posts are made again, and the
 * order is kept unless one of them came, went or changed its name.
 */
function patchGroup(base: ReadonlyMap<string, Term>, moves: readonly PostMove[], termsOf: (post: Post) => readonly string[]): ReadonlyMap<string, Term> {
  const changed = new Map<string, Post[]>();
  for (const { post, into } of moves) {
    for (const name of termsOf(post)) {
      const slug = slugOfTerm(name);
      if (!slug) continue;
      let posts = changed.get(slug);
      if (!posts) changed.set(slug, (posts = [...(base.get(slug)?.posts ?? [])]));
      const at = placeOf(posts, post);
      if (into) {
        if (posts[at] !== post) posts.splice(at, 0, post);
      } else if (posts[at] === post) posts.splice(at, 1);
    }
  }
  if (!changed.size) return base;
  let reorder = false;
  const made = new Map<string, Term | undefined>();
  for (const [slug, posts] of changed) {
    const before = base.get(slug);
    const term = posts.length ? { name: nameIn(posts[0]!, slug, termsOf), slug, posts } : undefined;
    if (!term || !before || term.name !== before.name) reorder = true;
    made.set(slug, term);
  }
  if (!reorder) {
    const out = new Map<string, Term>();
    for (const [slug, term] of base) out.set(slug, made.get(slug) ?? term);
    return out;
  }
  const kept = [...base.values()].filter((term) => !made.has(term.slug));
  for (const term of made.values()) if (term) kept.splice(termPlace(kept, term), 0, term);
  return new Map(kept.map((term) => [term.slug, term]));
}

/** The name `post` gives the term `slug` (its first with that slug): a term is named as in its newest post. */
function nameIn(post: Post, slug: string, termsOf: (post: Post) => readonly string[]): string {
  return termsOf(post).find((name) => slugOfTerm(name) === slug)!;
}

/** Where `term` goes in terms sorted by `byTermName`. */
function termPlace(terms: readonly Term[], term: Term): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byTermName(terms[mid]!, term) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
  const sorted = [...terms.values()].sort(byTermName);
  return new Map(sorted.map((term) => [term.slug, term]));
}
