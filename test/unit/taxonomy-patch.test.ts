/**
 * The grouping by tag and author of a view patched from the one before it
 * (one post edited, added or removed: src/content/snapshot-feed.ts) is
 * patched from that view's grouping, and must be exactly what grouping the
 * whole view gives: the same terms, in the same order, with the same names
 * and posts. Checked on random edits, with views grouped after every edit
 * and views patched several times before any is grouped; and the patch of
 * 1,000 posts of 50 distinct tags holds the loop within its budget.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import type { SiteView } from '../../src/content/site-view.js';
import { SnapshotFeed } from '../../src/content/snapshot-feed.js';
import { EMPTY_SNAPSHOT } from '../../src/content/snapshot.js';
import { parseName } from '../../src/content/slug.js';
import { type Taxonomies, taxonomiesOf } from '../../src/content/taxonomy.js';
import { LOOP_LIMIT_MS, measureLoop } from '../helpers/loop-watch.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const TAGS = ['Go', 'go', 'GO', 'Rust', 'rust', 'Émile', 'emile', 'C++', 'c', 'Ünïcode', 'Zebra', 'apple', 'Apple', 'a b', 'A-B', '日本', '!!!'];
const AUTHORS = ['Ann', 'ann', 'Bob', 'Zoë'];

let ino = 0;
function postOf(slug: string, day: number, tags: readonly string[], author: string): Post {
  const header = `---\ntitle: ${slug}\ndate: 2024-01-${String(day).padStart(2, '0')}\nauthor: ${JSON.stringify(author)}\ntags: ${JSON.stringify(tags)}\n---\nBody.\n`;
  const result = parsePost(
    {
      file: `/site/${slug}.md`,
      relPath: `${slug}.md`,
      bundleDir: undefined,
      name: parseName(slug),
      signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: ++ino },
      bytes: Buffer.from(header),
    },
    { author: 'X', timezone: 'UTC' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.post;
}

/** A small deterministic random source (the same cases on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** What a grouping says, comparable: each term's slug, name and posts' slugs, in order. */
function shapeOf(grouped: Taxonomies): unknown {
  const terms = (map: Taxonomies['tags']) => [...map].map(([slug, term]) => [slug, term.name, term.slug, term.posts.map((p) => p.slug)]);
  return { tags: terms(grouped.tags), authors: terms(grouped.authors) };
}

/** The grouping of the whole view, made afresh (a copy of the view is a view no patch knows). */
function wholeGrouping(view: SiteView): Taxonomies {
  return taxonomiesOf({ ...view });
}

describe('the grouping of a patched view', () => {
  it.each([1, 2, 3, 4, 5, 6])('should equal the whole view’s grouping after random edits (seed %i)', (seed) => {
    const rand = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const tagsOf = (): string[] => Array.from({ length: Math.floor(rand() * 4) }, () => pick(TAGS));
    const feed = new SnapshotFeed(false, () => NOW);
    const start = new Map<string, Post>();
    for (let i = 0; i < 30; i++) start.set(`p${i}`, postOf(`p${i}`, 1 + Math.floor(rand() * 28), tagsOf(), pick(AUTHORS)));
    feed.set({ ...EMPTY_SNAPSHOT, version: 1, bySlug: start });
    let view = feed.viewOf(feed.snapshot, NOW);
    taxonomiesOf(view);
    let patched = 0;
    for (let step = 0; step < 120; step++) {
      const slugs = [...feed.snapshot.bySlug.keys()];
      const roll = rand();
      const slug = roll < 0.2 || !slugs.length ? `n${step}` : pick(slugs);
      const before = feed.snapshot.bySlug.get(slug);
      // Edited (tags, author or date), added, or removed.
      const after = roll > 0.85 && before ? undefined : postOf(slug, 1 + Math.floor(rand() * 28), tagsOf(), pick(AUTHORS));
      if (!feed.patch([{ before, after }])) continue;
      view = feed.viewOf(feed.snapshot, NOW);
      patched++;
      // Now and then several patches before the grouping is asked for.
      if (rand() < 0.6) expect(shapeOf(taxonomiesOf(view))).toEqual(shapeOf(wholeGrouping(view)));
    }
    expect(shapeOf(taxonomiesOf(view))).toEqual(shapeOf(wholeGrouping(view)));
    expect(patched).toBeGreaterThan(60);
  });

  it('should patch 1,000 posts of 50 distinct tags within the loop’s budget after an edit', async () => {
    const feed = new SnapshotFeed(false, () => NOW);
    const posts = new Map<string, Post>();
    for (let i = 0; i < 1000; i++) {
      posts.set(
        `p${i}`,
        postOf(
          `p${i}`,
          1 + (i % 28),
          Array.from({ length: 50 }, (_, j) => `tag ${i} ${j}`),
          'Ann',
        ),
      );
    }
    feed.set({ ...EMPTY_SNAPSHOT, version: 1, bySlug: posts });
    taxonomiesOf(feed.viewOf(feed.snapshot, NOW));
    for (let edit = 0; edit < 3; edit++) {
      const before = feed.snapshot.bySlug.get(`p${edit}`)!;
      expect(feed.patch([{ before, after: postOf(`p${edit}`, 3, [...before.tags.slice(1), `new tag ${edit}`], 'Ann') }])).toBe(true);
      const view = feed.viewOf(feed.snapshot, NOW);
      // Grouped whole, this held the loop 115-140 ms on the 2-core machine.
      const { value, maxMs } = await measureLoop(async () => taxonomiesOf(view));
      expect(maxMs).toBeLessThan(LOOP_LIMIT_MS);
      expect(value.tags.size).toBe(50_000);
      expect(value.tags.get(`new-tag-${edit}`)?.posts.map((p) => p.slug)).toEqual([`p${edit}`]);
    }
  });
});
