import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { parsePost } from '../../src/content/parse-post.js';
import { MAX_SLUG_LENGTH, parseName } from '../../src/content/slug.js';
import { testApp } from '../helpers/site.js';
import request from 'supertest';
import { runNew } from '../../src/cli/new-post.js';
import { runCli, runInProcess } from '../helpers/cli.js';
import { TempContent } from '../helpers/site.js';

describe('npm run new', () => {
  let content: TempContent;
  let env: Record<string, string>;
  beforeEach(() => {
    content = new TempContent();
    content.write('_site.yml', 'title: Site\nauthor: Jane Doe\ntimezone: Pacific/Kiritimati\n');
    env = { CONTENT_DIR: content.dir, SITE_URL: 'https://blog.example.com/' };
  });
  afterEach(() => content.cleanup());

  const today = (): string => DateTime.now().setZone('Pacific/Kiritimati').toISODate()!;

  it('should create content/<slug>.md as a draft and print its path and URL', async () => {
    const before = today();
    // The built script, as `npm run new` runs it; the other cases run its function in this process.
    const result = await runCli('new-post', ['Hello: "quoted" World'], { cwd: content.dir, env });
    const after = today();
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Created hello-quoted-world.md',
      'URL: https://blog.example.com/posts/hello-quoted-world (a draft: visible outside production until you set draft: false)',
      '',
    ]);
    const file = path.join(content.dir, 'hello-quoted-world.md');
    const parsed = parsePost(
      {
        file,
        relPath: 'hello-quoted-world.md',
        bundleDir: undefined,
        name: parseName('hello-quoted-world'),
        signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 0 },
        bytes: readFileSync(file),
      },
      { author: 'Nobody', timezone: 'Pacific/Kiritimati' },
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.post).toMatchObject({ title: 'Hello: "quoted" World', author: 'Jane Doe', draft: true, tags: [], slug: 'hello-quoted-world' });
    // Today in the site's zone (UTC+14 here), whichever side of midnight the run fell on.
    expect([before, after]).toContain(parsed.post.published.date);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^description: ""$/m);
    expect(text).toMatch(/^draft: true$/m);
  });

  it('should take a title of several words without quotes', async () => {
    const result = await runInProcess(runNew, ['My', 'first', 'post'], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(content.dir, 'my-first-post.md'))).toBe(true);
  });

  it('should create a page bundle with --bundle', async () => {
    const result = await runInProcess(runNew, ['Trip notes', '--bundle'], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created ${path.join('trip-notes', 'index.md')}`);
    expect(existsSync(path.join(content.dir, 'trip-notes', 'index.md'))).toBe(true);
  });

  it('should refuse to overwrite an existing post', async () => {
    content.write('my-post.md', "the author's words");
    const result = await runInProcess(runNew, ['My post'], { cwd: content.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('lede new: my-post.md already has the slug "my-post"; choose another title, or edit that post\n');
    expect(readFileSync(path.join(content.dir, 'my-post.md'), 'utf8')).toBe("the author's words");
  });

  it.each([
    ['a dated file name', '2020-01-01-my-post.md', '---\ntitle: Old\n---\n'],
    ['a `slug` field', 'other-name.md', '---\ntitle: Old\nslug: my-post\n---\n'],
    ['a page bundle', 'my-post/index.md', '---\ntitle: Old\n---\n'],
  ])('should refuse a slug already used through %s', async (_kind, relPath, text) => {
    content.write(relPath, text);
    const result = await runInProcess(runNew, ['My post'], { cwd: content.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${relPath} already has the slug "my-post"`);
    expect(existsSync(path.join(content.dir, 'my-post.md'))).toBe(false);
  });

  it('should explain its usage without a title', async () => {
    const result = await runInProcess(runNew, [], { cwd: content.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: lede new "Title of the post"/);
  });

  it('should refuse a title with nothing to make a URL from', async () => {
    const result = await runInProcess(runNew, ['!!!'], { cwd: content.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no letters or digits/);
  });

  describe('regressions (issue 19)', () => {
    it("should not write through a symlink planted at the bundle's name", async () => {
      const elsewhere = mkdtempSync(path.join(tmpdir(), 'lede-elsewhere-'));
      try {
        symlinkSync(elsewhere, path.join(content.dir, 'my-title'));
        const result = await runInProcess(runNew, ['My title', '--bundle'], { cwd: content.dir, env });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`lede new: my-title already exists (a symlink to ${elsewhere}, which is never written through)`);
        expect(readdirSync(elsewhere)).toEqual([]);
        expect(lstatSync(path.join(content.dir, 'my-title')).isSymbolicLink()).toBe(true);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it("should not write through a symlink planted at the post's file name", async () => {
      const elsewhere = mkdtempSync(path.join(tmpdir(), 'lede-elsewhere-'));
      try {
        symlinkSync(path.join(elsewhere, 'victim.md'), path.join(content.dir, 'my-title.md'));
        const result = await runInProcess(runNew, ['My title'], { cwd: content.dir, env });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('my-title.md already exists (a symlink to');
        expect(readdirSync(elsewhere)).toEqual([]);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('should use a folder the author made first for a bundle', async () => {
      content.write('my-title/photo.png', 'not really a png');
      const result = await runInProcess(runNew, ['My title', '--bundle'], { cwd: content.dir, env });
      expect(result.code).toBe(0);
      expect(existsSync(path.join(content.dir, 'my-title', 'index.md'))).toBe(true);
    });

    it('should refuse a title whose slug is over the limit, and create one at the limit that the server serves', async () => {
      const long = await runInProcess(runNew, ['word '.repeat(50)], { cwd: content.dir, env });
      expect(long.code).toBe(1);
      expect(long.stderr).toBe(
        `lede new: the title gives a slug of 249 characters, over the limit of ${MAX_SLUG_LENGTH}; choose a shorter title (you can change the title in the file afterwards, the URL stays)\n`,
      );
      expect(readdirSync(content.dir)).toEqual(['_site.yml']);

      const title = 'x'.repeat(MAX_SLUG_LENGTH);
      const made = await runInProcess(runNew, [title], { cwd: content.dir, env });
      expect(made.code).toBe(0);
      // Dated today in UTC+14: look from two days ahead, so it is published wherever the test runs.
      const reply = await request(testApp(content, {}, { now: () => Date.now() + 2 * 86_400_000 })).get(`/posts/${title}`);
      expect(reply.status).toBe(200);
    });
  });
});
