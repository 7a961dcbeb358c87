/**
 * An address of its own for a post whose slug another file has already
 * (`2022-05-23-taro.md` and `2022-08-18-taro.md`, `notes/overview.md` and
 * `deploy/overview.md`): the file whose path sorts first keeps the slug, and
 * each other one is served at the first of these that no post has:
 * `<folder>-<slug>` (its folder's name, when the two are in different
 * folders), `<slug>-<date>` (its date), `<slug>-2`, `<slug>-3`… `check`
 * names it, and a `slug` field fixes the address for good
 * (docs/writing-posts.md, "The slug").
 */
import { ParsedPost } from './parse-post.js';
import type { Post } from './post.js';
import { slugify, slugProblem } from './slug.js';

/** The same post at another slug, kept while the post object is the same (its pages and diffs go by identity). */
const renamed = new WeakMap<Post, { readonly slug: string; readonly post: Post }>();

export function postAtSlug(post: Post, slug: string): Post {
  const kept = renamed.get(post);
  if (kept?.slug === slug) return kept.post;
  const copy = post instanceof ParsedPost ? post.withSlug(slug) : { ...post, slug };
  renamed.set(post, { slug, post: copy });
  return copy;
}

/** The folder a post's name is in: `a` for `a/b.md` and for `a/b/index.md`; none at the top. */
function folderOf(relPath: string): string | undefined {
  const parts = relPath.split('/');
  parts.pop();
  // A bundle's or a section's page is named by its folder: the folder that holds that one.
  if (parts.length && /^(index|readme)\.[^.]+$/i.test(relPath.split('/').pop()!)) parts.pop();
  return parts.pop();
}

/** The first address of `candidates` for `post` that `taken` does not hold. */
export function secondSlug(post: Post, winner: Post, taken: (slug: string) => boolean): string | undefined {
  const folder = folderOf(post.relPath);
  const folderSlug = folder !== undefined && folder !== folderOf(winner.relPath) ? slugify(folder) : '';
  const candidates = [folderSlug && `${folderSlug}-${post.slug}`, `${post.slug}-${post.published.date}`];
  for (let n = 2; n < 100; n++) candidates.push(`${post.slug}-${n}`);
  return candidates.find((slug) => slug && slugProblem(slug, 'the name') === undefined && !taken(slug));
}
