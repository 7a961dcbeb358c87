/**
 * Posts laid out as other generators lay them out (issue 15): sub-folders at
 * any depth, bundles whose markdown has another name, Hexo asset folders,
 * `.markdown`/`.mdx` files; `pages/` and `static/` reserved (docs/pages-and-static-files.md).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { formatContentError } from '../../src/content/post.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';
import { gradientPng } from '../helpers/png.js';

/** A real (tiny) PNG: an image whose header cannot be read is shown as a link, not an <img>. */
const PNG = gradientPng(8, 6);

describe('folders of posts', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('top.md', { title: 'Top', date: '2024-01-01' });
    content.post('2023/in-a-year.md', { title: 'In a year', date: '2023-05-01' });
    content.post('inside-rust/deep/deeper/nested.markdown', { title: 'Nested', date: '2023-06-01' });
    content.post('blog/fourthpost/fourthpost.md', { title: 'Named after its folder', date: '2023-07-01' }, '![p](possum.png)\n');
    content.write('blog/fourthpost/possum.png', PNG);
    content.post('blog/gallery/story.md', { title: 'One file beside images', date: '2023-08-01' }, '![a](a.png)\n');
    content.write('blog/gallery/a.png', PNG);
    content.post('2014-07-13-hexo-post.md', { title: 'Hexo asset folder', date: '2014-07-13' }, '![c](console.png)\n');
    content.write('2014-07-13-hexo-post/console.png', PNG);
    content.post('2014-07-13-hexo-post/old/notes.md', { title: 'Deep in an asset folder' });
    content.post('talk.mdx', { title: 'MDX talk', date: '2023-09-01' });
    content.post('pages/about.md', { title: 'About' });
    content.write('static/logo.png', PNG);
    content.post('twins/same.md', { title: 'Twin A', date: '2023-01-01' });
    content.post('other/same.md', { title: 'Twin B', date: '2023-01-01' });
    content.write('_posts/2013-01-01-hidden.md', '---\ntitle: Hidden\n---\n');
    content.write('notes.rst', 'Title\n=====\n');
    content.write('2023/.hidden-draft.md', '---\ntitle: Hidden draft\n---\n');
    // Found by the served-or-named property test: a broken post's asset folder still has its markdown named.
    content.write('broken-asset.md', '');
    content.write('broken-asset/deep/note.md', '---\n\n---\n\n');
    content.write('.git/HEAD.md', "a tool's file");
    content.post('trip/index.md', { title: 'Trip', date: '2023-02-01' });
    content.post('trip/index.fr.md', { title: 'Voyage', date: '2023-02-01' });
    content.write('2023/authors.yml', 'jo:\n  name: Jo\n');
    content.post('vault/index.md', { title: 'The vault', date: '2023-03-01' }, '![m](map.png)\n');
    content.write('vault/map.png', PNG);
    content.post('vault/first-note.md', { title: 'First note', date: '2023-03-02' });
    content.post('vault/topic/second-note.md', { title: 'Second note', date: '2023-03-03' });
    content.post('album/index.md', { title: 'Album', date: '2023-04-01' });
    content.post('album/raw/2019/old-caption.md', { title: 'Old caption' });
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    content.cleanup();
  });

  it.each([
    ['/posts/top', 'Top'],
    ['/posts/in-a-year', 'In a year'],
    ['/posts/nested', 'Nested'],
    ['/posts/fourthpost', 'Named after its folder'],
    ['/posts/gallery', 'One file beside images'],
    ['/posts/hexo-post', 'Hexo asset folder'],
    ['/posts/talk', 'MDX talk'],
  ])('should serve %s (the folder is not part of the slug)', async (url, title) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    expect(res.text).toContain(title);
  });

  it('should serve the files of bundles named otherwise, and of Hexo asset folders', async () => {
    expect((await request(app).get('/posts/fourthpost/possum.png')).status).toBe(200);
    expect((await request(app).get('/posts/gallery/a.png')).status).toBe(200);
    expect((await request(app).get('/posts/hexo-post/console.png')).status).toBe(200);
    expect((await request(app).get('/posts/fourthpost/fourthpost.md')).status).toBe(404);
    expect((await request(app).get('/posts/hexo-post')).text).toContain('src="/posts/hexo-post/console.png"');
  });

  it('should not read pages/ and static/ as folders of posts', async () => {
    expect((await request(app).get('/posts/about')).status).toBe(404);
    expect((await request(app).get('/')).text).not.toContain('About');
  });

  it('should serve the first of two posts with one slug at it, the other at its folder and slug, and name both files in check (issue 29)', async () => {
    expect((await request(app).get('/posts/same')).text).toContain('Twin B');
    expect((await request(app).get('/posts/twins-same')).status).toBe(200);
    const report = await checkContent(content.dir, 1 << 20);
    expect(report.notices.map(formatContentError)).toContain(
      'twins/same.md: has the slug "same", already used by other/same.md; it is served at /posts/twins-same instead (set `slug` to choose its address)',
    );
  });

  it('should name every markdown file it skips, and why', async () => {
    const report = await checkContent(content.dir, 1 << 20);
    expect(report.notices.map(formatContentError)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^_posts: is not read: folders starting with _ hold no posts/),
        expect.stringMatching(/^notes\.rst: is not markdown \(\.rst\)/),
        '2023/.hidden-draft.md: is not a post: names starting with . are hidden, and not read; rename it to publish it',
        expect.stringMatching(/^broken-asset\/deep\/note\.md: is not a post: it is in a sub-folder of the bundle of broken-asset\.md/),
        expect.stringMatching(/^album\/raw\/2019\/old-caption\.md: is not a post: it is in a sub-folder of the bundle of album\/index\.md/),
        // Found by test/property/served-or-named.test.ts: named at its own path, not the post's folder's.
        expect.stringMatching(/^2014-07-13-hexo-post\/old\/notes\.md: is not a post: it is in a sub-folder of the bundle of 2014-07-13-hexo-post\.md/),
        expect.stringMatching(/^2023\/authors\.yml: is not read: the authors file is read at the top of the content folder only/),
      ]),
    );
    // A hidden folder is a tool's (.git, .obsidian): not looked into, not named.
    expect(report.notices.map(formatContentError).filter((line) => line.startsWith('.git'))).toEqual([]);
  });

  it("should read a folder whose index.md has notes beside it as a section: the page at the folder's slug, each note a post (issue 29)", async () => {
    for (const [url, title] of [
      ['/posts/vault', 'The vault'],
      ['/posts/first-note', 'First note'],
      ['/posts/second-note', 'Second note'],
      ['/posts/trip', 'Trip'],
      ['/posts/index-fr', 'Voyage'],
    ]) {
      const res = await request(app).get(url!);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.text).toContain(title);
    }
    // The section's page keeps its images beside it, as a bundle does.
    expect((await request(app).get('/posts/vault')).text).toContain('src="/posts/vault/map.png"');
    expect((await request(app).get('/posts/vault/map.png')).status).toBe(200);
    expect((await request(app).get('/posts/vault/first-note.md')).status).toBe(404);
  });

  it('should serve a post added to a sub-folder at once, and list it within a second', async () => {
    await request(app).get('/').expect(200);
    content.post('2023/added-later.md', { title: 'Added later', date: '2023-10-01' });
    expect((await request(app).get('/posts/added-later')).status).toBe(200);
    await eventually(async () => expect((await request(app).get('/')).text).toContain('Added later'));
  });
});

describe('authors.yml', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.write('authors.yml', 'jo:\n  name: Jo Writer\n');
    content.write('post.md', '---\ntitle: Post\nauthors: [jo, Guest]\n---\nText.\n');
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    content.cleanup();
  });

  it('should name authors by their key, and follow an edit of the file without a restart', async () => {
    expect((await request(app).get('/posts/post')).text).toMatch(/Jo Writer<\/a> and <a[^>]*>Guest</);
    content.write('authors.yml', 'jo:\n  name: Joanna Writer\n  title: Editor\n');
    await eventually(async () => expect((await request(app).get('/posts/post')).text).toContain('Joanna Writer'));
    expect((await request(app).get('/authors/joanna-writer')).text).toContain('Editor');
  });

  it('should report a broken authors.yml', async () => {
    content.write('authors.yml', 'jo: [unclosed\n');
    await eventually(async () => expect((await request(app).get('/healthz')).body.errors).toBe(1));
  });
});
