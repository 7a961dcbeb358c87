import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/cli/check.js';
import { runCli, runInProcess, type RunResult } from '../helpers/cli.js';
import { gradientPng, TINY_JPEG } from '../helpers/png.js';
import { TempContent } from '../helpers/site.js';

/** What check says of a post dated by its file's modification time (issue 29). */
const NO_DATE = "has no date (no `date` field, none in its file or folder name); the file's modification time is its date until you add one";

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
      // The built script, as `npm run check` runs it; the other cases run its function in this process.
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
        'bad-date.md:3: field `publish_date`: "someday" is not a date; write it as YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] with an optional offset (+02:00, +0200, Z), ISO 8601, RFC 2822 ("Mon, 09 Sep 2024 04:38:21 +0000"), JavaScript\'s ("Mon Sep 09 2024 04:38:21 GMT+0000"), or "Dec 15, 2019"',
        'bad-tags.md:3: field `tags`: expected a list or text, got the number 3',
        'empty-title.md: has no title (no `title` field, no `# heading`); its file name gives it: "Empty title"',
        `empty-title.md: ${NO_DATE}`,
        'empty.md: is empty; write some text in it to make it a post',
        `hero/index.md: ${NO_DATE}`,
        'hero/index.md:3: field `heroImage`: image "../up.jpg" points outside the post\'s folder; only files beside index.md are served, so it is left out',
        'huge.md: is 3 KB, over the 2 KB limit for a post (MAX_POST_BYTES); split it or shrink it',
        'latin1.md: is not UTF-8 text; save it with UTF-8 encoding',
        'leak.md: is a symlink to a place outside the content folder; it is not followed',
        `math.md: ${NO_DATE}`,
        "math.md:8: formula $\\frac{1}{$ is shown as source: KaTeX parse error: Unexpected end of input in a macro argument, expected '}' at end of input: \\frac{1}{",
        'no-title.md: has no title (no `title` field, no `# heading`); its file name gives it: "No title"',
        `no-title.md: ${NO_DATE}`,
        `plain.md: ${NO_DATE}`,
        'plain.md:1: has no `title` field; its first heading is the title: "No frontmatter"',
        `single.md: ${NO_DATE}`,
        'single.md:5: image "photo.jpg" does not exist: tried photo.jpg',
        `trip/index.md: ${NO_DATE}`,
        'trip/index.md:3: alias /posts/good is the address of good.md; the post is served there, the alias is ignored',
        'trip/index.md:5: image "missing.png" does not exist: tried trip/missing.png',
        'twin.md:3: has the slug "good", already used by good.md; only good.md is served',
        'unclosed.md:1: the frontmatter is not closed; add a line `---` after it',
        'yaml.md:3: broken YAML in the frontmatter: a list [ or a mapping { is opened and never closed (or a comma is missing in it)',
      ]);
    });

    it('should end with a one-line summary', () => {
      expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^✖ 16 problems in 14 files; 8 posts read from \.; 10 notices above \(\d+\.\d\d s\)$/);
    });
  });

  describe('on a folder with no problems', () => {
    const content = new TempContent();
    afterAll(() => content.cleanup());

    it('should exit 0 and say so in one line', async () => {
      content.write('_site.yml', 'title: Site\ntimezone: Europe/Paris\n');
      content.post('one.md', { title: 'One', publish_date: '2024-01-01' });
      content.post('two.md', { title: 'Two', draft: true, date: '2024-01-03' });
      content.post('later.md', { title: 'Later', publish_date: '2999-01-01' });
      content.write('pics/index.md', '---\ntitle: Pics\nheroImage: cover.jpg\ndate: 2024-01-04\n---\n![a](a.png) [site](/about) [web](https://e.com)\n');
      content.write('pics/a.png', gradientPng(4, 4));
      content.post('sums.md', { title: 'Sums', publish_date: '2024-01-02' }, 'From $5 to $10: $\\sum_i x_i$ and\n\n$$\n\\int_0^1 x\\,dx\n$$\n');
      content.write('pics/cover.jpg', TINY_JPEG);
      const result = await runInProcess(runCheck, [], { cwd: content.dir, env: { CONTENT_DIR: content.dir } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^✔ no problems: 5 posts \(1 draft, 1 scheduled\) in \. \(\d+\.\d\d s\)\n$/);
    });
  });

  it('should read a relative folder, and print paths, from where npm run was typed (INIT_CWD)', async () => {
    const content = new TempContent();
    content.write('sub/bad.md', '---\ntitle: [x\n---\n');
    const result = await runInProcess(runCheck, ['sub'], { cwd: '/', env: { INIT_CWD: content.dir } });
    content.cleanup();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toMatch(/^sub\/bad\.md:2: broken YAML/);
  });

  it('should count standalone pages in its summary', async () => {
    const content = new TempContent();
    content.post('one.md', { title: 'One', publish_date: '2024-01-01' });
    content.post('pages/about.md', { title: 'About' });
    const result = await runInProcess(runCheck, [], { cwd: content.dir, env: { CONTENT_DIR: content.dir } });
    content.cleanup();
    expect(result.stdout).toMatch(/^✔ no problems: 1 post, 1 page in \. \(\d+\.\d\d s\)\n$/);
  });

  it('should exit 2 when the folder does not exist', async () => {
    const result = await runInProcess(runCheck, ['/nonexistent/lede-content'], { cwd: '/' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lede check: \/nonexistent\/lede-content is not a folder/);
  });

  it('should print notices and one line of ignored keys for copied posts, and still exit 0 (issue 15)', async () => {
    const content = new TempContent();
    content.write(
      '2013-05-06-a.markdown',
      '---\nlayout: post\ntitle: A\ndate: 2013-05-06 02:12:52 +0200\n---\n\nText {% include x.html %}.\n\n<iframe src="https://e.com/v" />\n\nMore.\n',
    );
    content.write('b.md', '---\nlayout: post\ncomments: true\ntitle: B\n---\nText.\n');
    content.write('_index.md', '---\ntitle: Section\n---\n');
    const result = await runInProcess(runCheck, [content.dir], { cwd: content.dir });
    content.cleanup();
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      '2013-05-06-a.markdown:7: Liquid tag {% include %} is shown as text (Lede runs no templates); remove it or replace it with markdown',
      '2013-05-06-a.markdown:9: <iframe> removed with its content (not allowed); set raw_html or use a link',
      '_index.md: is not a post (a section page of Hugo or Zola): names starting with _ are not read',
      `b.md: ${NO_DATE}`,
      'keys ignored (passed to templates only): layout (2 files), comments (1 file)',
      expect.stringMatching(/^✔ no problems: 2 posts in \.; 4 notices above \(\d+\.\d\d s\)$/),
    ]);
  });

  describe('regressions (issue 19)', () => {
    const content = new TempContent();
    const long = `/${'a'.repeat(260)}`;
    let result: RunResult;
    beforeAll(async () => {
      content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
      content.post(`${'x'.repeat(230)}.md`, { title: 'Long name' });
      content.post('long-field.md', { title: 'Long field', slug: 'y'.repeat(201) });
      content.write(
        'other.md',
        `---\ntitle: Other\naliases: [/404.html, /index.html, /.lede-export, /posts/Hello, ${long}, /fine, /feed.xml]\ndate: 2024-01-02\n---\n`,
      );
      execFileSync('mkfifo', [`${content.dir}/pipe.md`]);
      symlinkSync('missing.md', `${content.dir}/gone.md`);
      content.write('trip/index.md', '---\ntitle: Trip\ndate: 2024-01-03\n---\n');
      symlinkSync('nowhere.png', `${content.dir}/trip/pic.png`);
      content.write('trip/Photo.png', 'one');
      content.write('trip/photo.png', 'another');
      result = await runInProcess(runCheck, [content.dir], { cwd: content.dir });
    });
    afterAll(() => content.cleanup());

    it('should name slugs over the limit, aliases an export cannot write, special files and dangling symlinks', () => {
      expect(result.stdout.trimEnd().split('\n').slice(0, -1)).toEqual([
        'gone.md: is a symlink to missing.md, which does not exist; it is left out',
        'long-field.md:3: field `slug` ("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…") gives a slug of 201 characters, over the limit of 200',
        'other.md:3: alias /feed.xml is an address of the site itself (the RSS feed); that answers first, the alias is ignored',
        "other.md:3: alias /.lede-export cannot be written by `npm run export`: it needs a folder .lede-export/, but that is the export's own file .lede-export; the server redirects it, a static export leaves it out",
        "other.md:3: alias /404.html cannot be written by `npm run export`: it needs a folder 404.html/, but that is the export's own file 404.html; the server redirects it, a static export leaves it out",
        `other.md:3: alias ${long.slice(0, 77)}... cannot be written by \`npm run export\`: its segment "${'a'.repeat(24)}…" is 260 bytes long, and a file name holds at most 252 (255 with the .gz beside it); the server redirects it, a static export leaves it out`,
        'other.md:3: alias /index.html cannot be written by `npm run export`: it needs a folder index.html/, but that is index.html, the file of /; the server redirects it, a static export leaves it out',
        'other.md:3: alias /posts/Hello cannot be written by `npm run export`: its file posts/Hello/index.html differs only in case from posts/hello/index.html, the file of /posts/hello, and many file systems and hosts take the two names for one; the server redirects it, a static export leaves it out',
        'pipe.md: is a FIFO, not a regular file; only regular files are posts',
        'trip/index.md: file /posts/trip/photo.png cannot be written by `npm run export`: its file posts/trip/photo.png differs only in case from posts/trip/Photo.png, the file of /posts/trip/Photo.png, and many file systems and hosts take the two names for one; the server serves it, a static export leaves it out',
        'trip/pic.png: is a symlink to nowhere.png, which does not exist; it is left out',
        `${'x'.repeat(230)}.md: the file name gives a slug of 230 characters, over the limit of 200; rename it or set a \`slug\``,
      ]);
      expect(result.code).toBe(1);
    });
  });
});
