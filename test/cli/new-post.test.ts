import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { parsePost } from '../../src/content/parse-post.js';
import { parseName } from '../../src/content/slug.js';
import { runCli } from '../helpers/cli.js';
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
      { file, relPath: 'hello-quoted-world.md', bundleDir: undefined, name: parseName('hello-quoted-world'), signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 0 }, bytes: readFileSync(file) },
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
    const result = await runCli('new-post', ['My', 'first', 'post'], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(content.dir, 'my-first-post.md'))).toBe(true);
  });

  it('should create a page bundle with --bundle', async () => {
    const result = await runCli('new-post', ['Trip notes', '--bundle'], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created ${path.join('trip-notes', 'index.md')}`);
    expect(existsSync(path.join(content.dir, 'trip-notes', 'index.md'))).toBe(true);
  });

  it('should refuse to overwrite an existing post', async () => {
    content.write('my-post.md', 'the author\'s words');
    const result = await runCli('new-post', ['My post'], { cwd: content.dir, env });
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
    const result = await runCli('new-post', ['My post'], { cwd: content.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${relPath} already has the slug "my-post"`);
    expect(existsSync(path.join(content.dir, 'my-post.md'))).toBe(false);
  });

  it('should explain its usage without a title', async () => {
    const result = await runCli('new-post', [], { cwd: content.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: npm run new -- "Title of the post"/);
  });

  it('should refuse a title with nothing to make a URL from', async () => {
    const result = await runCli('new-post', ['!!!'], { cwd: content.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no letters or digits/);
  });
});
