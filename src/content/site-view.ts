/**
 * The site view: the published posts of a snapshot, newest first, as readers
 * see them at one moment. Built whole after a listing; after a change to a
 * few named files, patched instead (a post taken out and put in at its place
 * by binary search), so an edit costs no sort of every post.
 */
import type { Post } from './post.js';
import type { Snapshot } from './snapshot.js';

/** What readers see at one moment: published posts, newest first. */
export interface SiteView {
  /** Changes whenever anything a listing shows changes. */
  readonly key: string;
  readonly posts: readonly Post[];
  readonly bySlug: ReadonlyMap<string, Post>;
  /** The moment the next future-dated post goes live. */
  readonly validUntil: number;
  readonly errorCount: number;
}

/** One file's post before and after a change; `undefined` when there was none, or is none now. */
export interface PostSwap {
  readonly before: Post | undefined;
  readonly after: Post | undefined;
}

export function buildSiteView(snapshot: Snapshot, now: number, showDrafts: boolean): SiteView {
  const posts: Post[] = [];
  let validUntil = Number.POSITIVE_INFINITY;
  for (const post of snapshot.bySlug.values()) {
    if (post.draft && !showDrafts) continue;
    if (post.published.instant > now) {
      validUntil = Math.min(validUntil, post.published.instant);
      continue;
    }
    posts.push(post);
  }
  posts.sort(newestFirst);
  return {
    key: viewKey(snapshot, posts.length, validUntil),
    posts,
    bySlug: new VisibleSlugs(snapshot.bySlug, posts, showDrafts, validUntil),
    validUntil,
    errorCount: snapshot.errors.length,
  };
}

/**
 * `view` (made from the snapshot before the swaps) with the swaps applied, as
 * `buildSiteView(snapshot)` would make it; `undefined` when only a whole
 * build can tell (the view is out of date, or a post that set its end went).
 */
export function patchSiteView(view: SiteView, swaps: readonly PostSwap[], snapshot: Snapshot, now: number, showDrafts: boolean): SiteView | undefined {
  if (now >= view.validUntil) return undefined;
  const posts = view.posts.slice();
  let validUntil = view.validUntil;
  for (const { before, after } of swaps) {
    if (before && !(before.draft && !showDrafts)) {
      if (before.published.instant > now) {
        if (before.published.instant <= validUntil) return undefined;
      } else {
        const at = placeOf(posts, before);
        if (posts[at] !== before) return undefined;
        posts.splice(at, 1);
      }
    }
    if (after && !(after.draft && !showDrafts)) {
      if (after.published.instant > now) {
        validUntil = Math.min(validUntil, after.published.instant);
      } else {
        posts.splice(placeOf(posts, after), 0, after);
      }
    }
  }
  const bySlug = new VisibleSlugs(snapshot.bySlug, posts, showDrafts, validUntil);
  return { key: viewKey(snapshot, posts.length, validUntil), posts, bySlug, validUntil, errorCount: snapshot.errors.length };
}

/**
 * The view's posts by slug, without a map of its own: the snapshot's map,
 * less drafts (outside development) and posts not yet live. Within the view's
 * life a post is live exactly when it is dated before `validUntil` (the first
 * future date), so no clock is read here. Iterates newest first.
 */
class VisibleSlugs implements ReadonlyMap<string, Post> {
  constructor(
    private readonly all: ReadonlyMap<string, Post>,
    private readonly posts: readonly Post[],
    private readonly showDrafts: boolean,
    private readonly validUntil: number,
  ) {}

  get(slug: string): Post | undefined {
    const post = this.all.get(slug);
    return post && !(post.draft && !this.showDrafts) && post.published.instant < this.validUntil ? post : undefined;
  }

  has(slug: string): boolean {
    return this.get(slug) !== undefined;
  }

  get size(): number {
    return this.posts.length;
  }

  forEach(callback: (value: Post, key: string, map: ReadonlyMap<string, Post>) => void): void {
    for (const post of this.posts) callback(post, post.slug, this);
  }

  *entries(): MapIterator<[string, Post]> {
    for (const post of this.posts) yield [post.slug, post];
  }

  *keys(): MapIterator<string> {
    for (const post of this.posts) yield post.slug;
  }

  *values(): MapIterator<Post> {
    yield* this.posts;
  }

  [Symbol.iterator](): MapIterator<[string, Post]> {
    return this.entries();
  }
}

export function newestFirst(a: Post, b: Post): number {
  return b.published.instant - a.published.instant || (a.slug < b.slug ? -1 : 1);
}

function viewKey(snapshot: Snapshot, posts: number, validUntil: number): string {
  return `${snapshot.version}:${posts}:${validUntil}`;
}

/** Where `post` is, or goes, in posts sorted newest first. */
export function placeOf(posts: readonly Post[], post: Post): number {
  let lo = 0;
  let hi = posts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = posts[mid]!;
    if (other !== post && newestFirst(other, post) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
