/**
 * The render pool's time limit counts a job's own work, written by its
 * thread in a shared clock: not the wait for a free thread. An article's
 * page and summary are one job. And jobs of posts seen over their limit take
 * the slow lane, which leaves a thread to every other post's readers.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { RenderPool, RenderTimeout, type RenderLane } from '../../src/render/render-pool.js';
import { PostBodies, UnrenderablePost } from '../../src/render/post-bodies.js';
import type { BodyJob, BodyResult } from '../../src/render/body-job.js';
import { JobClock, RUNNING } from '../../src/render/render-worker.js';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { parseName } from '../../src/content/slug.js';

/** A pool that remembers the kinds of the jobs it was given, and their lanes. */
class CountingPool extends RenderPool {
  readonly kinds: string[] = [];
  readonly lanes: RenderLane[] = [];
  override run<J extends BodyJob>(job: J, timeoutMs: number, onStart?: (startedAt: number) => void, lane: RenderLane = 'reader'): Promise<BodyResult<J>> {
    this.kinds.push(job.kind);
    this.lanes.push(lane);
    return super.run(job, timeoutMs, onStart, lane);
  }
}

/** Markdown no render finishes in minutes (each `_a` opens emphasis marked looks for the end of). */
const ENDLESS = '_a'.repeat(200_000);

describe('RenderPool time limit', () => {
  const pool = new RenderPool({ threads: 1 });
  afterAll(() => pool.close());

  it('should not count the wait for a free thread against a job', async () => {
    // Benign work on the only thread, many times the quick job's limit (0.5-1.7 s measured here)...
    let slowDone = false;
    const slow = pool.run({ kind: 'page', markdown: '_a'.repeat(12_000), rawHtml: false }, 60_000).then(() => (slowDone = true));
    // ...then a small job whose limit is shorter than that wait: it waits for the slow one, and is not stopped.
    const quick = pool.run({ kind: 'summary', markdown: 'Short and quick.' }, 250);
    await expect(quick).resolves.toEqual({ wordCount: 3, excerpt: 'Short and quick.' });
    expect(slowDone).toBe(true);
    await slow;
  });
});

describe('RenderPool slow lane', () => {
  const pool = new RenderPool({ threads: 2 });
  afterAll(() => pool.close());

  it('should leave a thread to readers while slow-lane jobs wait for each other', async () => {
    expect(pool.slowSlots).toBe(1);
    // Both threads up first, so the reader's wait below is only for a free thread.
    await Promise.all([1, 2].map(() => pool.run({ kind: 'summary', markdown: 'Warm.' }, 60_000)));
    const order: string[] = [];
    const slow = [1, 2].map((n) =>
      pool
        .run({ kind: 'page', markdown: ENDLESS, rawHtml: false }, 2000, () => order.push(`slow ${n} started`), 'slow')
        .then(
          () => order.push(`slow ${n} done`),
          (err: unknown) => order.push(err instanceof RenderTimeout ? `slow ${n} timed out` : `slow ${n} failed`),
        ),
    );
    const reader = pool.run({ kind: 'page', markdown: 'A reader’s post.', rawHtml: false }, 60_000);
    await expect(reader).resolves.toMatchObject({ html: expect.stringContaining('A reader’s post.') });
    order.push('reader done');
    await Promise.all(slow);
    // The reader took the thread the slow lane leaves free; the second slow job started once the first had ended.
    expect(order.indexOf('reader done')).toBeLessThan(order.indexOf('slow 1 timed out'));
    expect(order.indexOf('slow 2 started')).toBeGreaterThan(order.indexOf('slow 1 timed out'));
    expect(order.filter((o) => o.endsWith('timed out'))).toHaveLength(2);
  });
});

