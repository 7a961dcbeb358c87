import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { articleRenders, TempContent, testApp } from '../helpers/site.js';

// An article shows its own post and its two neighbours, nothing else of the site view: an edit
// elsewhere must not make it again (docs/security.md, "Churn under load").
describe('an article depends on its post and its neighbours alone', () => {
  let content: TempContent;
  let app: LedeApp;
  let before: request.Response;
  beforeEach(async () => {
    content = new TempContent();
    // Newest first: d, c, b, a. The article of a shows b as its newer neighbour and no older one.
    for (const [slug, day] of [
      ['a', '01'],
      ['b', '02'],
      ['c', '03'],
      ['d', '04'],
    ] as const) {
      content.post(`${slug}.md`, { title: `Post ${slug.toUpperCase()}`, publish_date: `2024-01-${day}` }, `Text of ${slug}.`);
    }
    app = testApp(content);
    before = await request(app).get('/posts/a').expect(200);
  });
  afterEach(() => content.cleanup());

  it('should keep the cached article of a post when another, not its neighbour, is edited', async () => {
    content.post('d.md', { title: 'Post D, revised', publish_date: '2024-01-04' }, 'Edited text of d.');
    // The edit is seen (the site view changes) on the edited post's own request.
    expect((await request(app).get('/posts/d')).text).toContain('Edited text of d.');
    const renders = articleRenders(app);
    const after = await request(app).get('/posts/a').expect(200);
    expect(renders()).toBe(0);
    expect(after.text).toBe(before.text);
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it('should keep it when a post is added away from it, and make it again when its neighbour changes', async () => {
    content.post('e.md', { title: 'Post E', publish_date: '2024-01-05' });
    await request(app).get('/posts/e').expect(200);
    const renders = articleRenders(app);
    await request(app).get('/posts/a').expect(200);
    expect(renders()).toBe(0);
    content.post('b.md', { title: 'Post B, renamed', publish_date: '2024-01-02' }, 'Text of b.');
    await request(app).get('/posts/b').expect(200);
    const neighbourRenders = articleRenders(app);
    const res = await request(app).get('/posts/a').expect(200);
    expect(neighbourRenders()).toBe(1);
    expect(res.text).toContain('Post B, renamed');
  });

  it('should make it again when a post comes between it and its neighbour', async () => {
    content.post('ab.md', { title: 'Post AB', publish_date: '2024-01-01T12:00:00Z' });
    await request(app).get('/posts/ab').expect(200);
    const renders = articleRenders(app);
    const res = await request(app).get('/posts/a').expect(200);
    expect(renders()).toBe(1);
    expect(res.text).toContain('Post AB');
  });
});
