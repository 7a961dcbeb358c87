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

  it('should wait for a slow new version the first time, then show the version before while the next one renders, rendered once', async () => {
    const r = renders();
    const c = clock();
    const versions = new ArticleVersions(r.render, 250, c.delay);
    const v1 = post(1);
    versions.shownNow(v1, body('one'));
    // The first slow version of the file: its reader waits for it (an edit shows on the next request).
    const v2 = post(2);
    const waited = versions.bodyFor(v2);
    c.elapse();
    await settle();
    r.finish(v2, 'two');
    expect(await waited).toEqual({ post: v2, body: body('two') });
    versions.shownNow(v2, body('two'));
    // The file is known to be slow now: its next version is not waited for past the wait.
    const v3 = post(3);
    const meanwhile = versions.bodyFor(v3);
    c.elapse();
    const shown = await meanwhile;
    expect(shown.post).toBe(v2);
    expect(shown.body).toEqual(body('two'));
    expect(r.calls).toEqual([v2, v3]);
    expect(shown.pending).toBeDefined();
    r.finish(v3, 'three');
    await shown.pending;
    // The next reader takes the render the first stopped waiting for.
    expect(await versions.bodyFor(v3)).toEqual({ post: v3, body: body('three') });
    expect(r.calls).toEqual([v2, v3]);
  });

  it('should stop waiting for a first slow version when its render runs over its first limit, and show the one before', async () => {
    const r = renders();
    const c = clock();
    let overLimit!: () => void;
    const over = new Promise<void>((resolve) => (overLimit = resolve));
    const versions = new ArticleVersions(r.render, 250, c.delay, () => over);
    const v1 = post(1);
    versions.shownNow(v1, body('one'));
    const v2 = post(2);
    const waited = versions.bodyFor(v2);
    c.elapse();
    await settle();
    // Past the wait, the reader still waits (the machine may only be busy)... until the render is known over its limit.
    overLimit();
    const shown = await waited;
    expect(shown.post).toBe(v1);
    expect(shown.body).toEqual(body('one'));
    expect(shown.pending).toBeDefined();
    r.finish(v2, 'two');
    await shown.pending;
    expect(await versions.bodyFor(v2)).toEqual({ post: v2, body: body('two') });
    expect(r.calls).toEqual([v2]);
  });

  it('should know a file as slow from a version that cannot be rendered, and render the one before when its body is no longer kept', async () => {
    const r = renders();
    const c = clock();
    const versions = new ArticleVersions(r.render, 250, c.delay);
    const v1 = post(1);
    versions.shownNow(v1, body('one'));
    const v2 = post(2);
    const failed = versions.bodyFor(v2);
    r.finish(v2, undefined);
    expect(await failed).toEqual({ post: v2, body: undefined });
    // Many other articles shown since: the oldest bodies kept are let go.
    for (let i = 0; i < 200; i++) versions.shownNow({ slug: `other-${i}`, file: `/c/other-${i}.md` } as unknown as Post, body(`other ${i}`));
    const v3 = post(3);
    const chosen = versions.bodyFor(v3);
    c.elapse();
    await settle();
    expect(r.calls).toEqual([v2, v3, v1]);
    // The one before cannot be shown either: the new one is waited for.
    r.finish(v1, undefined);
    r.finish(v3, 'three');
    expect(await chosen).toEqual({ post: v3, body: body('three') });
  });

  it('should show a version already shown without rendering it again', async () => {
    const r = renders();
    const versions = new ArticleVersions(r.render, 250, clock().delay);
    const v1 = post(1);
    versions.shownNow(v1, body('one'));
    expect(await versions.bodyFor(v1)).toEqual({ post: v1, body: body('one') });
    expect(r.calls).toEqual([]);
  });

  it('should not reuse a body whose links were resolved among another site’s files', async () => {
    const r = renders();
    const versions = new ArticleVersions(r.render, 250, clock().delay);
    const v1 = post(1);
    const before = {};
    versions.shownNow(v1, body('one'), before);
    expect(await versions.bodyFor(v1, before)).toEqual({ post: v1, body: body('one') });
    const chosen = versions.bodyFor(v1, {});
    r.finish(v1, 'one, its link resolved');
    expect(await chosen).toEqual({ post: v1, body: body('one, its link resolved') });
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