describe('JobClock', () => {
  it('should read 0 before the job starts, then how long it has run, across threads', () => {
    const clock = new JobClock();
    expect(clock.stateNow).toBe(0);
    expect(clock.runningFor()).toBe(0);
    // The thread's side, on the same buffer.
    const there = new JobClock(clock.buffer);
    there.start();
    expect(clock.stateNow).toBe(RUNNING);
    expect(clock.runningFor()).toBeGreaterThanOrEqual(0);
    expect(clock.runningFor()).toBeLessThan(1000);
  });
});

/** A post parsed from `text`, as the store would hand it out. */
function postOf(name: string, ino: number, text: string): Post {
  const result = parsePost(
    {
      file: `/site/${name}.md`,
      relPath: `${name}.md`,
      bundleDir: undefined,
      name: parseName(name),
      signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino },
      bytes: Buffer.from(text),
    },
    { author: 'A', timezone: 'UTC' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.post;
}

describe('PostBodies', () => {
  const pool = new CountingPool({ threads: 1 });
  afterAll(() => pool.close());

  it('should make an article’s page and summary in one job', async () => {
    const post = postOf('one', 1, '---\ntitle: One\n---\nFirst words of the body. Then more.\n');
    const bodies = new PostBodies({ pool, timeoutMs: 10_000, onFailure: () => undefined });
    const [page, summary] = await Promise.all([bodies.page(post, false), bodies.summary(post)]);
    expect(page.html).toContain('First words of the body.');
    expect(summary).toEqual({ wordCount: 7, excerpt: 'First words of the body. Then more.' });
    expect(pool.kinds).toEqual(['page']);
    // Known from then on: another page asks for no summary, and the summary asks for nothing.
    await bodies.summary(post);
    expect(pool.kinds).toEqual(['page']);
  });

  it('should share one job between readers of a page being made, and make it again once that job is done', async () => {
    const post = postOf('two', 2, '---\ntitle: Two\n---\nSecond body.\n');
    const bodies = new PostBodies({ pool, timeoutMs: 10_000, onFailure: () => undefined });
    pool.kinds.length = 0;
    const [first, second] = await Promise.all([bodies.page(post, false), bodies.page(post, false)]);
    expect(second).toBe(first);
    expect(pool.kinds).toEqual(['page']);
    // Done: a later page is a new job (the response cache keeps pages, not this), and so is the one after.
    expect((await bodies.page(post, false)).html).toBe(first.html);
    await bodies.page(post, false);
    expect(pool.kinds).toEqual(['page', 'page', 'page']);
  });

  it('should send the retry of a post over its limit, and its file’s next versions, to the slow lane until one renders in time', async () => {
    const bodies = new PostBodies({ pool, timeoutMs: 300, onFailure: () => undefined });
    pool.lanes.length = 0;
    const hostile = postOf('hostile', 10, `---\ntitle: H\n---\n${ENDLESS}\n`);
    const heard: string[] = [];
    void bodies.overLimit(hostile).then(() => heard.push('over its first limit'));
    await expect(bodies.page(hostile, false).finally(() => heard.push('failed'))).rejects.toBeInstanceOf(UnrenderablePost);
    expect(pool.lanes).toEqual(['reader', 'slow']);
    // Readers waiting for it heard of its first time-out before the retry ended.
    expect(heard).toEqual(['over its first limit', 'failed']);
    await expect(bodies.overLimit(hostile)).resolves.toBeUndefined();
    // Another post is not held to it.
    await bodies.summary(postOf('benign', 11, '---\ntitle: B\n---\nBenign.\n'));
    expect(pool.lanes.slice(2)).toEqual(['reader']);
    // The same file saved again: its first try is in the slow lane, and, rendered in time, frees the file from it.
    await bodies.page(postOf('hostile', 12, '---\ntitle: H\n---\nMended.\n'), false);
    await bodies.page(postOf('hostile', 13, '---\ntitle: H\n---\nMended again.\n'), false);
    expect(pool.lanes.slice(3)).toEqual(['slow', 'reader']);
  });
});
