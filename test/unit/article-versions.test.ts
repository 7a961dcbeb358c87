/**
 * An article's new version that renders slowly is shown in the version
 * before it meanwhile (src/routes/article-versions.ts): its readers do not
 * wait seconds for a render, and the next reader after it lands gets it,
 * without a second render.
 */
import { describe, expect, it } from '@jest/globals';
import type { Post } from '../../src/content/post.js';
import type { Rendered } from '../../src/render/markdown.js';
import { ArticleVersions } from '../../src/routes/article-versions.js';

const post = (version: number, file = '/c/a.md'): Post => ({ slug: 'a', file, version }) as unknown as Post;
const body = (html: string): Rendered => ({ html }) as Rendered;

/** The wait, ended by the test (`elapse()`): no timer, so nothing depends on how busy the machine is. */
function clock() {
  const ends: (() => void)[] = [];
  return {
    delay: (): Promise<void> => new Promise((resolve) => ends.push(resolve)),
    elapse: (): void => {
      for (const end of ends.splice(0)) end();
    },
  };
}

/** Until the microtasks queued so far (and those they queue) have run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A render per post that the test finishes when it wants: `finish(post, html)`. */
function renders() {
  const waiting = new Map<Post, (body: Rendered | undefined) => void>();
  const calls: Post[] = [];
  const render = (p: Post): Promise<Rendered | undefined> => {
    calls.push(p);
    return new Promise((resolve) => waiting.set(p, resolve));
  };
  const finish = (p: Post, html: string | undefined): void => waiting.get(p)!(html === undefined ? undefined : body(html));
  return { render, finish, calls };
}

describe('ArticleVersions', () => {
  it('should wait for the render of a post with no version shown before', async () => {
    const r = renders();
    const versions = new ArticleVersions(r.render, 1);
    const v1 = post(1);
    const chosen = versions.bodyFor(v1);
    r.finish(v1, 'one');
    expect(await chosen).toEqual({ post: v1, body: body('one') });
  });

  it('should show the version before while the new one renders, then the new one, rendered once', async () => {
    const r = renders();
    const c = clock();
    const versions = new ArticleVersions(r.render, 250, c.delay);
    const v1 = post(1);
    const first = versions.bodyFor(v1);
    r.finish(v1, 'one');
    await first;
    versions.shownNow(v1, body('one'));
    const v2 = post(2);
    const meanwhile = versions.bodyFor(v2);
    await settle();
    expect(r.calls).toEqual([v1, v2]);
    // The wait ends with the new version still rendering: the one before is shown as it was, with no render.
    c.elapse();
    const shown = await meanwhile;
    expect(r.calls).toEqual([v1, v2]);
    expect(shown.post).toBe(v1);
    expect(shown.body).toEqual(body('one'));
    expect(shown.pending).toBeDefined();
    r.finish(v2, 'two');
    await shown.pending;
    // The next reader takes the render the first stopped waiting for.
    expect(await versions.bodyFor(v2)).toEqual({ post: v2, body: body('two') });
    expect(r.calls.filter((p) => p === v2)).toHaveLength(1);
  });

  it('should render the one before when its body is no longer kept, and wait for the new one when that fails', async () => {
    const r = renders();
    const c = clock();
    const versions = new ArticleVersions(r.render, 250, c.delay);
    const v1 = post(1);
    versions.shownNow(v1, body('one'));
    // Many other articles shown since: the oldest bodies kept are let go.
    for (let i = 0; i < 200; i++) versions.shownNow({ slug: `other-${i}`, file: `/c/other-${i}.md` } as unknown as Post, body(`other ${i}`));
    const v2 = post(2);
    const chosen = versions.bodyFor(v2);
    c.elapse();
    await settle();
    expect(r.calls).toEqual([v2, v1]);
    r.finish(v1, undefined);
    r.finish(v2, 'two');
    expect(await chosen).toEqual({ post: v2, body: body('two') });
  });

  it('should never show another file’s post, and never show the one before with no wait set', async () => {
    for (const [waitMs, earlier] of [
      [250, post(1, '/c/other.md')],
      [0, post(1)],
    ] as const) {
      const r = renders();
      const c = clock();
      const versions = new ArticleVersions(r.render, waitMs, c.delay);
      versions.shownNow(earlier, body('earlier'));
      const v2 = post(2);
      const chosen = versions.bodyFor(v2);
      c.elapse();
      await settle();
      expect(r.calls).toEqual([v2]);
      r.finish(v2, 'two');
      expect(await chosen).toEqual({ post: v2, body: body('two') });
    }
  });
});
