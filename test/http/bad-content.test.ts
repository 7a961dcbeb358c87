import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

/** One broken file of each kind, the message it must give, and the line where one is known. */
interface Case {
  kind: string;
  write: (content: TempContent) => void;
  file: string;
  line: number | null;
  message: RegExp;
}

const cases: Case[] = [
  {
    kind: 'broken YAML',
    write: (c) => c.write('bad.md', '---\ntitle: x\nauthor: [unclosed\n---\nbody'),
    file: 'bad.md',
    line: 3,
    message: /^broken YAML in the frontmatter: /,
  },
  {
    kind: 'a date that is not a date',
    write: (c) => c.write('bad.md', '---\ntitle: x\npublish_date: someday\n---\n'),
    file: 'bad.md',
    line: 3,
    message: /^field `publish_date`: "someday" is not a date; write it as YYYY-MM-DD, YYYY-MM-DD HH:MM\[:SS\] with an optional offset .*JavaScript's/,
  },
  {
    kind: 'an impossible date',
    write: (c) => c.write('bad.md', '---\ntitle: x\ndate: 2024-02-30\n---\n'),
    file: 'bad.md',
    line: 3,
    message: /^field `date`: "2024-02-30" is not a date/,
  },
  {
    kind: 'tags of the wrong type',
    write: (c) => c.write('bad.md', '---\ntitle: x\ntags:\n  a: 1\n---\n'),
    file: 'bad.md',
    line: 3,
    message: /^field `tags`: expected a list or text, got a mapping$/,
  },
  {
    kind: 'a title of the wrong type',
    write: (c) => c.write('bad.md', '---\ntitle:\n  - a\n---\n'),
    file: 'bad.md',
    line: 2,
    message: /^field `title`: expected text, got a list$/,
  },
  {
    kind: 'draft as text',
    write: (c) => c.write('bad.md', '---\ntitle: x\ndraft: "yes"\n---\n'),
    file: 'bad.md',
    line: 3,
    message: /^field `draft`: expected true or false, got text "yes"$/,
  },
  {
    kind: 'a file that is not UTF-8',
    write: (c) => c.write('bad.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a])),
    file: 'bad.md',
    line: null,
    message: /^is not UTF-8 text; save it with UTF-8 encoding$/,
  },
  {
    kind: 'an empty file',
    write: (c) => c.write('bad.md', ''),
    file: 'bad.md',
    line: null,
    message: /^is empty; write some text in it to make it a post$/,
  },
  {
    kind: 'unclosed frontmatter',
    write: (c) => c.write('bad.md', '---\ntitle: x\n\nThe body, with no closing line.'),
    file: 'bad.md',
    line: 1,
    message: /^the frontmatter is not closed; add a line `---` after it$/,
  },
  {
    kind: 'a file over the size limit',
    write: (c) => c.write('bad.md', `---\ntitle: x\n---\n${'word '.repeat(600)}`),
    file: 'bad.md',
    line: null,
    message: /^is 3 KB, over the 2 KB limit for a post \(MAX_POST_BYTES\)/,
  },
  {
    kind: 'a symlink to a file outside the content folder',
    write: (c) => {
      const outside = `${c.dir}-outside.md`;
      writeFileSync(outside, '---\ntitle: Secret\n---\nSecret text.');
      symlinkSync(outside, `${c.dir}/bad.md`);
    },
    file: 'bad.md',
    line: null,
    message: /^is a symlink to a place outside the content folder; it is not followed$/,
  },
  { kind: 'a broken page bundle', write: (c) => c.write('bad/index.md', '---\ntitle: [x\n---\n'), file: 'bad/index.md', line: 2, message: /^broken YAML/ },
  {
    kind: 'a bad alias',
    write: (c) => c.write('bad.md', '---\ntitle: x\naliases: https://old.example.com/x\n---\n'),
    file: 'bad.md',
    line: 3,
    message: /^field `aliases`: alias "https:\/\/old\.example\.com\/x" is a full URL/,
  },
];

function site(c: Case): TempContent {
  const content = new TempContent();
  content.post('good-one.md', { title: 'Good one', publish_date: '2024-01-02' }, 'The first good post.');
  content.post('good-two.md', { title: 'Good two', publish_date: '2024-01-01' }, 'The second good post.');
  c.write(content);
  return content;
}

function cleanup(content: TempContent): void {
  rmSync(`${content.dir}-outside.md`, { force: true });
  content.cleanup();
}

describe.each(cases)('a post with $kind', (c) => {
  const settings = { site: { posts_per_page: 1 }, maxPostBytes: 2048 };
  const location = `${c.file}${c.line ? `:${c.line}` : ''}`;

  describe('outside production', () => {
    let content: TempContent;
    let app: LedeApp;
    beforeAll(() => {
      content = site(c);
      app = testApp(content, { ...settings, env: 'development' });
    });
    afterAll(() => cleanup(content));

    it('should leave every other page as it was', async () => {
      const index = await request(app).get('/');
      expect(index.status).toBe(200);
      expect(index.text).toContain('Good one');
      expect(index.text).not.toContain('/posts/bad');
      const page2 = await request(app).get('/page/2');
      expect(page2.status).toBe(200);
      expect(page2.text).toContain('Good two');
      expect((await request(app).get('/page/3')).status).toBe(404);
      const good = await request(app).get('/posts/good-one');
      expect(good.status).toBe(200);
      expect(good.text).toContain('The first good post.');
    });

    it('should count the problem on /healthz', async () => {
      const res = await request(app).get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', posts: 2, errors: 1 });
    });

    it('should show the file, the line and the problem at the post URL (422)', async () => {
      const res = await request(app).get('/posts/bad').set('Accept', 'text/html');
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const $ = cheerio.load(res.text);
      expect($('h1').text()).toBe('This post has a problem');
      expect($('.content-error code').first().text()).toBe(location);
      expect($('.content-error__message').text().trim()).toMatch(c.message);
      expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
      if (c.line && c.kind !== 'a symlink to a file outside the content folder') {
        expect($('.content-error__frame').text()).toMatch(new RegExp(`^> +${c.line} \\|`, 'm'));
      }
    });

    it('should answer JSON clients with the same problem', async () => {
      const res = await request(app).get('/posts/bad').set('Accept', 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ status: 422, file: c.file, line: c.line });
      expect(res.body.error.message).toMatch(c.message);
    });

    it('should never show the secret behind the file', async () => {
      const res = await request(app).get('/posts/bad');
      expect(res.text).not.toContain('Secret text.');
    });
  });

  describe('in production', () => {
    let content: TempContent;
    let app: LedeApp;
    beforeAll(() => {
      content = site(c);
      app = testApp(content, { ...settings, env: 'production' });
    });
    afterAll(() => cleanup(content));

    it('should answer the plain 404 page at the post URL, with no detail', async () => {
      const res = await request(app).get('/posts/bad').set('Accept', 'text/html');
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain(c.file);
      expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    });

    it('should serve every other page and count the problem', async () => {
      for (const url of ['/', '/page/2', '/posts/good-one', '/posts/good-two', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml', '/tags']) {
        const res = await request(app).get(url);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('/posts/bad');
      }
      expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 2, errors: 1 });
    });
  });
});

