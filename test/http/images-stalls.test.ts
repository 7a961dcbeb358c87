/**
 * Issue 27, images: no image holds the event loop or libuv's pool
 * (docs/security.md, the render budget; docs/rich-content.md, Images).
 * Each finding at a scale that runs in seconds: large images read when a
 * page is rendered, a FIFO named like an image, concurrent variant jobs,
 * and a title XML cannot hold.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { VARIANT_JOBS } from '../../src/images/variants.js';
import { LOOP_LIMIT_MS, measureLoop, testWork, watchEventLoop } from '../helpers/loop-watch.js';
import { TempContent, testApp } from '../helpers/site.js';

/**
 * A valid RGB PNG of `width` x `height` pixels, all of value `fill`. `stored`:
 * deflate without compression, so the file is as large as its pixels (3
 * bytes each) and costs nothing to make; else compressed to a few hundred KB
 * that still decode to every pixel.
 */
function plainPng(width: number, height: number, fill: number, stored: boolean): Buffer {
  const raw = Buffer.alloc((1 + width * 3) * height, fill);
  for (let y = 0; y < height; y++) raw[y * (1 + width * 3)] = 0; // each row's filter: none
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: stored ? 0 : 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Making the images and the first render of a fresh app on a busy machine (outside what is measured). */
const SETUP_MS = 60_000;
/** Each test's own limit: the variant jobs take seconds of sharp. */
const TEST_MS = 60_000;

/** Polls `ready` each turn of the loop until it holds, or fails after `timeoutMs`. */
async function until(ready: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** sharp tasks running on threads of libuv's pool, by sharp's own counters. */
function sharpTasks(): number {
  return sharp.counters().process;
}

jest.setTimeout(TEST_MS);

/** A content folder and an image cache for one describe block, removed after it; `start()` builds the app on them. */
function imageSite(): { readonly content: TempContent; start: () => LedeApp } {
  const content = new TempContent();
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'lede-image-cache-'));
  let app: LedeApp | undefined;
  afterAll(() => {
    app?.store.close();
    content.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  return { content, start: () => (app = testApp(content, { imageCacheDir: cacheDir })) };
}

describe('large images on a page', () => {
  const site = imageSite();
  const content = site.content;
  let app: LedeApp;
  let edited: Buffer;

  beforeAll(async () => {
    edited = plainPng(3000, 3500, 9, true);
    // Four images of about 30 MB each, under the 40 MB cap: each one read and hashed at once held the loop.
    const names = [0, 1, 2, 3].map((i) => `big-${i}.png`);
    await mkdir(path.join(content.dir, 'big'));
    // Generating the pictures is the test's own work, set aside from the loop watch.
    for (const [i, name] of names.entries()) await writeFile(path.join(content.dir, 'big', name), await testWork(() => plainPng(3000, 3400 + i, i, true)));
    content.write(
      'big/index.md',
      `---\ntitle: Big pictures\nheroImage: big-0.png\npublish_date: 2024-01-01\n---\n\n${names.map((n) => `![${n}](${n})`).join('\n\n')}\n`,
    );
    content.post('small.md', { title: 'Small', publish_date: '2024-01-02' });
    app = site.start();
    // The fresh server's first reads (the folder, the render thread) are not what is measured here.
    await request(app).get('/posts/small').expect(200);
  }, SETUP_MS);
  watchEventLoop();

  it('renders the page without holding the loop, and answers /healthz meanwhile', async () => {
    const { value, maxMs } = await measureLoop(() => Promise.all([request(app).get('/posts/big'), request(app).get('/healthz')]));
    const [page, health] = value;
    expect(page.status).toBe(200);
    expect(health.status).toBe(200);
    const $ = cheerio.load(page.text);
    // Every image read and sized: the work was done, off the loop.
    expect(
      $('.article__body img')
        .map((_, img) => $(img).attr('width'))
        .get(),
    ).toEqual(['3000', '3000', '3000', '3000']);
    expect(
      $('.article__body img')
        .map((_, img) => $(img).attr('height'))
        .get(),
    ).toEqual(['3400', '3401', '3402', '3403']);
    expect(maxMs).toBeLessThan(LOOP_LIMIT_MS);
  });

  it('renders it again from what it read, and reads edited images again without holding the loop', async () => {
    const again = await request(app).get('/posts/big').expect(200);
    expect(cheerio.load(again.text)('.article__body img').first().attr('height')).toBe('3400');
    // Measured from the first write: whatever notices the edits (the request, or a watcher) must not hold the loop.
    const { value, maxMs } = await measureLoop(async () => {
      for (let i = 0; i < 4; i++) await writeFile(path.join(content.dir, 'big', `big-${i}.png`), edited);
      return request(app).get('/posts/big');
    });
    const $ = cheerio.load(value.text);
    expect(
      $('.article__body img')
        .map((_, img) => $(img).attr('height'))
        .get(),
    ).toEqual(['3500', '3500', '3500', '3500']);
    expect(maxMs).toBeLessThan(LOOP_LIMIT_MS);
  });
});

describe('a FIFO named like an image', () => {
  const site = imageSite();
  const content = site.content;
  let app: LedeApp;

  beforeAll(async () => {
    content.write('pipe/index.md', '---\ntitle: A pipe\nheroImage: hero.png\npublish_date: 2024-01-01\n---\n\n![A pipe](x.png)\n');
    execFileSync('mkfifo', [path.join(content.dir, 'pipe', 'x.png')]);
    execFileSync('mkfifo', [path.join(content.dir, 'pipe', 'hero.png')]);
    content.post('small.md', { title: 'Small', publish_date: '2024-01-02' });
    app = site.start();
    await request(app).get('/posts/small').expect(200);
  }, SETUP_MS);

  describe('served', () => {
    watchEventLoop();
    it('is never read: the page answers and links to it, as to any refused image', async () => {
      const res = await request(app).get('/posts/pipe').expect(200);
      const $ = cheerio.load(res.text);
      expect($('.article__body img').length).toBe(0);
      expect($('.article__body a.image-link').attr('href')).toBe('/posts/pipe/x.png');
      expect($('picture').length).toBe(0);
    });
  });

  it('is named by npm run check', async () => {
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const messages = report.problems.filter((p) => p.file === path.join('pipe', 'index.md')).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^image "\/posts\/pipe\/x\.png" is a FIFO, not a regular file/),
        expect.stringMatching(/^image "\/posts\/pipe\/hero\.png" is a FIFO, not a regular file/),
      ]),
    );
  });
});

