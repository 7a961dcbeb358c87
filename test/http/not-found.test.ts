import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('404s and the error edge', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('post.md', { title: 'A post' });
    content.write('_private.md', '---\ntitle: Private\n---\n');
    content.write('.hidden.md', '---\ntitle: Hidden\n---\n');
    content.write('post.md~', '---\ntitle: Backup\n---\n');
    content.write('notes.txt', 'not a post');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it.each(['/nope', '/posts/nope', '/posts/_private', '/posts/hidden', '/posts/post.md', '/posts/notes', '/posts/POST'])(
    'should answer %s with the 404 page',
    async (url) => {
      const res = await request(app).get(url).set('Accept', 'text/html');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Page not found');
    },
  );

  it('should answer JSON to clients that want JSON', async () => {
    const res = await request(app).get('/nope').set('Accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, message: 'There is no page at this address.' } });
  });

  it('should answer 405 with Allow for other methods', async () => {
    const res = await request(app).post('/posts/post');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('should redirect a trailing slash to the one URL of the page', async () => {
    const res = await request(app).get('/posts/post/?a=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/posts/post?a=1');
  });

  it.each(['//evil.example/', '/\\evil.example/'])('should not redirect %s to another host', async (url) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(404);
    expect(res.headers.location).toBeUndefined();
  });

  it('should answer 400, not 500, to bad percent-encoding', async () => {
    const res = await request(app).get('/posts/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
  });

  it('should count posts and content errors on /healthz', async () => {
    content.write('broken.md', '---\ntitle: [oops\n---\n');
    await eventually(async () => expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 1 }));
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'ok', posts: 1, errors: 1 });
  });
});