describe('two posts with the same slug', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('good.md', { title: 'Good', publish_date: '2024-01-01' });
    content.post('2023-05-01-twin.md', { title: 'Dated twin' }, 'The dated twin.');
    content.post('twin.md', { title: 'Plain twin', publish_date: '2024-01-02' }, 'The plain twin.');
    content.post('other.md', { title: 'Slug twin', slug: 'twin', publish_date: '2024-01-03' }, 'The slug twin.');
    app = testApp(content, { env: 'development' });
  });
  afterAll(() => content.cleanup());

  it('should serve the file whose path sorts first', async () => {
    const res = await request(app).get('/posts/twin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('The dated twin.');
  });

  it('should serve a file whose name gives a taken slug at a second one, and name it; a slug its field chose stays an error', async () => {
    // Same folder: the second address carries the post's date (issue 29).
    const second = await request(app).get('/posts/twin-2024-01-02');
    expect(second.status).toBe(200);
    expect(second.text).toContain('The plain twin.');
    const errors = (await app.store.errors()).map((e) => `${e.file}: ${e.message}`);
    expect(errors).toEqual(['other.md: has the slug "twin", already used by 2023-05-01-twin.md; only 2023-05-01-twin.md is served']);
  });

  it('should list the served twins and count the one left out', async () => {
    const index = await request(app).get('/');
    expect(index.text).toContain('Dated twin');
    expect(index.text).toContain('Plain twin');
    expect(index.text).not.toContain('Slug twin');
    expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 3, errors: 1 });
  });
});

describe('a slug over the limit (regression, issue 19)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post(`${'x'.repeat(230)}.md`, { title: 'A very long name', publish_date: '2024-01-01' });
    content.post('short.md', { title: 'Short', publish_date: '2024-01-02' });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should be a content error, not a listed post whose URL answers 404', async () => {
    const index = await request(app).get('/');
    expect(index.text).toContain('/posts/short');
    expect(index.text).not.toContain('xxxxxxxxxx');
    expect((await request(app).get(`/posts/${'x'.repeat(230)}`)).status).toBe(404);
    expect((await request(app).get('/healthz')).body).toMatchObject({ posts: 1, errors: 1 });
  });
});
