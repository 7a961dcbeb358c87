import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

/** A logger that keeps its lines, to count what was logged. */
function capturingLogger(): { logger: Logger; lines: () => { level: number; msg: string; file?: string; line?: number }[] } {
  const out: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void out.push(s) });
  return { logger, lines: () => out.map((s) => JSON.parse(s) as { level: number; msg: string; file?: string; line?: number }) };
}

const BROKEN = '---\ntitle: Post\ntags: [unclosed\n---\nHalf-saved text.';

describe.each(['development', 'production'] as const)('a post that breaks after it was good (%s)', (env) => {
  let content: TempContent;
  let app: LedeApp;
  let log: ReturnType<typeof capturingLogger>;
  beforeEach(async () => {
    content = new TempContent();
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'The good text.');
    content.post('other.md', { title: 'Other', publish_date: '2024-01-02' }, 'Other text.');
    log = capturingLogger();
    app = testApp(content, { env }, { logger: log.logger });
    expect((await request(app).get('/posts/post')).text).toContain('The good text.');
    expect((await request(app).get('/')).status).toBe(200);
  });
  afterEach(() => content.cleanup());

  it('should keep serving its last good version, listed as before', async () => {
    content.write('post.md', BROKEN);
    const res = await request(app).get('/posts/post');
    expect(res.status).toBe(200);
    expect(res.text).toContain('The good text.');
    expect(res.text).not.toContain('Half-saved');
    const notice = cheerio.load(res.text)('.content-problem');
    if (env === 'production') expect(notice.length).toBe(0);
    else
      expect(notice.text()).toBe(
        'Showing the last good version: post.md:3: broken YAML in the frontmatter: a list [ or a mapping { is opened and never closed (or a comma is missing in it)',
      );
    await eventually(async () => expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 2, errors: 1 }));
    const index = await request(app).get('/');
    expect(index.text).toContain('/posts/post');
    expect((await request(app).get('/posts/other')).status).toBe(200);
  });

  it('should log the problem once, with its file and line, however often it is requested', async () => {
    content.write('post.md', BROKEN);
    for (let i = 0; i < 5; i++) await request(app).get('/posts/post');
    await app.store.refresh(true); // another scan of the folder
    for (let i = 0; i < 5; i++) await request(app).get('/');
    const warnings = log.lines().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'post.md', line: 3 });
    expect(warnings[0]!.msg).toMatch(/^post\.md:3: broken YAML in the frontmatter: /);
  });

  it('should serve the fixed version on the next request and clear the count', async () => {
    content.write('post.md', BROKEN);
    await request(app).get('/posts/post');
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'The fixed text.');
    const res = await request(app).get('/posts/post');
    expect(res.status).toBe(200);
    expect(res.text).toContain('The fixed text.');
    expect(res.text).not.toContain('content-problem');
    await eventually(async () => expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 2, errors: 0 }));
  });

  it('should answer 404 once the broken file is deleted', async () => {
    content.write('post.md', BROKEN);
    await request(app).get('/posts/post');
    content.remove('post.md');
    expect((await request(app).get('/posts/post')).status).toBe(404);
    await eventually(async () => expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 1, errors: 0 }));
  });
});

describe('a new post that was never good (development)', () => {
  let content: TempContent;
  let app: LedeApp;
  beforeEach(() => {
    content = new TempContent();
    content.post('other.md', { title: 'Other', publish_date: '2024-01-02' });
    app = testApp(content, { env: 'development' });
  });
  afterEach(() => content.cleanup());

  it('should show its problem, then the post as soon as it is fixed', async () => {
    await request(app).get('/').expect(200);
    content.write('draft-idea.md', '---\ntitle: Idea\ndate: tomorrow\n---\nText.');
    const broken = await request(app).get('/posts/draft-idea').set('Accept', 'application/json');
    expect(broken.status).toBe(422);
    expect(broken.body.error).toEqual({
      status: 422,
      file: 'draft-idea.md',
      line: 3,
      message: expect.stringMatching(/^field `date`: "tomorrow" is not a date; write it as YYYY-MM-DD, /),
    });
    content.write('draft-idea.md', '---\ntitle: Idea\ndate: 2024-01-01\n---\nThe idea, fixed.');
    const fixed = await request(app).get('/posts/draft-idea');
    expect(fixed.status).toBe(200);
    expect(fixed.text).toContain('The idea, fixed.');
  });

  it('should show the problem of a dated file name at the slug it would have', async () => {
    content.write('2024-03-01-dated.md', '---\ntitle:\n  - a list\n---\n');
    const res = await request(app).get('/posts/dated').set('Accept', 'text/plain');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('2024-03-01-dated.md:2: field `title`: expected text, got a list\n');
  });
});