describe('variant jobs', () => {
  const site = imageSite();
  const content = site.content;
  let app: LedeApp;

  beforeAll(async () => {
    // Four 4096 x 4096 PNGs (a few hundred KB each, 50 MB of pixels to decode), each variant job long enough to be seen.
    const names = [0, 1, 2, 3].map((i) => `huge-${i}.png`);
    for (const [i, name] of names.entries()) content.write(`huge/${name}`, await testWork(() => plainPng(4096, 4096, 40 + i * 40, false)));
    content.write('huge/index.md', `---\ntitle: Huge pictures\npublish_date: 2024-01-01\n---\n\n${names.map((n) => `![${n}](${n})`).join('\n\n')}\n`);
    content.write('static/notes.txt', 'A static file.\n');
    content.post('small.md', { title: 'Small', publish_date: '2024-01-02' });
    app = site.start();
    await request(app).get('/posts/small').expect(200);
    await request(app).get('/notes.txt').expect(200);
  }, SETUP_MS);
  watchEventLoop();

  it(`runs at most ${VARIANT_JOBS} sharp task at once for 8 concurrent requests, and answers a static file meanwhile`, async () => {
    const $ = cheerio.load((await request(app).get('/posts/huge').expect(200)).text);
    // The largest AVIF and WebP variant of each of the four images: 8 requests, 4 sources.
    const urls = $('picture source')
      .map((_, s) => $(s).attr('srcset')!.split(', ').at(-1)!.split(' ')[0]!)
      .get();
    expect(urls).toHaveLength(8);
    const order: string[] = [];
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        most = Math.max(most, sharpTasks());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const variants = urls.map((url) =>
      request(app)
        .get(url)
        .then((res) => {
          order.push('variant');
          return res;
        }),
    );
    await until(() => sharpTasks() > 0, 'the first variant job to start');
    const file = await request(app).get('/notes.txt');
    order.push('static');
    const answers = await Promise.all(variants);
    watching = false;
    await watch;
    expect(file.status).toBe(200);
    // Answered while the first job was still making its variants, not after the pool emptied.
    expect(order[0]).toBe('static');
    expect(answers.map((res) => [res.status, res.headers['content-type']])).toEqual(
      urls.map((url) => [200, url.endsWith('.avif') ? 'image/avif' : 'image/webp']),
    );
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(VARIANT_JOBS);
  });
});

describe('a title XML cannot hold', () => {
  const site = imageSite();
  const content = site.content;
  let app: LedeApp;

  beforeAll(async () => {
    // YAML's "\u0001" escape: a control character pasted into the title.
    content.post('bell.md', { title: 'A bell \u0001 rings', author: 'Ann \uFFFE Author', publish_date: '2024-01-01' });
    content.post('small.md', { title: 'Small', publish_date: '2024-01-02' });
    app = site.start();
    await request(app).get('/posts/small').expect(200);
  }, SETUP_MS);

  describe('served', () => {
    watchEventLoop();
    it('gets a card drawn without those characters', async () => {
      const $ = cheerio.load((await request(app).get('/posts/bell').expect(200)).text);
      const card = new URL($('meta[property="og:image"]').attr('content')!).pathname;
      const res = await request(app).get(card);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(await sharp(res.body as Buffer).metadata()).toMatchObject({ width: 1200, height: 630 });
    });
  });

  it('is named by npm run check: the file and the fields', async () => {
    const report = await checkContent(content.dir, 2 * 1024 * 1024);
    const notices = report.notices.filter((n) => n.file === 'bell.md');
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, message: expect.stringMatching(/^title holds U\+0001, which XML cannot hold/) }),
        expect.objectContaining({ line: 3, message: expect.stringMatching(/^author holds U\+FFFE, which XML cannot hold/) }),
      ]),
    );
  });
});
