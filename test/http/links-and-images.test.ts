import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { gradientPng } from '../helpers/png.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

const PNG = gradientPng(2, 2);

/** The article, without the page around it. */
function refsOfBody(html: string): string {
  return html.slice(html.indexOf('<article'), html.indexOf('</article>'));
}

/** The `src` of every <img> and the `href` of every <a> in the article's body. */
function refsOf(html: string): { src: string[]; href: string[] } {
  const body = refsOfBody(html);
  return {
    src: [...body.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/g)].map((m) => m[1]!),
    href: [...body.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => m[1]!),
  };
}

async function loads(app: LedeApp, url: string): Promise<void> {
  const res = await request(app).get(url);
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
}

describe('links and images resolve as on GitHub', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    // A single-file post in a sub-folder, its image in a folder beside that folder.
    content.post(
      '2020/post.md',
      { title: 'In a folder', publish_date: '2020-01-01' },
      '![x](../images/x.png)\n\n[next](../2020-01-05-next.md) and [part](other.md#section)\n',
    );
    content.write('images/x.png', PNG);
    content.post('2020/hero.md', { title: 'Hero', publish_date: '2020-01-03', heroImage: '../images/x.png' }, 'Text.\n');
    content.post('2020-01-05-next.md', { title: 'Next', publish_date: '2020-01-05' }, 'The next one.\n');
    content.post('2020/other.md', { title: 'Other', publish_date: '2020-01-06' }, '## Section\n\ntext\n');
    // A site-wide path: Jekyll's `/assets/`.
    content.post('site-path.md', { title: 'Site path', publish_date: '2020-02-01' }, '![a](/assets/images/a.png)\n');
    content.write('static/assets/images/a.png', PNG);
    // Hexo's asset folder.
    content.post('hexo.md', { title: 'Hexo', publish_date: '2020-03-01' }, '![one](one.png) ![two](hexo/two.png)\n');
    content.write('hexo/one.png', PNG);
    content.write('hexo/two.png', PNG);
    // A page bundle in pages/.
    content.post('pages/colophon/index.md', { title: 'Colophon' }, '![logo](logo.png)\n');
    content.write('pages/colophon/logo.png', PNG);
    // Raw HTML with a `>` in a quoted value.
    content.post('html.md', { title: 'Html', publish_date: '2020-04-01' }, '<img alt="1 > 0" src="./pic.png">\n');
    content.write('pic.png', PNG);
    // Wikilinks and embeds.
    content.post(
      'notes/wiki.md',
      { title: 'Wiki', publish_date: '2020-05-01' },
      'See [[Idea]], [[Idea|the idea]], [[Idea#First Part]] and [[Nowhere|a lost note]].\n\n![[diagram.png]] ![[diagram.png|300]]\n',
    );
    content.post('notes/deep/idea.md', { title: 'An idea', publish_date: '2020-05-02' }, '## First Part\n\ntext\n');
    content.write('attachments/diagram.png', PNG);
    // Names as cameras, screenshots and other languages write them.
    content.post('names.md', { title: 'Names', publish_date: '2020-07-01' }, '![s](<shots/Screen Shot (2).png>) ![e](shots/été.png)\n');
    content.write('shots/Screen Shot (2).png', PNG);
    content.write('shots/été.png', PNG);
    // A draft's bundle: its files are not published.
    content.post('secret/index.md', { title: 'Secret', publish_date: '2020-06-01', draft: true }, '![s](s.png)\n');
    content.write('secret/s.png', PNG);
    content.post('hidden.md', { title: 'Hidden', publish_date: '2020-06-02', draft: true }, '![h](h.png)\n');
    content.write('hidden/h.png', PNG);
    content.write('_drafts/d.png', PNG);
    content.write('.git/g.png', PNG);
    content.write('notes/page.html', '<script>alert(1)</script>');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('resolves an image in ../images from a post in a sub-folder, and serves it at its place', async () => {
    const page = await request(app).get('/posts/post');
    expect(page.status).toBe(200);
    expect(refsOf(page.text).src).toContain('/images/x.png');
    const image = await request(app).get('/images/x.png');
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    // The headers of bundle files: sandboxed, never sniffed.
    expect(image.headers['content-security-policy']).toContain('sandbox');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
  });

  it("resolves a single-file post's relative hero image from its folder too", async () => {
    const page = await request(app).get('/posts/hero');
    expect(refsOf(page.text).src).toContain('/images/x.png');
  });

  it("makes a link to another post's source file that post's address, fragment kept", async () => {
    const { href } = refsOf((await request(app).get('/posts/post')).text);
    expect(href).toContain('/posts/next');
    expect(href).toContain('/posts/other#section');
  });

  it('finds a site-root /assets/… path in content/static/', async () => {
    expect(refsOf((await request(app).get('/posts/site-path')).text).src).toContain('/assets/images/a.png');
    await loads(app, '/assets/images/a.png');
  });

  it("loads a Hexo post's images from its asset folder, written as x.png or post/x.png", async () => {
    const { src } = refsOf((await request(app).get('/posts/hexo')).text);
    expect(src).toEqual(['/posts/hexo/one.png', '/posts/hexo/two.png']);
    for (const url of src) await loads(app, url);
  });

  it('loads an image beside a page bundle in content/pages/', async () => {
    const page = await request(app).get('/colophon');
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/pages/colophon/logo.png"');
    await loads(app, '/pages/colophon/logo.png');
  });

  it('rewrites raw HTML whose quoted attribute holds a >', async () => {
    const page = await request(app).get('/posts/html');
    expect(page.text).toContain('src="/pic.png"');
    await loads(app, '/pic.png');
  });

  it('renders wikilinks as links and embeds as images, found by name anywhere; an unresolved one as its label', async () => {
    const page = await request(app).get('/posts/wiki');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/posts/idea">Idea</a>');
    expect(page.text).toContain('<a href="/posts/idea">the idea</a>');
    expect(page.text).toContain('<a href="/posts/idea#first-part">Idea &gt; First Part</a>');
    expect(page.text).toContain('and a lost note.');
    expect(refsOfBody(page.text)).not.toContain('[[');
    const { src } = refsOf(page.text);
    expect(src).toEqual(['/attachments/diagram.png', '/attachments/diagram.png']);
    expect(page.text).toMatch(/<img src="\/attachments\/diagram.png" alt="diagram" width="300"/);
    await loads(app, '/attachments/diagram.png');
  });

  it('serves names with spaces, brackets and letters of any script, percent-encoded', async () => {
    const { src } = refsOf((await request(app).get('/posts/names')).text);
    expect(src).toEqual(['/shots/Screen%20Shot%20(2).png', '/shots/%C3%A9t%C3%A9.png']);
    for (const url of src) await loads(app, url);
  });

  it("does not publish a draft's files, and serves no markdown source", async () => {
    expect((await request(app).get('/secret/s.png')).status).toBe(404);
    // A Hexo draft's asset folder, a folder starting with _ or ., a file that is not media.
    for (const url of ['/hidden/h.png', '/_drafts/d.png', '/.git/g.png', '/notes/page.html']) {
      expect({ url, status: (await request(app).get(url)).status }).toEqual({ url, status: 404 });
    }
    expect((await request(app).get('/2020/post.md')).status).toBe(404);
  });
});

