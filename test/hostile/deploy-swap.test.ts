/**
 * Deploys that swap the content folder: a `CONTENT_DIR` symlink moved to a
 * new release, or a folder that is missing for a moment while a new copy
 * takes its place. The server keeps answering with the last good pages,
 * never a 5xx, picks the new folder up within a second, and logs the gap.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { createApp, type LedeApp } from '../../src/app.js';
import { eventually, testConfig } from '../helpers/site.js';
import { watchEventLoop } from '../helpers/loop-watch.js';

function writeRelease(dir: string, posts: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [slug, title] of Object.entries(posts))
    writeFileSync(path.join(dir, `${slug}.md`), `---\ntitle: ${title}\npublish_date: 2024-01-01\n---\nText of ${title}.\n`);
}

async function writeReleaseAsync(dir: string, posts: Record<string, string>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [slug, title] of Object.entries(posts))
    await writeFile(path.join(dir, `${slug}.md`), `---\ntitle: ${title}\npublish_date: 2024-01-01\n---\nText of ${title}.\n`);
}

/** Requests these paths over and over until stopped, collecting every status. */
function hammer(app: LedeApp, paths: string[]): { stop: () => Promise<number[]> } {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) for (const p of paths) statuses.push((await request(app).get(p)).status);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return statuses;
    },
  };
}

for (const mode of ['watch', 'poll'] as const) {
  describe(`a content folder replaced by a deploy (CONTENT_WATCH=${mode})`, () => {
    watchEventLoop();
    let base: string;
    let logs: string[];
    let app: LedeApp;

    beforeEach(() => {
      base = mkdtempSync(path.join(tmpdir(), 'lede-deploy-'));
      logs = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
      writeRelease(path.join(base, 'releases', '1'), { a: 'Alpha one', shared: 'Shared one' });
      symlinkSync(path.join(base, 'releases', '1'), path.join(base, 'current'));
      app = createApp(testConfig(path.join(base, 'current'), { env: 'production', contentWatch: mode }), { logger });
    });

    afterEach(() => {
      app.store.close();
      rmSync(base, { recursive: true, force: true });
    });

    it('should follow a symlink swapped atomically to a new release within a second', async () => {
      expect((await request(app).get('/posts/a')).status).toBe(200);
      writeRelease(path.join(base, 'releases', '2'), { b: 'Beta two', shared: 'Shared two' });
      const load = hammer(app, ['/', '/posts/shared', '/healthz']);
      // ln -s releases/2 current.tmp && mv -T current.tmp current: one rename, never a missing link.
      symlinkSync(path.join(base, 'releases', '2'), path.join(base, 'current.tmp'));
      renameSync(path.join(base, 'current.tmp'), path.join(base, 'current'));
      await eventually(async () => {
        expect((await request(app).get('/posts/b')).status).toBe(200);
        expect((await request(app).get('/posts/shared')).text).toContain('Shared two');
      });
      expect((await request(app).get('/posts/a')).status).toBe(404);
      const statuses = await load.stop();
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(logs.join('')).toContain('new release');
    });

    it('should follow a swap to a release whose folder has the same mtime within a second', async () => {
      expect((await request(app).get('/posts/a')).status).toBe(200);
      const first = path.join(base, 'releases', '1');
      const second = path.join(base, 'releases', '2');
      writeRelease(second, { b: 'Beta two', shared: 'Shared two' });
      // A copy that keeps times (rsync -a, cp -p): only the real path tells the releases apart.
      const { atime, mtime } = statSync(first);
      utimesSync(second, atime, mtime);
      symlinkSync(second, path.join(base, 'current.tmp'));
      renameSync(path.join(base, 'current.tmp'), path.join(base, 'current'));
      await eventually(async () => expect((await request(app).get('/posts/b')).status).toBe(200));
      expect((await request(app).get('/posts/shared')).text).toContain('Shared two');
    });

    it('should keep answering while it reads a big new release, then show it whole', async () => {
      const release = path.join(base, 'releases', '3');
      // Written without holding the loop: the suite watches the loop for the server's sake.
      await writeReleaseAsync(release, Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, `Post ${i}`])));
      expect((await request(app).get('/healthz')).body).toMatchObject({ posts: 2 });
      symlinkSync(release, path.join(base, 'current.tmp'));
      renameSync(path.join(base, 'current.tmp'), path.join(base, 'current'));
      // Requests answered while the new release is read show the old one, whole; then the new one, whole.
      const seen = new Set<number>();
      await eventually(async () => {
        const { posts } = (await request(app).get('/healthz')).body as { posts: number };
        seen.add(posts);
        expect(posts).toBe(3000);
      });
      expect([...seen].every((n) => n === 2 || n === 3000)).toBe(true);
      expect(seen.has(2)).toBe(true);
      expect(logs.join('')).toContain('new release');
      expect((await request(app).get('/posts/p2999')).status).toBe(200);
    });

    it('should serve the last good pages while the folder is missing, and pick up the new one', async () => {
      const current = path.join(base, 'releases', '1');
      expect((await request(app).get('/posts/shared')).text).toContain('Shared one');
      const load = hammer(app, ['/', '/posts/shared', '/posts/a', '/healthz', '/feed.xml']);
      // A deploy that moves the folder away and puts a fresh copy in its place a moment later.
      renameSync(current, `${current}.old`);
      await eventually(async () => {
        await request(app).get('/healthz');
        expect(logs.join('')).toContain('the content folder is missing');
      });
      const during = await Promise.all(['/posts/shared', '/posts/a', '/', '/feed.xml'].map((p) => request(app).get(p)));
      expect(during.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(during[0]!.text).toContain('Shared one');
      writeRelease(`${current}.new`, { shared: 'Shared fresh' });
      renameSync(`${current}.new`, current);
      await eventually(async () => expect((await request(app).get('/posts/shared')).text).toContain('Shared fresh'));
      const statuses = await load.stop();
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      const log = logs.join('');
      expect(log).toContain('the content folder is missing');
      expect(log).toMatch(/the content folder is back after \d+ ms/);
    });
  });
}
