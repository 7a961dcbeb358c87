import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { gradientPng } from '../helpers/png.js';
import { frontCacheHits, TempContent, testApp } from '../helpers/site.js';

// A real PNG: check decodes every image a post shows (a hand-made one with a bad checksum is reported).
const PNG = gradientPng(2, 2);
const ICO = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]);

describe('site-wide files (content/static/)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post(
      'linker.md',
      { title: 'Linker', publish_date: '2024-01-01' },
      '![Logo](/img/logo.png) [cv](/files/cv.pdf) ![gone](/img/missing.png) [about](/about)\n',
    );
    content.post('table.md', { title: 'Table', publish_date: '2024-01-02' }, '| file | link |\n| --- | --- |\n| cv | [cv](/files/gone.pdf) |\n');
    content.write('static/img/logo.png', PNG);
    content.write('static/favicon.ico', ICO);
    content.write('static/files/notes.txt', 'Plain notes. '.repeat(200));
    content.write('static/files/cv.pdf', '%PDF-1.4 fake');
    content.write('static/drawing.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    content.write('static/page.html', '<script>alert(1)</script>');
    content.write('static/.secret.png', PNG);
    content.write('static/robots.txt', 'User-agent: *\nDisallow: /\n');
    content.write('static/assets/x.png', PNG);
    content.write('static/posts/x.png', PNG);
    content.write('outside.png', PNG);
    symlinkSync(path.join(content.dir, 'outside.png'), path.join(content.dir, 'static', 'leak.png'));
    symlinkSync(path.join(content.dir, 'static', 'page.html'), path.join(content.dir, 'static', 'disguised.png'));
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('serves content/static/img/logo.png at /img/logo.png and favicon.ico at /favicon.ico, with their real types', async () => {
    const logo = await request(app).get('/img/logo.png').buffer(true);
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(logo.body as Buffer, PNG)).toBe(0);
    const ico = await request(app).get('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toBe('image/vnd.microsoft.icon');
    expect((await request(app).get('/files/cv.pdf')).headers['content-type']).toBe('application/pdf');
    expect((await request(app).get('/files/notes.txt')).headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('sandboxes what it serves, with nosniff', async () => {
    const svg = await request(app).get('/drawing.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['content-security-policy']).toContain('sandbox');
    expect(svg.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves media only: no HTML, no dot files', async () => {
    expect((await request(app).get('/page.html')).status).toBe(404);
    expect((await request(app).get('/.secret.png')).status).toBe(404);
  });

  it('judges a symlink by its real target: out of static/, or to a file that is not media, is a 404', async () => {
    expect((await request(app).get('/leak.png')).status).toBe(404);
    expect((await request(app).get('/disguised.png')).status).toBe(404);
  });

  it("lets routes win: /robots.txt and /posts/… are never static files; /assets/… is the writer's", async () => {
    expect((await request(app).get('/robots.txt')).text).toContain('Sitemap:');
    expect((await request(app).get('/assets/x.png')).status).toBe(200);
    expect((await request(app).get('/posts/x.png')).status).toBe(404);
  });

  it('answers ETag revalidation with 304, and Range with 206', async () => {
    const first = await request(app).get('/img/logo.png');
    const etag = first.headers.etag!;
    expect(etag).toBeDefined();
    expect((await request(app).get('/img/logo.png').set('If-None-Match', etag)).status).toBe(304);
    const range = await request(app).get('/files/cv.pdf').set('Range', 'bytes=0-3').buffer(true);
    expect(range.status).toBe(206);
    expect(range.headers['content-range']).toBe('bytes 0-3/13');
    const past = await request(app).get('/files/cv.pdf').set('Range', 'bytes=100-200');
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */13');
  });

  it("honours If-Range: the range for the file's own date, the whole file for any entity tag (ours are weak) or another date", async () => {
    const ranged = await request(app).get('/files/cv.pdf').set('Range', 'bytes=0-3').buffer(true);
    const byDate = await request(app).get('/files/cv.pdf').set('Range', 'bytes=0-3').set('If-Range', ranged.headers['last-modified']!).buffer(true);
    expect([byDate.status, byDate.headers['content-range']]).toEqual([206, 'bytes 0-3/13']);
    const byTag = await request(app).get('/files/cv.pdf').set('Range', 'bytes=0-3').set('If-Range', ranged.headers.etag!).buffer(true);
    expect([byTag.status, byTag.headers['content-length']]).toEqual([200, '13']);
    const oldDate = await request(app).get('/files/cv.pdf').set('Range', 'bytes=0-3').set('If-Range', 'Mon, 01 Jan 2001 00:00:00 GMT').buffer(true);
    expect(oldDate.status).toBe(200);
  });

  it('goes through the front cache, and an edit or a deletion shows on the next request', async () => {
    await request(app).get('/files/notes.txt');
    const hits = frontCacheHits(app);
    const cached = await request(app).get('/files/notes.txt').set('Accept-Encoding', 'gzip');
    expect(cached.headers['content-encoding']).toBe('gzip');
    expect(hits()).toBe(1);
    content.write('static/files/notes.txt', 'Edited notes.');
    expect((await request(app).get('/files/notes.txt')).text).toBe('Edited notes.');
    content.remove('static/files/notes.txt');
    expect((await request(app).get('/files/notes.txt')).status).toBe(404);
  });

  it('check names clashes, files it does not serve, and site paths in posts that lead nowhere', async () => {
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const lines = report.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^static\/robots\.txt: has the address \/robots\.txt, which the route \/robots\.txt answers/),
        expect.stringMatching(/^static\/posts\/x\.png: has the address \/posts\/x\.png/),
        expect.stringMatching(/^static\/page\.html: is not served: static\/ serves media only/),
        expect.stringMatching(/^static\/disguised\.png: is not served: static\/ serves media only/),
        'static/leak.png: is a symlink to a place outside static/; it is not served',
        'linker.md:6: image "/img/missing.png" is not a file of static/ (content/static/img/missing.png); the link leads nowhere',
        // In a table cell too.
        'table.md:8: link "/files/gone.pdf" is not a file of static/ (content/static/files/gone.pdf); the link leads nowhere',
      ]),
    );
    expect(lines.join('\n')).not.toContain('/img/logo.png"');
    expect(lines.join('\n')).not.toContain('"/about"');
  });
});
