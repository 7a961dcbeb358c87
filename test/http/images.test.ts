import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { MAX_RESPONSIVE_IMAGES } from '../../src/images/responsive.js';
import { TempContent, testApp } from '../helpers/site.js';

/** A small photo-like image of the given size, made here (no binaries in the repository). */
async function photo(width: number, height: number, format: 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' = 'jpeg', shade = 90): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: shade, g: 140, b: 200 } } });
  return image[format]().toBuffer();
}

/** A PNG header that claims 100,000 x 100,000 pixels: a decompression bomb, tiny on disk. */
function bombPng(): Buffer {
  const header = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const dims = Buffer.alloc(8);
  dims.writeUInt32BE(100_000, 0);
  dims.writeUInt32BE(100_000, 4);
  return Buffer.concat([header, dims, Buffer.from('0802000000', 'hex'), Buffer.alloc(4), Buffer.alloc(64)]);
}

describe('responsive images', () => {
  const content = new TempContent();
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'lede-image-cache-'));
  let app: LedeApp;

  beforeAll(async () => {
    content.write('static/logo.png', await photo(300, 100, 'png'));
    content.write('static/banner.jpg', await photo(2000, 500));
    content.write(
      'trip/index.md',
      [
        '---',
        'title: A trip',
        'heroImage: cover.jpg',
        'publish_date: 2024-01-01',
        '---',
        '![The beach](beach.jpg)',
        '',
        '![Animated](anim.gif) ![Logo](/logo.png) ![Banner](/banner.jpg) ![Already AVIF](small.avif)',
        '',
        '![Remote](https://example.com/a.jpg) ![Bomb](bomb.png) ![Broken](broken.jpg)',
      ].join('\n'),
    );
    content.write('trip/cover.jpg', await photo(3200, 1800));
    content.write('trip/beach.jpg', await photo(1200, 800));
    content.write('trip/anim.gif', await photo(200, 150, 'gif'));
    content.write('trip/small.avif', await photo(640, 480, 'avif'));
    content.write('trip/bomb.png', bombPng());
    content.write('trip/broken.jpg', Buffer.from('not an image at all, just text'));
    content.write('images/side.png', await photo(300, 100, 'png'));
    content.post('2020/side.md', { title: 'Beside', publish_date: '2024-01-02' }, '![Side](../images/side.png)\n');
    content.post('plain.md', { title: 'No pictures here', author: 'Ann Author', publish_date: '2024-02-01' });
    content.post('many.md', { title: 'Many pictures', publish_date: '2024-02-02' }, '![Logo](/logo.png)\n\n'.repeat(MAX_RESPONSIVE_IMAGES + 50));
    app = testApp(content, { imageCacheDir: cacheDir });
  });
  afterAll(() => {
    app.store.close();
    content.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function article(slug: string): Promise<cheerio.CheerioAPI> {
    const res = await request(app).get(`/posts/${slug}`).expect(200);
    return cheerio.load(res.text);
  }

  it('gives bundle images their width and height, lazy loading and AVIF and WebP srcsets never wider than the image', async () => {
    const $ = await article('trip');
    const img = $('.article__body img[alt="The beach"]');
    expect(img.attr('width')).toBe('1200');
    expect(img.attr('height')).toBe('800');
    expect(img.attr('loading')).toBe('lazy');
    expect(img.attr('src')).toBe('/posts/trip/beach.jpg');
    const sources = img.parent('picture').find('source');
    expect(sources.map((_, s) => $(s).attr('type')).get()).toEqual(['image/avif', 'image/webp']);
    const srcset = sources.first().attr('srcset')!;
    expect(srcset).toMatch(
      /^\/_img\/posts\/trip\/beach\.jpg\/480-[0-9a-f]{16}\.avif 480w, \/_img\/posts\/trip\/beach\.jpg\/960-[0-9a-f]{16}\.avif 960w, \/_img\/posts\/trip\/beach\.jpg\/1200-[0-9a-f]{16}\.avif 1200w$/,
    );
    expect(sources.first().attr('sizes')).toContain('42.5rem');
  });

  it('does the same for static images, and for the first frame of a GIF', async () => {
    const $ = await article('trip');
    expect($('img[alt="Logo"]').attr('width')).toBe('300');
    expect($('img[alt="Logo"]').attr('height')).toBe('100');
    expect($('img[alt="Logo"]').parent('picture').find('source').first().attr('srcset')).toMatch(/^\/_img\/logo\.png\/300-[0-9a-f]{16}\.avif 300w$/);
    expect($('img[alt="Banner"]').parent('picture').find('source[type="image/webp"]').attr('srcset')).toMatch(
      /\/_img\/banner\.jpg\/1600-[0-9a-f]{16}\.webp 1600w$/,
    );
    expect($('img[alt="Animated"]').attr('width')).toBe('200');
  });

  it('does the same for an image at its place in the content folder, and serves its variants', async () => {
    const $ = await article('side');
    expect($('img[alt="Side"]').attr('width')).toBe('300');
    const srcset = $('img[alt="Side"]').parent('picture').find('source').first().attr('srcset')!;
    expect(srcset).toMatch(/^\/_img\/images\/side\.png\/300-[0-9a-f]{16}\.avif 300w$/);
    const variant = await request(app).get(srcset.split(' ')[0]!);
    expect(variant.status).toBe(200);
    expect(variant.headers['content-type']).toBe('image/avif');
  });

  it(`makes at most ${MAX_RESPONSIVE_IMAGES} images of a page responsive, leaving later ones as written (each costs a stat on the main thread)`, async () => {
    const $ = await article('many');
    expect($('img[alt="Logo"]').length).toBe(MAX_RESPONSIVE_IMAGES + 50);
    expect($('picture img[alt="Logo"][width="300"]').length).toBe(MAX_RESPONSIVE_IMAGES);
    expect($('img[alt="Logo"]').last().attr('width')).toBeUndefined();
  });

  it('offers an AVIF image no WebP variants, which would be larger', async () => {
    const $ = await article('trip');
    const img = $('img[alt="Already AVIF"]');
    expect([img.attr('width'), img.attr('height')]).toEqual(['640', '480']);
    expect(
      img
        .parent('picture')
        .find('source')
        .map((_, s) => $(s).attr('type'))
        .get(),
    ).toEqual(['image/avif']);
    const avif = img.parent('picture').find('source').attr('srcset')!.split(' ')[0]!;
    await request(app).get(avif.replace('.avif', '.webp')).expect(404);
  });

  it('gives the hero its own size, high fetch priority and no lazy loading', async () => {
    const $ = await article('trip');
    const hero = $('.article__hero img');
    expect(hero.attr('width')).toBe('3200');
    expect(hero.attr('height')).toBe('1800');
    expect(hero.attr('fetchpriority')).toBe('high');
    expect(hero.attr('loading')).toBeUndefined();
    expect(hero.parent('picture').find('source').first().attr('srcset')).toContain('/_img/posts/trip/cover.jpg/1600-');
  });

  it("gives a card on the index its hero image's size and variants", async () => {
    const $ = cheerio.load((await request(app).get('/').expect(200)).text);
    const img = $('.card a[href="/posts/trip"] img');
    expect([img.attr('width'), img.attr('height')]).toEqual(['3200', '1800']);
    expect(img.parent('picture').find('source[type="image/webp"]').attr('srcset')).toContain('/_img/posts/trip/cover.jpg/480-');
  });

  it('leaves remote images as they are', async () => {
    const $ = await article('trip');
    const remote = $('img[alt="Remote"]');
    expect(remote.attr('src')).toBe('https://example.com/a.jpg');
    expect(remote.attr('width')).toBeUndefined();
    expect(remote.parent('picture').length).toBe(0);
  });

  it('links to a decompression bomb and a corrupt image instead of showing them', async () => {
    const $ = await article('trip');
    expect($('img[alt="Bomb"]').length).toBe(0);
    expect($('a.image-link[href="/posts/trip/bomb.png"]').text()).toBe('Bomb');
    expect($('a.image-link[href="/posts/trip/broken.jpg"]').text()).toBe('Broken');
    // The original file is still served at its URL.
    await request(app).get('/posts/trip/bomb.png').expect(200);
  });

  it('serves each variant as the image type it names, cached for a year, and keeps it on disk', async () => {
    const $ = await article('trip');
    const avif = $('img[alt="The beach"]').parent('picture').find('source').first().attr('srcset')!.split(', ')[1]!.split(' ')[0]!;
    const res = await request(app).get(avif).expect(200);
    expect(res.headers['content-type']).toBe('image/avif');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(res.body as Buffer).metadata();
    expect(meta.width).toBe(960);
    expect(meta.height).toBe(640);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('-960.avif'))).toHaveLength(1);
    // The static one too, and a width that is not offered is not made.
    const webp = $('img[alt="Logo"]').parent('picture').find('source[type="image/webp"]').attr('srcset')!.split(' ')[0]!;
    expect((await request(app).get(webp).expect(200)).headers['content-type']).toBe('image/webp');
    await request(app).get(avif.replace('/960-', '/961-')).expect(404);
  });

  it('makes new variants after the image is edited, and sends old URLs to the file', async () => {
    const before = (await article('trip'))('img[alt="The beach"]').parent('picture').find('source').first().attr('srcset')!.split(' ')[0]!;
    content.write('trip/beach.jpg', await photo(1000, 500, 'jpeg', 20));
    const $ = await article('trip');
    const img = $('img[alt="The beach"]');
    expect(img.attr('width')).toBe('1000');
    expect(img.attr('height')).toBe('500');
    const after = img.parent('picture').find('source').first().attr('srcset')!.split(' ')[0]!;
    expect(after).not.toBe(before);
    const res = await request(app).get(after).expect(200);
    expect((await sharp(res.body as Buffer).metadata()).width).toBe(480);
    const old = await request(app).get(before).expect(302);
    expect(old.headers.location).toBe('/posts/trip/beach.jpg');
  });

  it('gives images in feeds their width and height with absolute URLs, and no srcset', async () => {
    const res = await request(app).get('/feed.json').expect(200);
    const item = (JSON.parse(res.text) as { items: { id: string; content_html: string }[] }).items.find((i) => i.id.endsWith('/posts/trip'))!;
    const $ = cheerio.load(item.content_html);
    const img = $('img[alt="Logo"]');
    expect(img.attr('src')).toBe('http://localhost:3000/logo.png');
    expect([img.attr('width'), img.attr('height')]).toEqual(['300', '100']);
    expect($('picture, source').length).toBe(0);
    expect($('a[href="http://localhost:3000/posts/trip/bomb.png"]').text()).toBe('Bomb');
  });

  it('names the bomb and the corrupt image in npm run check, with their lines', async () => {
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const lines = report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^trip\/index\.md:10: image "\/posts\/trip\/bomb\.png" claims 100000 x 100000 pixels, over the limit .*decompression bomb.*pages link to it/,
        ),
        expect.stringMatching(/^trip\/index\.md:10: image "\/posts\/trip\/broken\.jpg" cannot be read as an image/),
      ]),
    );
  });

  it('redirects a variant of a corrupt image to the file, and gives no variant of a bomb', async () => {
    await request(app).get('/_img/posts/trip/bomb.png/480-0123456789abcdef.avif').expect(404);
  });

  it('gives a post without a hero image a 1200 x 630 social card', async () => {
    const $ = await article('plain');
    const og = $('meta[property="og:image"]').attr('content')!;
    expect(og).toMatch(/^http:\/\/localhost:3000\/_card\/plain\/[0-9a-f]{16}\.png$/);
    expect($('meta[name="twitter:image"]').attr('content')).toBe(og);
    expect($('meta[name="twitter:card"]').attr('content')).toBe('summary_large_image');
    const res = await request(app).get(new URL(og).pathname).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const meta = await sharp(res.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
    // A post with a hero image shows that instead.
    expect((await article('trip'))('meta[property="og:image"]').attr('content')).toBe('http://localhost:3000/posts/trip/cover.jpg');
  });

  it('draws a new card when the title changes', async () => {
    const before = (await article('plain'))('meta[property="og:image"]').attr('content')!;
    content.post('plain.md', { title: 'A new title', author: 'Ann Author', publish_date: '2024-02-01' });
    content.touch('plain.md');
    const after = (await article('plain'))('meta[property="og:image"]').attr('content')!;
    expect(after).not.toBe(before);
    await request(app).get(new URL(after).pathname).expect(200);
    expect((await request(app).get(new URL(before).pathname).expect(302)).headers.location).toBe(new URL(after).pathname);
  });
});
