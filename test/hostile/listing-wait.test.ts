/**
 * "Nothing stalls" (issue 27): pages that list posts never wait for a
 * render they did not ask for. A post saved while the server runs, whose
 * summary and page are still rendering, is left out of the index, the feeds
 * and its neighbours' pages after a moment's wait (`LISTING_WAIT_MS`), added
 * by the first request after its summary lands, and left out for good (a
 * content error) when its page cannot be rendered (docs/urls-and-feeds.md).
 *
 * The slow render is held by the test (a pool that gates the post's jobs),
 * so "answered while it was still rendering" is an ordering, not a clock.
 * The event loop is watched for the whole suite (test/support/watch-loop.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import type { BodyJob, BodyResult, Markdown } from '../../src/render/body-job.js';
import { RenderPool, RenderTimeout } from '../../src/render/render-pool.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';
import { watchEventLoop } from '../helpers/loop-watch.js';

/** What marks the held post's body. */
const MARK = 'held-post-marker';
/** The finding's post: 400 KB of nested blockquotes (its jobs are held, never run, but for its summary). */
const SLOW_BODY = `${MARK}\n\n${'> '.repeat(200_000)}deep\n`;

function textOf(markdown: Markdown): string {
  return typeof markdown === 'string' ? markdown : Buffer.from(markdown.buffer, markdown.byteOffset, markdown.byteLength).toString('utf8');
}

interface Held {
  readonly kind: BodyJob['kind'];
  readonly run: () => void;
}

/**
 * The real pool, but the marked post's jobs are held: each is "started" at
 * once (as a thread would say) and waits for the test, which lets a summary
 * run for real and makes page jobs run over their time limit.
 */
class GatedPool extends RenderPool {
  readonly held: Held[] = [];
  private pagesTimeOut = false;

  override run<J extends BodyJob>(job: J, timeoutMs: number, onStart?: (startedAt: number) => void): Promise<BodyResult<J>> {
    if (!textOf(job.markdown).includes(MARK)) return super.run(job, timeoutMs, onStart);
    if (job.kind === 'page' && this.pagesTimeOut) return Promise.reject(new RenderTimeout(timeoutMs));
    onStart?.(performance.now());
    return new Promise<BodyResult<J>>((resolve, reject) => {
      const run = (): void => {
        if (job.kind === 'page') reject(new RenderTimeout(timeoutMs));
        else super.run(job, 60_000).then(resolve, reject);
      };
      this.held.push({ kind: job.kind, run });
    });
  }

  /** True while a job of this kind is held. */
  holds(kind: BodyJob['kind']): boolean {
    return this.held.some((h) => h.kind === kind);
  }

  /** Lets the held jobs of this kind go on; page jobs (and their retries) then run over their limit. */
  release(kind: BodyJob['kind']): void {
    if (kind === 'page') this.pagesTimeOut = true;
    for (const h of this.held.filter((x) => x.kind === kind)) {
      this.held.splice(this.held.indexOf(h), 1);
      h.run();
    }
  }
}

describe('a post saved while its render is slow', () => {
  watchEventLoop();
  const content = new TempContent();
  const pool = new GatedPool({ threads: 2 });
  const logs: string[] = [];
  let app: LedeApp;
  beforeAll(async () => {
    content.post('older.md', { title: 'Older one', publish_date: '2024-01-01' }, 'Older text.');
    content.post('newer.md', { title: 'Newer one', publish_date: '2024-01-03' }, 'Newer text.');
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
    app = testApp(content, { env: 'production', renderTimeoutMs: 1000 }, { logger, renderPool: pool });
    // Every listing made once, from posts whose summaries are known.
    for (const url of ['/', '/feed.xml', '/tags', '/archive', '/posts/older', '/posts/newer']) expect((await request(app).get(url)).status).toBe(200);
  });

  // biome-ignore lint/suspicious/noDuplicateTestHooks: a second step, once every listing above is cached
  beforeAll(async () => {
    // Dated between the two: the neighbour of both in date order.
    content.post('slow.md', { title: 'Slow one', publish_date: '2024-01-02' }, SLOW_BODY);
    // Seen by the store (on its next look), then its render starts in the background.
    await eventually(async () => {
      await request(app).get('/healthz');
      expect(pool.holds('page')).toBe(true);
    });
  });
  afterAll(async () => {
    pool.release('summary');
    pool.release('page');
    await pool.close();
    content.cleanup();
  });

  it('should answer the index, the feed and the neighbours while its summary and page still render, without it', async () => {
    for (const url of ['/', '/feed.xml', '/feed.json', '/posts/older', '/posts/newer', '/tags', '/archive']) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
      // Answered while its render was still held: the response did not wait for it.
      expect([url, pool.holds('page')]).toEqual([url, true]);
      if (url !== '/tags' && url !== '/archive') expect([url, res.text.includes('Slow one') || res.text.includes('/posts/slow')]).toEqual([url, false]);
    }
    // A shared cache must ask again rather than keep the page made without it.
    expect((await request(app).get('/')).headers['cache-control']).toBe('public, no-cache');
  });

  it('should add it to the index and the neighbours once its summary lands, its page still rendering', async () => {
    pool.release('summary');
    await eventually(async () => {
      expect((await request(app).get('/')).text).toContain('Slow one');
    });
    expect((await request(app).get('/posts/older')).text).toContain('/posts/slow');
    expect(pool.holds('page')).toBe(true);
    // The feed carries whole bodies: without it until its page is made.
    expect((await request(app).get('/feed.xml')).text).not.toContain('Slow one');
  });

  it('should leave it out, named as a content error, when its page runs over the limit twice', async () => {
    pool.release('page');
    await eventually(async () => {
      expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 1 });
    });
    expect(logs.join('')).toMatch(/slow\.md: is too slow to render/);
    for (const url of ['/', '/feed.xml', '/posts/older', '/posts/newer']) {
      const res = await request(app).get(url);
      expect([url, res.status, res.text.includes('Slow one')]).toEqual([url, 200, false]);
    }
    expect((await request(app).get('/')).headers['cache-control']).not.toContain('no-cache');
  });
});

describe('a fast post saved while the server runs', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(async () => {
    content.post('first.md', { title: 'First one', publish_date: '2024-01-01' }, 'First text.');
    app = testApp(content, { env: 'production' });
    expect((await request(app).get('/')).status).toBe(200);
    expect((await request(app).get('/feed.xml')).status).toBe(200);
  });
  afterAll(() => content.cleanup());

  it('should be in the index and the feed once its summary and body land', async () => {
    content.post('second.md', { title: 'Second one', publish_date: '2024-01-02' }, 'Second text.');
    await eventually(async () => {
      expect((await request(app).get('/')).text).toContain('Second one');
      expect((await request(app).get('/feed.xml')).text).toContain('Second one');
    });
  });
});
