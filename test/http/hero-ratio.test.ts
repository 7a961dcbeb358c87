/**
 * A hero whose size is known (an image in the post's bundle) is shown at its
 * own ratio: its width and height attributes are the image's, and the class
 * that lets the stylesheet keep that ratio instead of the 16:9 crop
 * (public/style.css, "Hero at its own ratio"). A remote hero, whose size is
 * not known, keeps the 16:9 box. The browser check of the box is in
 * test/browser/reader.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { gradientPng } from '../helpers/png.js';
import { ROOT, TempContent, testApp } from '../helpers/site.js';

describe('the hero at its own ratio', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('wide/index.md', { title: 'Three by two', publish_date: '2024-01-01', heroImage: 'hero.png' });
    content.write('wide/hero.png', gradientPng(300, 200));
    content.post('tall/index.md', { title: 'Portrait', publish_date: '2024-01-02', heroImage: 'hero.png' });
    content.write('tall/hero.png', gradientPng(200, 300));
    content.post('remote.md', { title: 'Elsewhere', publish_date: '2024-01-03', heroImage: 'https://images.example.com/a.jpg' });
    app = testApp(content);
  });
  afterAll(() => content.cleanup());

  const hero = async (url: string) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    return cheerio.load(res.text)('.article__hero img');
  };

  it.each([
    ['/posts/wide', '300', '200', false],
    ['/posts/tall', '200', '300', true],
  ])('should give %s its own width and height, marked to keep them', async (url, width, height, tall) => {
    const img = await hero(url);
    expect(img.attr('width')).toBe(width);
    expect(img.attr('height')).toBe(height);
    expect(img.hasClass('article__hero-own')).toBe(true);
    // A portrait hero is shown whole within the window's height.
    expect(img.hasClass('article__hero-own--tall')).toBe(tall);
    // No style attribute: the site's Content-Security-Policy allows none (src/http/security-headers.ts).
    expect(img.attr('style')).toBeUndefined();
  });

  it('should keep the 16:9 box for a remote hero, whose size is not known', async () => {
    const img = await hero('/posts/remote');
    expect([img.attr('width'), img.attr('height')]).toEqual(['1600', '900']);
    expect(img.hasClass('article__hero-own')).toBe(false);
  });

  it('should have the rule that keeps the ratio in the stylesheet', () => {
    const css = readFileSync(path.join(ROOT, 'public', 'style.css'), 'utf8');
    expect(css).toMatch(/\.article__hero img\.article__hero-own \{[^}]*aspect-ratio: revert-layer;/);
    expect(css).toMatch(/\.article__hero img\.article__hero-own--tall \{[^}]*max-height: 80vh;[^}]*object-fit: contain;/);
  });
});
