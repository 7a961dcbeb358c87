import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('aliases of renamed posts', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('new-name.md', {
      title: 'Renamed',
      publish_date: '2024-01-01',
      aliases: ['old-name', '/2019/05/old-url/', '/posts/Older Name', 'taken', '/posts/new-name', '/posts/shared'],
    });
    content.post('taken.md', { title: 'A real post', publish_date: '2024-01-02' }, 'The real post.');
    content.post('b-claims.md', { title: 'Second claimant', publish_date: '2024-01-03', aliases: '/posts/shared' });
    content.post('draft.md', { title: 'Draft', draft: true, aliases: ['/draft-old'] });
    content.post('single.md', { title: 'Single', publish_date: '2024-01-04', aliases: '/just-one' });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it.each([
    ['/posts/old-name', '/posts/new-name'],
    ['/2019/05/old-url', '/posts/new-name'],
    ['/posts/Older%20Name', '/posts/new-name'],
    ['/just-one', '/posts/single'],
  ])('should answer %s with a 301 to %s', async (from, to) => {
    const res = await request(app).get(from);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(to);
    expect(res.headers['cache-control']).toMatch(/max-age=0/);
  });

  it('should keep the query string', async () => {
    const res = await request(app).get('/posts/old-name?utm_source=feed');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/new-name?utm_source=feed');
  });

  it('should answer HEAD too', async () => {
    expect((await request(app).head('/2019/05/old-url')).status).toBe(301);
  });

  it('should redirect an alias asked for with a trailing slash to its post in one step (a moved blog’s old addresses end in /)', async () => {
    const first = await request(app).get('/2019/05/old-url/?utm=x');
    expect(first.status).toBe(301);
    expect(first.headers.location).toMatch(/^\/posts\/[^/?]+\?utm=x$/);
    expect((await request(app).get(first.headers.location!)).status).toBe(200);
  });

  it('should still redirect a trailing slash that is no alias to the address without it', async () => {
    const res = await request(app).get('/tags/');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/tags');
  });

  it('should never shadow a real post', async () => {
    const res = await request(app).get('/posts/taken');
    expect(res.status).toBe(200);
    expect(res.text).toContain('The real post.');
  });

  it('should give a contested alias to the post whose file sorts first', async () => {
    const res = await request(app).get('/posts/shared');
    expect(res.headers.location).toBe('/posts/b-claims');
  });

  it('should not redirect to a post readers cannot see', async () => {
    expect((await request(app).get('/draft-old')).status).toBe(404);
  });

  it('should leave unknown paths to the 404 page', async () => {
    expect((await request(app).get('/posts/never-was')).status).toBe(404);
    expect((await request(app).get('/2019/05')).status).toBe(404);
  });

  it('should follow edits: a removed alias stops redirecting', async () => {
    const local = new TempContent();
    local.post('post.md', { title: 'Post', publish_date: '2024-01-01', aliases: ['gone'] });
    const localApp = testApp(local);
    expect((await request(localApp).get('/posts/gone')).status).toBe(301);
    local.post('post.md', { title: 'Post', publish_date: '2024-01-01' });
    await request(localApp).get('/posts/post'); // the post's own URL notices the edit at once
    expect((await request(localApp).get('/posts/gone')).status).toBe(404);
    local.cleanup();
  });
});

describe('aliases written percent-encoded (regression, issue 19)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('cafe.md', { title: 'Café', publish_date: '2024-01-01', aliases: ['/caf%c3%a9', '/menu%2dold'] });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it.each(['/caf%C3%A9', '/menu-old'])('should redirect %s to the post', async (from) => {
    const res = await request(app).get(from);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/cafe');
  });

  it('should first send another spelling of the alias to its canonical form', async () => {
    const res = await request(app).get('/caf%c3%a9');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/caf%C3%A9');
  });
});
