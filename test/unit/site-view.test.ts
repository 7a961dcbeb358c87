/**
 * The site view patched after a few posts change (src/content/site-view.ts)
 * is the view a whole build of the same snapshot makes.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { buildSiteView, patchSiteView, type PostSwap } from '../../src/content/site-view.js';
import { parseName } from '../../src/content/slug.js';
import type { Snapshot } from '../../src/content/store.js';

const NOW = Date.UTC(2025, 0, 1);

function post(slug: string, date: string, extra = ''): Post {
  const result = parsePost(
    {
      file: `/c/${slug}.md`,
      relPath: `${slug}.md`,
      bundleDir: undefined,
      name: parseName(slug),
      signature: { mtimeMs: NOW, ctimeMs: 0, size: 0, ino: 1 },
      bytes: Buffer.from(`---\ntitle: ${slug}\npublish_date: ${date}\n${extra}---\nText.\n`),
    },
    { author: 'A', timezone: 'UTC' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.post;
}

function snapshot(posts: readonly Post[], version: number): Snapshot {
  return { version, bySlug: new Map(posts.map((p) => [p.slug, p])), errors: [], broken: new Map(), skipped: [] };
}

/** Applies swaps to a list of posts, as the store does to its snapshot. */
function swapped(posts: readonly Post[], swaps: readonly PostSwap[]): Post[] {
  const out = posts.filter((p) => !swaps.some((s) => s.before === p));
  for (const s of swaps) if (s.after) out.push(s.after);
  return out;
}

describe('patchSiteView', () => {
  // Same-day posts too, so the slug breaks ties.
  const posts = ['2024-01-01', '2024-03-01', '2024-03-01', '2024-02-10', '2023-12-31', '2024-05-05'].map((d, i) => post(`p${i}`, d));
  const future = post('later', '2026-01-01');
  const draft = post('draft', '2024-02-01', 'draft: true\n');
  const all = [...posts, future, draft];

  it.each<[string, PostSwap[]]>([
    ['an edit that keeps the date', [{ before: posts[1]!, after: post('p1', '2024-03-01', 'subtitle: edited\n') }]],
    ['an edit that moves the post', [{ before: posts[0]!, after: post('p0', '2024-04-01') }]],
    ['a new post, newest', [{ before: undefined, after: post('new', '2024-06-01') }]],
    ['a new post on a day already taken', [{ before: undefined, after: post('p2a', '2024-03-01') }]],
    ['a removed post', [{ before: posts[3]!, after: undefined }]],
    ['a new future post', [{ before: undefined, after: post('later2', '2025-06-01') }]],
    ['a new draft', [{ before: undefined, after: post('draft2', '2024-02-02', 'draft: true\n') }]],
    ['a post made a draft', [{ before: posts[4]!, after: post('p4', '2023-12-31', 'draft: true\n') }]],
    [
      'several at once',
      [
        { before: posts[5]!, after: undefined },
        { before: undefined, after: post('z', '2020-01-01') },
        { before: posts[2]!, after: post('p2', '2019-01-01') },
      ],
    ],
  ])('should give the view a whole build gives, after %s', (_what, swaps) => {
    for (const showDrafts of [false, true]) {
      const view = buildSiteView(snapshot(all, 1), NOW, showDrafts);
      const next = snapshot(swapped(all, swaps), 2);
      const patched = patchSiteView(view, swaps, next, NOW, showDrafts);
      const built = buildSiteView(next, NOW, showDrafts);
      expect(patched?.posts.map((p) => p.slug)).toEqual(built.posts.map((p) => p.slug));
      expect([...patched!.bySlug.keys()].sort()).toEqual([...built.bySlug.keys()].sort());
      expect(patched?.validUntil).toBe(built.validUntil);
      expect(patched?.key).toBe(built.key);
    }
  });

  it('should leave it to a whole build when the post that ends the view goes, or the view has ended', () => {
    const view = buildSiteView(snapshot(all, 1), NOW, false);
    expect(patchSiteView(view, [{ before: future, after: undefined }], snapshot(posts, 2), NOW, false)).toBeUndefined();
    expect(patchSiteView(view, [], snapshot(all, 2), future.published.instant, false)).toBeUndefined();
  });
});
