import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { ContentStore, type SnapshotChange } from '../../src/content/store.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('the search index on a large site', () => {
  const content = new TempContent();
  let app: LedeApp;
  /** The background build's next turns, run when the test says so, each in a turn of the loop of its own (as the server runs them). */
  const slices: (() => void)[] = [];
  const step = async (n = Infinity): Promise<void> => {
    while (n-- > 0 && slices.length) {
      slices.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // More posts than are indexed within one request: the first search finds the index being built.
  // Written while the suite is collected, before the loop is watched: writing them is the test's work, not the server's.
  for (let i = 0; i < 800; i++) content.post(`p${i}.md`, { title: `Post ${i}`, publish_date: '2024-01-01' }, `Words about okra number ${i}.\n`);
  beforeAll(() => {
    app = testApp(content, { env: 'production' }, { searchSchedule: (next) => slices.push(next) });
  });
  afterAll(() => content.cleanup());

  it('should say the index is being built (503, Retry-After), then answer once it is', async () => {
    const first = await request(app).get('/search?q=okra');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.headers['cache-control']).toBe('no-store');
    const $ = cheerio.load(first.text);
    expect($('.search__status').text()).toMatch(/^The search index is being built \(\d+ of 800 posts\)\. Try again in a moment\.$/);
    const json = await request(app).get('/search.json?q=okra');
    expect(json.status).toBe(503);
    expect(json.body).toMatchObject({ query: 'okra', building: { total: 800 }, results: [] });
    // The server keeps answering other pages meanwhile.
    expect((await request(app).get('/')).status).toBe(200);
    // A turn is 5 ms of work: on a busy machine the first post may take a few turns.
    let progress = await request(app).get('/search.json?q=okra');
    while (progress.status === 503 && progress.body.building.indexed === 0 && slices.length) {
      await step(1);
      progress = await request(app).get('/search.json?q=okra');
    }
    expect(progress.status).toBe(503);
    expect(progress.body.building.indexed).toBeGreaterThan(0);
    expect(progress.body.building.indexed).toBeLessThan(800);
    await eventually(async () => {
      await step();
      const res = await request(app).get('/search.json?q=okra');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(800);
    });
  });

  it('should be built ahead of the first search by warm()', async () => {
    const warmed = testApp(content, { env: 'production' });
    await warmed.search.warm();
    const res = await request(warmed).get('/search.json?q=okra+417');
    expect(res.status).toBe(200);
    expect(res.body.results[0].url).toBe('/posts/p417');
  });
});

describe('ContentStore change feed', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should tell a listener of the posts added, edited and removed, by version', async () => {
    content.post('a.md', { title: 'A' });
    content.post('b.md', { title: 'B' });
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false, maxAgeMs: 0 });
    const changes: SnapshotChange[] = [];
    store.onChange((change) => changes.push(change));
    await store.refresh();
    expect(changes.map((c) => [c.added.map((p) => p.slug).sort(), c.removed.map((p) => p.slug)])).toEqual([[['a', 'b'], []]]);
    const oldA = changes[0]!.added.find((p) => p.slug === 'a');
    content.post('a.md', { title: 'A, edited' });
    content.touch('a.md');
    content.remove('b.md');
    content.post('c.md', { title: 'C' });
    // Saved a moment ago, not being written (src/content/store.ts, SETTLE_MS): this is about the feed.
    content.touch('c.md', -2);
    await store.refresh(true);
    const last = changes.at(-1)!;
    expect(last.added.map((p) => p.title).sort()).toEqual(['A, edited', 'C']);
    expect(last.removed.map((p) => p.slug).sort()).toEqual(['a', 'b']);
    expect(last.removed.find((p) => p.slug === 'a')).toBe(oldA);
    const count = changes.length;
    await store.refresh(true);
    expect(changes).toHaveLength(count);
    store.close();
  });

  it('should give a late listener the posts already there', async () => {
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false });
    await store.refresh();
    const changes: SnapshotChange[] = [];
    const stop = store.onChange((change) => changes.push(change));
    expect(changes[0]!.added.map((p) => p.slug).sort()).toEqual(['a', 'c']);
    stop();
    store.close();
  });
});
