/**
 * `lede init <folder>`: a new blog from the package's scaffold, only into a
 * new or empty folder (src/cli/init.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { packageNameOf, scaffoldBlog } from '../../src/cli/init.js';
import { CommandError } from '../../src/command-exit.js';
import { ContentStore } from '../../src/content/store.js';

describe('lede init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should write the blog, its welcome post dated the day given, and nothing else', () => {
    const blog = path.join(dir, 'My Blog');
    const files = scaffoldBlog(blog, DateTime.fromISO('2026-03-04'));
    expect(files).toEqual(['.gitignore', 'README.md', 'content/_site.yml', 'content/welcome.md', 'package.json']);
    expect(JSON.parse(readFileSync(path.join(blog, 'package.json'), 'utf8'))).toMatchObject({ name: 'my-blog', private: true });
    expect(readFileSync(path.join(blog, 'content', 'welcome.md'), 'utf8')).toMatch(/^publish_date: "2026-03-04"$/m);
    expect(readFileSync(path.join(blog, 'README.md'), 'utf8')).toMatch(/^# My Blog$/m);
  });

  it('should write a welcome post that the server reads without a problem', async () => {
    const blog = path.join(dir, 'blog');
    scaffoldBlog(blog, DateTime.fromISO('2026-03-04'));
    const store = new ContentStore({
      contentDir: path.join(blog, 'content'),
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      now: () => Date.parse('2026-03-05'),
    });
    const view = await store.view();
    expect(view.errorCount).toBe(0);
    expect(view.posts.map((p) => p.title)).toEqual(['Welcome to your blog']);
    store.close();
  });

  it('should refuse a folder that holds anything, and a file, changing nothing', () => {
    const full = path.join(dir, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'notes.txt'), 'mine');
    expect(() => scaffoldBlog(full)).toThrow(CommandError);
    expect(readdirSync(full)).toEqual(['notes.txt']);
    expect(() => scaffoldBlog(path.join(full, 'notes.txt'))).toThrow(/is a file/);
  });

  it('should accept an empty folder', () => {
    expect(scaffoldBlog(dir)).toContain('content/welcome.md');
  });

  it.each([
    ['My Blog', 'my-blog'],
    ['_blog', 'blog'],
    ['Блог', 'my-blog'],
    ['a.b~c', 'a.b~c'],
  ])('should make an npm package name of %s', (folder, name) => {
    expect(packageNameOf(folder)).toBe(name);
  });
});
