/**
 * The bundled content (content/) opens whole without a network: the sample
 * article is the first post, and every image it shows (its hero, its
 * figure) is a file of its bundle, sized for the web (drawn by
 * scripts/sample-images.mjs).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { ROOT, SAMPLE_DIR, testConfig } from '../helpers/site.js';

const app = createApp(testConfig(path.join(ROOT, 'content')));
const ARTICLE = '/posts/deepseek-rising-challenger';

describe('the bundled sample, offline', () => {
  it('should be the first post, its card showing the hero from its bundle', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const lead = $('.card').first();
    expect(lead.find('.card__title a').attr('href')).toBe(ARTICLE);
    expect(lead.find('img').attr('src')).toBe(`${ARTICLE}/hero.webp`);
  });

  it('should show only images served by the site itself, each one there', async () => {
    const res = await request(app).get(ARTICLE);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const sources = [
      ...$('img')
        .map((_i, img) => $(img).attr('src'))
        .get(),
      ...$('source')
        .map((_i, s) =>
          $(s)
            .attr('srcset')!
            .split(', ')
            .map((c) => c.split(' ')[0]!),
        )
        .get(),
    ];
    expect(sources).toEqual(expect.arrayContaining([`${ARTICLE}/hero.webp`, `${ARTICLE}/network.webp`]));
    for (const src of sources) {
      expect(src).toMatch(/^\/[^/]/);
      const image = await request(app).get(src);
      expect([src, image.status]).toEqual([src, 200]);
      expect(image.headers['content-type']).toMatch(/^image\//);
    }
  });

  it('should keep its images small enough for the web (under 200 KB each, WebP or JPEG)', () => {
    const images = readdirSync(SAMPLE_DIR).filter((name) => name !== 'index.md');
    expect(images.sort()).toEqual(['hero.webp', 'network.webp']);
    for (const name of images) {
      expect(name).toMatch(/\.(webp|jpe?g)$/);
      expect(statSync(path.join(SAMPLE_DIR, name)).size).toBeLessThan(200 * 1024);
    }
  });
});
