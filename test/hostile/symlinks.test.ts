/**
 * "Symlinks inside content get round the bundle rules": a link is judged by
 * its real target, never by the name asked for. Each case below was served
 * before (`pic.png -> page.html` as text/html, a draft's source through a
 * folder linked to the content root).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { findPosts } from '../../src/content/find-posts.js';
import { TempContent, testApp } from '../helpers/site.js';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

describe('symlinks in the content folder (production)', () => {
  const content = new TempContent();
  let app: LedeApp;
  const link = (target: string, at: string): void => symlinkSync(target, path.join(content.dir, at));

  beforeAll(() => {
    content.write('index.md', '---\ntitle: Top\npublish_date: 2024-01-01\n---\nA post file at the top of the folder.');
    content.post('drafty/index.md', { title: 'Drafty', draft: true, publish_date: '2024-01-01' }, 'DRAFT SOURCE');
    content.post('later/index.md', { title: 'Later', publish_date: '2030-01-01' }, 'FUTURE SOURCE');
    content.post('b/index.md', { title: 'Bundle', publish_date: '2024-01-02' }, 'BUNDLE SOURCE');
    content.write('b/page.html', '<script>alert(1)</script>');
    content.write('b/x.js', 'alert(1)');
    content.write('b/real.png', PNG);
    link('page.html', 'b/pic.png');
    link('x.js', 'b/x.txt');
    link('index.md', 'b/src.txt');
    link('real.png', 'b/ok.png');
    link('../drafty/index.md', 'b/draft.txt');
    link('.', 'rootlink');
    link('..', 'parentlink');
    link('loop-b', 'loop-a');
    link('loop-a', 'loop-b');
    link('b/index.md', 'copy.md');
    link('drafty/index.md', 'undrafted.md');
    link('drafty/index.md', 'leak.txt');
    link('later/index.md', 'leak2.txt');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should type a bundle file by its real target: a link to HTML or script is not served', async () => {
    for (const name of ['pic.png', 'x.txt', 'src.txt']) {
      const res = await request(app).get(`/posts/b/${name}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toMatch(/alert|BUNDLE SOURCE/);
    }
  });

  it('should still serve a link to a media file inside the bundle, typed by the target', async () => {
    const res = await request(app).get('/posts/b/ok.png');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it("should not serve another post's source through a link out of the bundle", async () => {
    const res = await request(app).get('/posts/b/draft.txt');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('DRAFT SOURCE');
  });

  it('should refuse a folder linked to the content root or above it, and name it', async () => {
    for (const url of ['/posts/rootlink', '/posts/rootlink/drafty/index.md', '/posts/parentlink']) {
      expect((await request(app).get(url)).status).toBe(404);
    }
    const { errors } = findPosts(content.dir);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'rootlink', message: expect.stringContaining('content folder or a folder holding it') }),
        expect.objectContaining({ file: 'parentlink', message: expect.stringContaining('content folder or a folder holding it') }),
        expect.objectContaining({ file: 'loop-a', message: expect.stringContaining('cycle') }),
      ]),
    );
  });

  it('should serve a post reached by two names once, under its own name', async () => {
    expect((await request(app).get('/posts/b')).status).toBe(200);
    expect((await request(app).get('/posts/copy')).status).toBe(404);
    expect(findPosts(content.dir).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'copy.md', message: expect.stringContaining('already served as b/index.md') })]),
    );
  });

  it('should never make a draft or a scheduled post reachable by a link to it', async () => {
    for (const url of ['/posts/undrafted', '/posts/drafty', '/posts/later', '/posts/rootlink/leak.txt', '/posts/rootlink/leak2.txt']) {
      const res = await request(app).get(url);
      expect(res.status).toBe(404);
      expect(res.text).not.toMatch(/DRAFT SOURCE|FUTURE SOURCE/);
    }
    const home = await request(app).get('/');
    expect(home.text).not.toMatch(/Drafty|Later/);
  });

  it('should count the refused links as content problems in /healthz', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeGreaterThanOrEqual(4);
  });
});
