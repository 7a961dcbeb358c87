import { statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { articleRenders, countingParser, eventually, frontCacheHits, TempContent, testApp } from '../helpers/site.js';

// Watched (the default) and polled every second (CONTENT_WATCH=poll): the same guarantees.
describe.each(['watch', 'poll'] as const)('freshness: the folder as it is now (%s)', (contentWatch) => {
  let content: TempContent;
  let app: LedeApp;
  beforeEach(async () => {
    content = new TempContent();
    content.post('first.md', { title: 'First post', publish_date: '2024-01-01' }, 'Original text.');
    app = testApp(content, { contentWatch });
    // Warm every cache: the index and the article are both held.
    await request(app).get('/').expect(200);
    await request(app).get('/posts/first').expect(200);
  });
  afterEach(() => content.cleanup());

  it('should show an edited post on the next request', async () => {
    content.post('first.md', { title: 'First post, revised', publish_date: '2024-01-01' }, 'Edited text.');
    const res = await request(app).get('/posts/first');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Edited text.');
    expect(res.text).toContain('First post, revised');
    expect(res.text).not.toContain('Original text.');
  });

  it('should see an edit that keeps the size and the mtime (the ctime moves)', async () => {
    const file = path.join(content.dir, 'first.md');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const before = (await request(app).get('/posts/first')).headers.etag;
    const old = statSync(file);
    content.post('first.md', { title: 'First post', publish_date: '2024-01-01' }, 'Changed text..');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(statSync(file).size).toBe(old.size);
    expect(statSync(file).mtimeMs).toBe(old.mtimeMs);
    const res = await request(app).get('/posts/first');
    expect(res.text).toContain('Changed text.');
    expect(res.headers.etag).not.toBe(before);
  });

  it('should answer 404 for a deleted post on the next request', async () => {
    content.remove('first.md');
    expect((await request(app).get('/posts/first')).status).toBe(404);
  });

  it('should serve a new post at its URL on the next request and list it within a second', async () => {
    content.post('second.md', { title: 'Second post', publish_date: '2024-02-01' });
    expect((await request(app).get('/posts/second')).status).toBe(200);
    await eventually(async () => {
      const res = await request(app).get('/');
      expect(res.text).toContain('Second post');
    });
  });

  it('should list a new post within a second even with no request for it', async () => {
    content.post('third.md', { title: 'Third post', publish_date: '2024-03-01' });
    await eventually(async () => {
      expect((await request(app).get('/')).text).toContain('Third post');
    });
  });

  it('should show a title edited in place on the index within a second', async () => {
    content.post('first.md', { title: 'First post, renamed', publish_date: '2024-01-01' }, 'Original text.');
    await eventually(async () => {
      expect((await request(app).get('/')).text).toContain('First post, renamed');
    });
  });

  it('should drop a deleted post from the index within a second', async () => {
    content.remove('first.md');
    await eventually(async () => {
      expect((await request(app).get('/')).text).not.toContain('First post');
    });
  });

  it('should publish a future-dated post when its moment comes, without a restart', async () => {
    let now = Date.UTC(2030, 0, 1);
    content.post('later.md', { title: 'Later post', publish_date: '2030-01-02T09:00:00Z' });
    const clocked = testApp(content, { contentWatch }, { now: () => now });
    expect((await request(clocked).get('/')).text).not.toContain('Later post');
    expect((await request(clocked).get('/posts/later')).status).toBe(404);
    now = Date.UTC(2030, 0, 2, 9, 0, 1);
    expect((await request(clocked).get('/')).text).toContain('Later post');
    expect((await request(clocked).get('/posts/later')).status).toBe(200);
  });
});

describe('caching: unchanged posts cost no parsing', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should not parse or render an unchanged post again, and should when it is edited', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    content.post('b.md', { title: 'B', publish_date: '2024-01-02' });
    const parser = countingParser();
    const app = testApp(content, {}, { parse: parser.parse });
    await request(app).get('/posts/a').expect(200);
    const parses = parser.count();
    const renders = articleRenders(app);
    expect(parses).toBe(2);
    for (let i = 0; i < 5; i++) await request(app).get('/posts/a').expect(200);
    expect(parser.count()).toBe(parses);
    expect(renders()).toBe(0);

    content.post('a.md', { title: 'A2', publish_date: '2024-01-01' }, 'new');
    expect((await request(app).get('/posts/a')).text).toContain('A2');
    // Only the edited file is parsed again, not its neighbour.
    expect(parser.count()).toBe(parses + 1);
    expect(renders()).toBe(1);
  });

  it('should answer repeated requests from the response cache before the router', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A' });
    const app = testApp(content);
    await request(app).get('/posts/a').expect(200);
    const hits = frontCacheHits(app);
    const res = await request(app).get('/posts/a?utm_source=x').set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(hits()).toBe(1);
  });
});