describe("Lede's own files", () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    content.write('static/assets/mine.png', PNG);
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('are linked and served at /_lede/', async () => {
    const page = await request(app).get('/posts/a');
    expect(page.text).toMatch(/href="\/_lede\/style-[0-9a-f]{10}\/style\.css"/);
    const css = await request(app).get('/_lede/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it("still answer at /assets/ where the writer has no file, and yield to the writer's", async () => {
    const css = await request(app).get('/assets/style.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const mine = await request(app).get('/assets/mine.png');
    expect(mine.status).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect((await request(app).get('/assets/nothing.css')).status).toBe(404);
  });
});

describe('a link to a note written later', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('first.md', { title: 'First', publish_date: '2024-01-10' }, 'See [[Later]] and [the source](later.md).\n');
    // Between them, so the new note is no neighbour of the page (whose change would make it again anyway).
    content.post('middle.md', { title: 'Middle', publish_date: '2024-01-05' });
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('becomes a link once the note is there, with no edit to the page that links it', async () => {
    const before = await request(app).get('/posts/first');
    expect(refsOf(before.text).href).not.toContain('/posts/later');
    content.post('later.md', { title: 'Later', publish_date: '2024-01-01' });
    await eventually(async () => {
      const { href } = refsOf((await request(app).get('/posts/first')).text);
      expect(href.filter((url) => url === '/posts/later')).toHaveLength(2);
    });
  });
});
