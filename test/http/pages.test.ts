import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('standalone pages (content/pages/)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('first-post.md', { title: 'First post', publish_date: '2024-02-09', tags: ['news'] });
    content.post('pages/about.md', { title: 'About us', subtitle: 'Who we are' }, 'We write **about** things.\n');
    content.post('pages/contact/index.md', { title: 'Contact', publish_date: '2024-03-01', author: 'Ann', cta: 'Write to [us](mailto:a@example.com).' });
    content.post('pages/tags.md', { title: 'Shadowed by a route' });
    content.post('pages/feed.md', { title: 'Feed page', slug: 'feed.xml' });
    content.post('pages/search.md', { title: 'Search page' });
    content.post('pages/archive.md', { title: 'Archive page' });
    app = testApp(content, {
      site: {
        nav: [
          { label: 'About', url: '/about' },
          { label: 'Contact', url: '/contact' },
        ],
      },
    });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('serves content/pages/<name>.md at /<slug> with its own view: no byline, date, CTA or prev/next', async () => {
    const res = await request(app).get('/about');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('About us');
    expect($('.article__subtitle').text()).toBe('Who we are');
    expect($('.article__body strong').text()).toBe('about');
    expect($('.byline')).toHaveLength(0);
    expect($('.cta')).toHaveLength(0);
    expect($('.post-nav')).toHaveLength(0);
    expect($('link[rel=canonical]').attr('href')).toBe('http://localhost:3000/about');
  });

  it('serves a bundle content/pages/<name>/index.md, with the byline, date and CTA it sets', async () => {
    const $ = cheerio.load((await request(app).get('/contact').expect(200)).text);
    expect($('.byline .author').text()).toBe('Ann');
    expect($('.byline time').attr('datetime')).toBe('2024-03-01');
    expect($('.cta a').attr('href')).toBe('mailto:a@example.com');
  });

  it('marks the current page in the nav with aria-current', async () => {
    const $ = cheerio.load((await request(app).get('/about')).text);
    expect($('.site-nav a[href="/about"]').attr('aria-current')).toBe('page');
    expect($('.site-nav a[href="/contact"]').attr('aria-current')).toBeUndefined();
    const index = cheerio.load((await request(app).get('/')).text);
    expect(index('.site-nav a[aria-current]')).toHaveLength(0);
  });

  it('keeps pages off the index, tags, feeds and archive, and puts them in the sitemap', async () => {
    const index = (await request(app).get('/')).text;
    expect(index).not.toContain('About us');
    expect((await request(app).get('/tags')).text).not.toContain('About us');
    for (const feed of ['/feed.xml', '/atom.xml', '/feed.json']) expect((await request(app).get(feed)).text).not.toContain('About us');
    expect((await request(app).get('/archive')).text).not.toContain('About us');
    expect(
      await request(app)
        .get('/posts/about')
        .then((r) => r.status),
    ).toBe(404);
    const sitemap = (await request(app).get('/sitemap.xml')).text;
    expect(sitemap).toContain('<loc>http://localhost:3000/about</loc>');
    expect(sitemap).toContain('<loc>http://localhost:3000/contact</loc>');
    expect(sitemap).toContain('<loc>http://localhost:3000/archive</loc>');
    expect(sitemap).not.toContain('<loc>http://localhost:3000/posts/about</loc>');
  });

  it('never lets a page shadow a route, and check says why', async () => {
    const tags = await request(app).get('/tags');
    expect(tags.text).not.toContain('Shadowed by a route');
    expect((await request(app).get('/search')).text).not.toContain('Search page');
    expect((await request(app).get('/archive')).text).not.toContain('Archive page');
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const lines = report.problems.map((p) => `${p.file}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pages\/tags\.md: has the address \/tags, which the route \/tags answers/),
        expect.stringMatching(/^pages\/search\.md: has the address \/search, which the route \/search answers/),
        expect.stringMatching(/^pages\/archive\.md: has the address \/archive/),
      ]),
    );
    const health = await request(app).get('/healthz');
    // tags, search and archive are counted as content errors; feed.md's slug `feed.xml` is made URL-safe (/feed-xml).
    expect(health.body).toMatchObject({ status: 'ok', posts: 1, errors: 3 });
    expect((await request(app).get('/feed-xml')).status).toBe(200);
  });

  it('sees a new, edited and deleted page without a restart; a broken edit keeps the last good page', async () => {
    content.post('pages/colophon.md', { title: 'Colophon' });
    await eventually(async () => expect((await request(app).get('/colophon')).status).toBe(200));
    content.post('pages/colophon.md', { title: 'Colophon, edited' }, 'New words.\n');
    await eventually(async () => expect((await request(app).get('/colophon')).text).toContain('Colophon, edited'));
    content.write('pages/colophon.md', '---\ntitle: [unclosed\n---\nBroken.\n');
    const broken = await request(app).get('/colophon');
    expect(broken.status).toBe(200);
    expect(broken.text).toContain('Colophon, edited');
    expect(broken.text).toContain('Showing the last good version');
    content.remove('pages/colophon.md');
    await eventually(async () => expect((await request(app).get('/colophon')).status).toBe(404));
  });

  it('check names a relative image in a page that is not in its folder, with the path it tried', async () => {
    content.post('pages/gallery.md', { title: 'Gallery' }, 'Look:\n\n![A cat](cat.png)\n\n![Logo](/img/logo.png)\n');
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const lines = report.problems.filter((p) => p.file === 'pages/gallery.md').map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(lines).toEqual([
      'pages/gallery.md:7: image "cat.png" does not exist: tried pages/cat.png',
      'pages/gallery.md:9: image "/img/logo.png" is not a file of static/ (content/static/img/logo.png); the link leads nowhere',
    ]);
    content.remove('pages/gallery.md');
  });

  it('reports a broken page in check with pages/ in its path, and at its URL outside production', async () => {
    content.write('pages/bad.md', '---\ntitle: [unclosed\n---\n');
    await eventually(async () => {
      const res = await request(app).get('/bad').set('Accept', 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ file: 'pages/bad.md', line: 2 });
    });
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    expect(report.problems.map((p) => p.file)).toContain('pages/bad.md');
    content.remove('pages/bad.md');
  });
});

describe('a site without content/pages/', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('only.md', { title: 'Only post', publish_date: '2024-01-01' });
    app = testApp(content);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('has no pages and no problem, and a folder made later is read', async () => {
    expect((await request(app).get('/about')).status).toBe(404);
    expect((await request(app).get('/healthz')).body).toMatchObject({ status: 'ok', posts: 1, errors: 0 });
    content.post('pages/about.md', { title: 'About, later' });
    await eventually(async () => expect((await request(app).get('/about')).text).toContain('About, later'));
  });
});
