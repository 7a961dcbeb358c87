import { symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, type RunResult } from '../helpers/cli.js';
import { TempContent } from '../helpers/site.js';

describe('npm run check', () => {
  describe('on a folder with one example of each problem', () => {
    const content = new TempContent();
    let result: RunResult;
    beforeAll(async () => {
      content.write('_site.yml', 'title: Site\nposts_per_page: 0\ncolour: red\n');
      content.post('good.md', { title: 'Good', publish_date: '2024-01-01' });
      content.write('yaml.md', '---\ntitle: x\nauthor: [unclosed\n---\n');
      content.write('no-title.md', '---\nauthor: me\n---\n');
      content.write('empty-title.md', '---\ntitle: ""\n---\n');
      content.write('bad-date.md', '---\ntitle: x\npublish_date: someday\n---\n');
      content.write('bad-tags.md', '---\ntitle: x\ntags: 3\n---\n');
      content.write('latin1.md', Buffer.from('---\ntitle: caf\xe9\n---\n', 'latin1'));
      content.write('empty.md', '');
      content.write('plain.md', '# No frontmatter\n');
      content.write('unclosed.md', '---\ntitle: x\n');
      content.write('huge.md', `---\ntitle: x\n---\n${'a'.repeat(3000)}`);
      content.post('twin.md', { title: 'Twin', slug: 'good' });
      writeFileSync(`${content.dir}-outside.md`, '---\ntitle: Outside\n---\n');
      symlinkSync(`${content.dir}-outside.md`, `${content.dir}/leak.md`);
      content.write('trip/index.md', '---\ntitle: Trip\naliases: [good]\n---\n![a](missing.png) ![b](../good.md)\n');
      content.write('hero/index.md', '---\ntitle: Hero\nheroImage: "../up.jpg"\n---\n');
      content.write('single.md', '---\ntitle: Single\n---\n\n![x](photo.jpg)\n');
      content.write('math.md', '---\ntitle: Math\n---\n\nIt costs $5 and $10; $x^2$ is fine.\n\nBut\n$\\frac{1}{$ is not.\n');
      result = await runCli('check', [content.dir], { cwd: content.dir, env: { MAX_POST_BYTES: '2048' } });
    });
    afterAll(() => {
      rmSync(`${content.dir}-outside.md`, { force: true });
      content.cleanup();
    });

    it('should exit 1', () => expect(result.code).toBe(1));

    it('should print each problem as path:line: message, sorted by file', () => {
      expect(result.stdout.trimEnd().split('\n').slice(0, -1)).toEqual([
        '_site.yml:2: field `posts_per_page` must be at least 1, got the number 0',
        '_site.yml:3: unknown field `colour`',
        'bad-date.md:3: field `publish_date`: "someday" is not a date; write it as YYYY-MM-DD',
        'bad-tags.md:3: field `tags`: expected a list or text, got the number 3',
        'empty-title.md:2: field `title` must not be empty',
        'empty.md: is empty; a post needs frontmatter with at least a title',
        'hero/index.md:3: field `heroImage`: image "../up.jpg" points outside the post\'s folder; only files beside index.md are served, so it is left out',
        'huge.md: is 3 KB, over the 2 KB limit for a post (MAX_POST_BYTES); split it or shrink it',
        'latin1.md: is not UTF-8 text; save it with UTF-8 encoding',
        'leak.md: is a symlink to a place outside the content folder; it is not followed',
        "math.md:8: formula $\\frac{1}{$ is shown as source: KaTeX parse error: Unexpected end of input in a macro argument, expected '}' at end of input: \\frac{1}{",
        'no-title.md:1: field `title` is required',
        'plain.md:1: has no frontmatter; start the file with a line `---`, then `title: ...`, then `---`',
        'single.md:5: image "photo.jpg" is relative, but the post is a single file; make it a page bundle (single/index.md with the image beside it) or use a full URL',
        'trip/index.md:3: alias /posts/good is the address of good.md; the post is served there, the alias is ignored',
        'trip/index.md:5: image "missing.png" does not exist in trip/',
        'trip/index.md:5: image "../good.md" points outside the post\'s folder; only files beside index.md are served, so it is left out',
        'twin.md:3: has the slug "good", already used by good.md; only good.md is served',
        'unclosed.md:1: the frontmatter is not closed; add a line `---` after it',
        'yaml.md:3: broken YAML in the frontmatter: a list [ or a mapping { is opened and never closed (or a comma is missing in it)',
      ]);
    });

    it('should end with a one-line summary', () => {
      expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^✖ 20 problems in 17 files; 5 posts read from \. \(\d+\.\d\d s\)$/);
    });
  });

  describe('on a folder with no problems', () => {
    const content = new TempContent();
    afterAll(() => content.cleanup());

    it('should exit 0 and say so in one line', async () => {
      content.write('_site.yml', 'title: Site\ntimezone: Europe/Paris\n');
      content.post('one.md', { title: 'One', publish_date: '2024-01-01' });
      content.post('two.md', { title: 'Two', draft: true });
      content.post('later.md', { title: 'Later', publish_date: '2999-01-01' });
      content.write('pics/index.md', '---\ntitle: Pics\nheroImage: cover.jpg\n---\n![a](a.png) [site](/about) [web](https://e.com)\n');
      content.write('pics/a.png', 'png');
      content.post('sums.md', { title: 'Sums', publish_date: '2024-01-02' }, 'From $5 to $10: $\\sum_i x_i$ and\n\n$$\n\\int_0^1 x\\,dx\n$$\n');
      content.write('pics/cover.jpg', 'jpg');
      const result = await runCli('check', [], { cwd: content.dir, env: { CONTENT_DIR: content.dir } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^✔ no problems: 5 posts \(1 draft, 1 scheduled\) in \. \(\d+\.\d\d s\)\n$/);
    });
  });

  it('should read a relative folder, and print paths, from where npm run was typed (INIT_CWD)', async () => {
    const content = new TempContent();
    content.write('sub/bad.md', '---\ntitle: [x\n---\n');
    const result = await runCli('check', ['sub'], { cwd: '/', env: { INIT_CWD: content.dir } });
    content.cleanup();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toMatch(/^sub\/bad\.md:2: broken YAML/);
  });

  it('should count standalone pages in its summary', async () => {
    const content = new TempContent();
    content.post('one.md', { title: 'One', publish_date: '2024-01-01' });
    content.post('pages/about.md', { title: 'About' });
    const result = await runCli('check', [], { cwd: content.dir, env: { CONTENT_DIR: content.dir } });
    content.cleanup();
    expect(result.stdout).toMatch(/^✔ no problems: 1 post, 1 page in \. \(\d+\.\d\d s\)\n$/);
  });

  it('should exit 2 when the folder does not exist', async () => {
    const result = await runCli('check', ['/nonexistent/lede-content'], { cwd: '/' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lede check: \/nonexistent\/lede-content is not a folder/);
  });
});
