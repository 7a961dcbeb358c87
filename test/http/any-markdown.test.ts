/**
 * Any markdown file is a post (issue 29): what a writer leaves out gets a
 * default, never a refusal, and a title in any script gets an address that
 * every page, feed and the sitemap link to, percent-encoded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

/** `/posts/привет-мир` as it goes on the wire. */
const CYRILLIC = `/posts/${encodeURIComponent('привет-мир')}`;
const TAG = `/tags/${encodeURIComponent('заметки')}`;

describe('markdown files with missing pieces (issue 29)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.write('notion-export.md', '# Notes from Notion\n\nA body with no frontmatter at all.\n');
    content.write(
      'notes/Привет мир.md',
      '---\ntitle: Привет мир\ntags: [Заметки]\ndate: Mon Sep 09 2024 04:38:21 GMT+0000 (Coordinated Universal Time)\n---\nТекст заметки.\n',
    );
    content.write('devto.md', '---\ntitle:\ncanonical_url:\ndraft:\ncover_image:\npublished_at: 2023-04-05\n---\n# Heading as title\n\nFrom dev.to.\n');
    content.write('hugo.md', '+++\nTitle = "Capitalised keys"\nDate = 2020-05-06\nTags = ["hugo"]\n+++\nHugo text.\n');
    content.write('36.v4.md', '---\ntitle: Version four\ndate: 2022-01-01\n---\nOrdered.\n');
    content.write('plain note.md', 'Only a line of text.\n');
    app = testApp(content, { site: { timezone: 'UTC' } });
  });
  afterAll(() => {
    app.store.close();
    content.cleanup();
  });

  it('should serve a file with no frontmatter, its heading as the title and shown once', async () => {
    const res = await request(app).get('/posts/notion-export');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text().trim()).toBe('Notes from Notion');
    expect($('h1')).toHaveLength(1);
    expect($('article').text()).toContain('A body with no frontmatter at all.');
  });

  it('should serve a Cyrillic title at its percent-encoded address, dated as JavaScript wrote it', async () => {
    const res = await request(app).get(CYRILLIC);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text().trim()).toBe('Привет мир');
    expect($('time').first().attr('datetime')).toMatch(/^2024-09-09/);
    expect($('link[rel="canonical"]').attr('href')).toMatch(new RegExp(`${CYRILLIC}$`));
  });

  it('should link that address, encoded, from the index, its tag, the feeds and the sitemap', async () => {
    expect((await request(app).get('/')).text).toContain(`href="${CYRILLIC}"`);
    const tag = await request(app).get(TAG);
    expect(tag.status).toBe(200);
    expect(tag.text).toContain(`href="${CYRILLIC}"`);
    expect((await request(app).get(CYRILLIC)).text).toContain(`href="${TAG}"`);
    for (const feed of ['/feed.xml', '/atom.xml', '/sitemap.xml']) expect((await request(app).get(feed)).text).toContain(CYRILLIC);
    expect((await request(app).get('/feed.json')).body.items.map((i: { url: string }) => i.url)).toContainEqual(
      expect.stringMatching(new RegExp(`${CYRILLIC}$`)),
    );
  });

  it('should send a lower-case spelling of the address to the canonical one, and still refuse hostile paths', async () => {
    const lower = await request(app).get(CYRILLIC.toLowerCase());
    expect(lower.status).toBe(301);
    expect(lower.headers.location).toBe(CYRILLIC);
    expect((await request(app).get('/posts/%D0')).status).toBe(400);
    expect((await request(app).get('/posts/%D0%BF%2F..')).status).toBe(400);
    expect((await request(app).get(`/posts/${encodeURIComponent('Привет-мир')}`)).status).toBe(404);
  });

  it('should read empty values as absent ones (dev.to), and capitalised keys (Hugo)', async () => {
    const devto = await request(app).get('/posts/devto');
    expect(devto.status).toBe(200);
    expect(cheerio.load(devto.text)('h1').text().trim()).toBe('Heading as title');
    const hugo = await request(app).get('/posts/hugo');
    expect(hugo.status).toBe(200);
    expect(hugo.text).toContain('Capitalised keys');
    expect(hugo.text).toContain('href="/tags/hugo"');
  });

  it('should leave an ordering number out of the address, and name a note by its file name', async () => {
    expect((await request(app).get('/posts/v4')).status).toBe(200);
    const note = await request(app).get('/posts/plain-note');
    expect(note.status).toBe(200);
    expect(cheerio.load(note.text)('h1').text().trim()).toBe('Plain note');
  });

  it('should count none of them as a problem', async () => {
    expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 0 });
  });
});
