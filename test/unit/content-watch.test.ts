/**
 * Watching the content folder (src/content/folder-watch.ts) and what the
 * store does with it, and the `stat`s shared within one turn of the event
 * loop (src/cache/turn-stats.ts).
 */
import { watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { FolderWatch } from '../../src/content/folder-watch.js';
import { findPosts } from '../../src/content/find-posts.js';
import { ContentStore } from '../../src/content/store.js';
import { TurnStats } from '../../src/cache/turn-stats.js';
import { LiveSettings, settingsSchema } from '../../src/settings.js';
import request from 'supertest';
import { countingParser, eventually, TempContent, testApp } from '../helpers/site.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let markers = 0;

/**
 * Resolves once every event for what was written in `dirs` before the call
 * has reached this process's watches: a marker file (a dot file, which no
 * watch of the store heeds) is written in each folder, and an independent
 * watch waits for it. libuv reads one inotify queue per loop, in order, so
 * the watch under test has had every earlier event by then. The positive
 * event a "nothing happened" assertion waits for, instead of a pause.
 */
function eventsSoFar(...dirs: string[]): Promise<void> {
  return Promise.all(
    dirs.map(
      (dir) =>
        new Promise<void>((resolve) => {
          const marker = `.marker-${++markers}`;
          const probe = watch(dir, { persistent: false }, (_event, name) => {
            if (name !== marker) return;
            probe.close();
            resolve();
          });
          writeFileSync(path.join(dir, marker), '');
        }),
    ),
  ).then(() => undefined);
}

describe('FolderWatch', () => {
  let content: TempContent;
  let watch: FolderWatch;
  beforeEach(() => {
    content = new TempContent();
    content.post('a.md', { title: 'A' });
    content.post('bundle/index.md', { title: 'Bundle' });
    watch = new FolderWatch(content.dir);
    watch.watchBundles([path.join(content.dir, 'bundle')]);
  });
  afterEach(() => {
    watch.close();
    content.cleanup();
  });

  it('should be healthy and clean until something changes', async () => {
    await eventsSoFar(content.dir, path.join(content.dir, 'bundle'));
    expect(watch.healthy).toBe(true);
    expect(watch.dirty).toBe(false);
  });

  it.each([
    ['a new post', (c: TempContent) => c.post('b.md', { title: 'B' })],
    ['a post edited in place', (c: TempContent) => c.post('a.md', { title: 'A, edited' })],
    ['a removed post', (c: TempContent) => c.remove('a.md')],
    ["a bundle's index.md edited", (c: TempContent) => c.post('bundle/index.md', { title: 'Bundle, edited' })],
  ])('should be dirty after %s', async (_what, change) => {
    change(content);
    await eventually(async () => expect(watch.dirty).toBe(true));
  });

  it('should ignore what is never a post: editor leftovers, bundle images', async () => {
    content.write('.a.md.swp', 'swap');
    content.write('a.md~', 'backup');
    content.write('_other.yml', 'x: 1\n');
    content.write('bundle/photo.png', 'png');
    await eventsSoFar(content.dir, path.join(content.dir, 'bundle'));
    expect(watch.dirty).toBe(false);
  });

  it('should report an edit of the settings file, which the store reads again', async () => {
    content.write('_site.yml', 'title: X\n');
    await eventually(async () => expect(watch.dirty).toBe(true));
  });

  it('should still watch the other bundles when one has vanished since the scan', async () => {
    content.post('other/index.md', { title: 'Other' });
    watch.watchBundles([path.join(content.dir, 'gone'), path.join(content.dir, 'other')]);
    expect(watch.healthy).toBe(true);
    await eventsSoFar(content.dir, path.join(content.dir, 'other'));
    watch.clean();
    content.post('other/index.md', { title: 'Other, edited' });
    await eventually(async () => expect(watch.dirty).toBe(true));
  });

  it('should report itself unhealthy when the folder cannot be watched', () => {
    const broken = new FolderWatch(path.join(content.dir, 'missing'));
    expect(broken.healthy).toBe(false);
    broken.close();
  });
});

describe('ContentStore, watched', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should list a new post in the background after a watch event, so the next request does not scan', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    const parser = countingParser();
    const store = new ContentStore({
      contentDir: content.dir,
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      watch: true,
      parse: parser.parse,
    });
    try {
      expect((await store.view()).posts).toHaveLength(1);
      expect(parser.count()).toBe(1);
      content.post('b.md', { title: 'B', publish_date: '2024-01-02' });
      // No request: the store parses the new post by itself, and has the view ready.
      await eventually(async () => expect(parser.count()).toBe(2));
      expect(store.currentViewKey()).toBeDefined();
      expect((await store.view()).posts.map((p) => p.title)).toEqual(['B', 'A']);
      expect(parser.count()).toBe(2);
    } finally {
      store.close();
    }
  });

  it('should list a title edited in place as soon as the watch reports it, long before a second', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    // A clock that only moves when told: a store polling every second would not look again.
    let clock = Date.UTC(2030, 0, 1);
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false, watch: true, now: () => clock });
    try {
      expect((await store.view()).posts[0]!.title).toBe('Before');
      content.post('a.md', { title: 'After', publish_date: '2024-01-01' });
      clock += 60;
      await eventually(async () => expect((await store.view()).posts[0]!.title).toBe('After'));
    } finally {
      store.close();
    }
  });

  it('should show a post added, edited or removed as soon as the watch names its file, without listing the folder', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    content.post('b.md', { title: 'B', publish_date: '2024-01-02' });
    // A clock that never moves: a listing after a watch event waits for 50 ms of it, so only the named files can bring these changes in.
    const clock = Date.UTC(2030, 0, 1);
    const parser = countingParser();
    const store = new ContentStore({
      contentDir: content.dir,
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      watch: true,
      now: () => clock,
      parse: parser.parse,
    });
    const titles = async (): Promise<string[]> => (await store.view()).posts.map((p) => p.title);
    try {
      expect(await titles()).toEqual(['B', 'A']);
      content.post('c.md', { title: 'C', publish_date: '2024-01-03' });
      await eventually(async () => expect(await titles()).toEqual(['C', 'B', 'A']));
      content.post('a.md', { title: 'A, edited', publish_date: '2024-01-04' });
      await eventually(async () => expect(await titles()).toEqual(['A, edited', 'C', 'B']));
      content.remove('b.md');
      await eventually(async () => expect(await titles()).toEqual(['A, edited', 'C']));
      expect(await store.getPost('b')).toBeUndefined();
      expect((await store.getPost('c'))?.title).toBe('C');
      // Only the files that changed were parsed again (each at least once: an editor's save may be seen half-written).
      expect(parser.count()).toBeLessThanOrEqual(2 + 2 * 2);
    } finally {
      store.close();
    }
  });

  it('should still list the folder for a change that names no single post (a new bundle)', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    let clock = Date.UTC(2030, 0, 1);
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false, watch: true, now: () => clock });
    try {
      await store.view();
      content.post('bundle/index.md', { title: 'Bundle', publish_date: '2024-01-02' });
      await eventually(async () => {
        clock += 60;
        expect((await store.view()).posts.map((p) => p.title)).toEqual(['Bundle', 'A']);
      });
    } finally {
      store.close();
    }
  });

  it('should list the folder every 10 s even when the watch reports nothing (a file system that sends no events)', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    let clock = Date.UTC(2030, 0, 1);
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false, watch: true, now: () => clock });
    await store.view();
    // Closed, the watch stays "healthy" and silent: as on NFS, where a watch is accepted but never fires.
    store.close();
    content.post('a.md', { title: 'After', publish_date: '2024-01-01' });
    content.touch('a.md', -10); // saved 10 s ago: settled, read as written (SETTLE_MS)
    clock += 1000; // an edit in place leaves the folder's mtime alone: the once-a-second check sees nothing
    expect((await store.view()).posts[0]!.title).toBe('Before');
    clock += 9000;
    expect((await store.view()).posts[0]!.title).toBe('After');
  });

  describe('when the watch reports nothing (a file system that sends no events)', () => {
    /** A store whose watch is closed (healthy and silent, as on NFS), over 20 posts and settings; a clock moved by hand. */
    async function silentStore(): Promise<{
      store: ContentStore;
      settings: LiveSettings;
      parses: () => number;
      listings: () => number;
      tick: () => Promise<string>;
    }> {
      content = new TempContent();
      for (let i = 0; i < 20; i++) content.post(`p${i}.md`, { title: `P${i}`, publish_date: '2024-01-01' });
      content.write('_site.yml', 'title: One\n');
      let clock = Date.UTC(2030, 0, 1);
      const settings = new LiveSettings(content.dir, settingsSchema.parse({ title: 'One' }));
      const parser = countingParser();
      const list = jest.fn(findPosts);
      const store = new ContentStore({
        contentDir: content.dir,
        defaults: { author: 'X', timezone: 'UTC' },
        settings,
        showDrafts: false,
        watch: true,
        now: () => clock,
        parse: parser.parse,
        list,
      });
      await store.view();
      store.close();
      const start = parser.count();
      list.mockClear();
      // One request a second: what it shows of the settings and of the last post in the listing's order (p0, p1, p10 ... p19, p2 ... p9).
      const tick = async (): Promise<string> => {
        clock += 1000;
        const view = await store.view();
        return `${settings.current.title}/${view.posts.find((p) => p.slug === 'p9')!.title}`;
      };
      return { store, settings, parses: () => parser.count() - start, listings: () => list.mock.calls.length, tick };
    }

    it('should not list the folder while nothing changed: each post is stat-ed once a round instead', async () => {
      const { listings, tick } = await silentStore();
      const seen: string[] = [];
      for (let s = 0; s < 35; s++) seen.push(await tick());
      expect(seen).toEqual(Array(35).fill('One/P9'));
      // A listing every 10 s before (three in 35 s), each holding the event loop as long as a whole round of stats.
      expect(listings()).toBe(0);
    });

    it('should find a post edited in place within a round of 10 s, two files a second, parsing only it', async () => {
      const { parses, listings, tick } = await silentStore();
      content.post('p9.md', { title: 'P9, edited', publish_date: '2024-01-01' });
      content.touch('p9.md', -10); // saved 10 s ago: settled, read as written (SETTLE_MS)
      const seen: string[] = [];
      for (let s = 0; s < 10; s++) seen.push(await tick());
      expect(seen).toEqual([...Array(9).fill('One/P9'), 'One/P9, edited']);
      expect(parses()).toBe(1);
      expect(listings()).toBe(1);
    });

    it('should read the settings again when a round ends', async () => {
      const { listings, tick } = await silentStore();
      content.write('_site.yml', 'title: Two\n');
      content.touch('_site.yml', -10);
      const seen: string[] = [];
      for (let s = 0; s < 10; s++) seen.push(await tick());
      expect(seen).toEqual([...Array(9).fill('One/P9'), 'Two/P9']);
      expect(listings()).toBe(1);
    });
  });

  it('should not look again without a change or a second passing, when polling', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    let clock = Date.UTC(2030, 0, 1);
    const parser = countingParser();
    const store = new ContentStore({
      contentDir: content.dir,
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      now: () => clock,
      parse: parser.parse,
    });
    await store.view();
    const parses = parser.count();
    content.post('a.md', { title: 'After', publish_date: '2024-01-01' });
    content.touch('a.md', -10); // saved 10 s ago: settled, read as written (SETTLE_MS)
    expect((await store.view()).posts[0]!.title).toBe('Before');
    clock += 1000;
    expect((await store.view()).posts[0]!.title).toBe('After');
    expect(parser.count()).toBe(parses + 1);
  });

  it('should read an article whose file changed again on its next request, when polling, before a second has passed', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    content.post('b.md', { title: 'Other', publish_date: '2024-01-02' });
    const clock = Date.UTC(2030, 0, 1);
    const parser = countingParser();
    const store = new ContentStore({
      contentDir: content.dir,
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      now: () => clock,
      parse: parser.parse,
    });
    await store.view();
    const parses = parser.count();
    content.post('a.md', { title: 'After, a longer title', publish_date: '2024-01-01' });
    expect((await store.getPost('a'))?.title).toBe('After, a longer title');
    expect((await store.view()).posts.map((p) => p.title)).toEqual(['Other', 'After, a longer title']);
    expect(parser.count()).toBe(parses + 1);
  });
});

