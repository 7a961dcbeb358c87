/**
 * The small findings: a range past the end of a bundle file, character
 * references in a CTA's URL, and ids from a post that clash with the layout's.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { parsePost } from '../../src/content/parse-post.js';
import { parseName } from '../../src/content/slug.js';
import { LAYOUT_IDS } from '../../src/render/layout-ids.js';
import { ROOT, TempContent, testApp } from '../helpers/site.js';

describe('a Range past the end of a bundle file', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('b/index.md', { title: 'B', publish_date: '2024-01-01' });
    content.write('b/notes.txt', '0123456789');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should answer 416 with Content-Range: bytes */size (RFC 9110 §15.5.17), not 404', async () => {
    const res = await request(app).get('/posts/b/notes.txt').set('Range', 'bytes=100-200');
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */10');
  });

  it('should still serve a satisfiable range', async () => {
    const res = await request(app).get('/posts/b/notes.txt').set('Range', 'bytes=2-4');
    expect(res.status).toBe(206);
    expect(res.text).toBe('234');
  });
});

describe('character references in URLs an author writes', () => {
  const parse = (frontmatter: string) =>
    parsePost(
      {
        file: '/c/p.md',
        relPath: 'p.md',
        bundleDir: undefined,
        name: parseName('p'),
        signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 0 },
        bytes: Buffer.from(`---\ntitle: T\n${frontmatter}\n---\nBody.`),
      },
      { author: 'A', timezone: 'UTC' },
    );

  it('should refuse a CTA link that is javascript: once references are decoded', () => {
    for (const target of ['java&#x09;script:alert(1)', 'javascript&colon;alert(1)', 'java&Tab;script:alert(1)']) {
      const result = parse(`cta: "[Go](${target})"`);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain('javascript:');
    }
  });

  it('should refuse such a heroImage too, and keep a plain https URL with &amp;', () => {
    expect(parse('heroImage: "java&#x09;script:x"').ok).toBe(false);
    expect(parse('heroImage: "https://img.example/a.png?x=1&amp;y=2"').ok).toBe(true);
  });
});

describe('ids from a post and the layout', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('p.md', { title: 'P', publish_date: '2024-01-01' }, '## Main\n\nText.\n\n## Toc title\n\n<p id="main">raw</p>\n');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should give every id on an article page once, the skip link reaching the layout main', async () => {
    const $ = cheerio.load((await request(app).get('/posts/p')).text);
    const ids = $('[id]')
      .map((_i, el) => $(el).attr('id'))
      .get();
    expect(ids.filter((id) => id === 'main')).toHaveLength(1);
    expect($('#main').is('main')).toBe(true);
    expect(ids).toContain('main-section');
    expect(ids).toContain('toc-title-section');
    for (const id of LAYOUT_IDS) expect([id, ids.filter((x) => x === id).length <= 1]).toEqual([id, true]);
  });

  it('should know every id the built-in views write', () => {
    const ids = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else for (const m of readFileSync(full, 'utf8').matchAll(/\bid="([^"<]+)"/g)) ids.add(m[1]!);
      }
    };
    walk(path.join(ROOT, 'views'));
    expect([...ids].sort()).toEqual([...LAYOUT_IDS].sort());
  });
});
