/**
 * "Listings answer from the last good listing" (issue 27): while an edited
 * post's new version is still rendering, the index, the feeds and its
 * neighbours' pages show the version before it, not a hole where it was,
 * and never wait for the render (in production they wait
 * `PRODUCTION_LISTING_WAIT_MS` at most, docs/urls-and-feeds.md). The new
 * version replaces it once its summary (its page, in the feeds) lands.
 *
 * The new version's jobs are held by the test (a pool that gates them), so
 * "answered while it was still rendering" is an ordering, not a clock. The
 * event loop is watched for the whole suite.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import type { BodyJob, BodyResult, Markdown } from '../../src/render/body-job.js';
import { type RenderLane, RenderPool } from '../../src/render/render-pool.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';
import { watchEventLoop } from '../helpers/loop-watch.js';

/** What marks the new version's body. */
const MARK = 'held-version-marker';

function textOf(markdown: Markdown): string {
  return typeof markdown === 'string' ? markdown : Buffer.from(markdown.buffer, markdown.byteOffset, markdown.byteLength).toString('utf8');
}

/** The real pool, but jobs of a marked body wait for the test, then run for real. */
class HeldPool extends RenderPool {
  private held: (() => void)[] = [];
  private open = false;

  override run<J extends BodyJob>(job: J, timeoutMs: number, onStart?: (startedAt: number) => void, lane?: RenderLane): Promise<BodyResult<J>> {
    if (this.open || !textOf(job.markdown).includes(MARK)) return super.run(job, timeoutMs, onStart, lane);
    return new Promise<void>((resolve) => this.held.push(resolve)).then(() => super.run(job, timeoutMs, onStart, lane));
  }

  get holding(): boolean {
    return this.held.length > 0;
  }

  release(): void {
    this.open = true;
    for (const go of this.held.splice(0)) go();
  }
}

describe('a post edited while its new version renders', () => {
  watchEventLoop();
  const content = new TempContent();
  const pool = new HeldPool({ threads: 2 });
  let app: LedeApp;
  beforeAll(async () => {
    content.post('first.md', { title: 'First one', publish_date: '2024-01-01' }, 'First text.');
    content.post('second.md', { title: 'Second one', publish_date: '2024-01-02', tags: ['kept'] }, 'Second text.');
    app = testApp(content, { env: 'production' }, { renderPool: pool });
    expect((await request(app).get('/posts/second')).status).toBe(200);
    // Every listing made with both posts (on a busy machine a first one may be made before a summary lands).
    for (const url of ['/', '/feed.xml', '/tags/kept', '/posts/first']) {
      await eventually(async () => {
        const res = await request(app).get(url);
        expect([url, res.status, res.text.includes('Second one')]).toEqual([url, 200, true]);
      });
    }
  });

  // biome-ignore lint/suspicious/noDuplicateTestHooks: a second step, once every listing above is made
  beforeAll(async () => {
    content.post('second.md', { title: 'Second one, edited', publish_date: '2024-01-02', tags: ['kept'] }, `${MARK}\n\nSecond text, edited.`);
    // Seen by the store (it settles a fresh write first), then its summary is asked for and held.
    await eventually(async () => {
      await request(app).get('/');
      expect(pool.holding).toBe(true);
    });
  });
  afterAll(async () => {
    pool.release();
    await pool.close();
    content.cleanup();
  });

  it('should show the version before in the index, the tag, the feed and the neighbour, without waiting for the new one', async () => {
    for (const url of ['/', '/feed.xml', '/tags/kept', '/posts/first']) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
      // Answered while the new version was still held: the response did not wait for it.
      expect([url, pool.holding]).toEqual([url, true]);
      expect([url, res.text.includes('Second one')]).toEqual([url, true]);
      expect([url, res.text.includes('Second one, edited')]).toEqual([url, false]);
    }
    // Made from a version about to be replaced: a shared cache must ask again rather than keep it. (A
    // listing made just before the edit may still be answered for a moment: listings are made at most
    // twice a second while a writer saves, src/cache/response-cache.ts.)
    await eventually(async () => {
      const res = await request(app).get('/');
      expect([res.headers['cache-control'], res.text.includes('Second one'), pool.holding]).toEqual(['public, no-cache', true, true]);
    });
  });

  it('should show the new version once it lands', async () => {
    pool.release();
    for (const url of ['/', '/feed.xml', '/tags/kept', '/posts/first']) {
      await eventually(async () => {
        expect([url, (await request(app).get(url)).text.includes('Second one, edited')]).toEqual([url, true]);
      });
    }
    expect((await request(app).get('/')).headers['cache-control']).not.toContain('no-cache');
  });
});