describe('CONTENT_WATCH in the app', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('with watch, the index shows the title edited in place 60 ms (of clock) later, once the watch names the file', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    let clock = Date.UTC(2030, 0, 1);
    const app = testApp(content, { contentWatch: 'watch' }, { now: () => clock });
    try {
      expect((await request(app).get('/')).text).toContain('Before');
      content.post('a.md', { title: 'After', publish_date: '2024-01-01' });
      clock += 60;
      await eventually(async () => expect((await request(app).get('/')).text).toContain('After'));
    } finally {
      app.store.close();
    }
  });

  it('with poll, the index shows the title edited in place only once a second (of clock) has passed', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'Before', publish_date: '2024-01-01' });
    let clock = Date.UTC(2030, 0, 1);
    const app = testApp(content, { contentWatch: 'poll' }, { now: () => clock });
    try {
      expect((await request(app).get('/')).text).toContain('Before');
      content.post('a.md', { title: 'After', publish_date: '2024-01-01' });
      content.touch('a.md', -10); // saved 10 s ago: settled, read as written (SETTLE_MS)
      clock += 60;
      expect((await request(app).get('/')).text).toContain('Before');
      clock += 1000;
      expect((await request(app).get('/')).text).toContain('After');
    } finally {
      app.store.close();
    }
  });
});

describe('TurnStats', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should share one stat within a turn of the event loop and stat again in the next', async () => {
    content = new TempContent();
    const file = content.post('a.md', { title: 'A' });
    const stats = new TurnStats();
    const first = stats.get(file)!;
    writeFileSync(file, 'a longer text than before, so the size moves');
    expect(stats.get(file)).toBe(first);
    await nextTurn();
    await nextTurn();
    expect(stats.get(file)!.size).not.toBe(first.size);
  });

  it('should remember a missing file only for the turn', async () => {
    content = new TempContent();
    const file = path.join(content.dir, 'later.md');
    const stats = new TurnStats();
    expect(stats.get(file)).toBeUndefined();
    content.post('later.md', { title: 'Later' });
    expect(stats.get(file)).toBeUndefined();
    await nextTurn();
    await nextTurn();
    expect(stats.get(file)?.isFile()).toBe(true);
  });
});
