/**
 * An author's SVG with a script inside, in a page bundle, exported with
 * `npm run export`, served by nginx with deploy/nginx-static.conf and opened
 * in Chromium as a page of its own: the script must not run on the site's
 * origin, as it does not on the live server (issue 19).
 *
 * @requires chromium
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { exportSite } from '../../src/cli/export-site.js';
import { launchChromium } from '../helpers/browser.js';
import { Nginx, staticSiteConf } from '../helpers/nginx.js';
import { TempContent, testConfig } from '../helpers/site.js';

/** Marks its own document when its script runs. */
const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><script>document.documentElement.setAttribute('data-ran', 'yes')</script><rect width="16" height="9" fill="#3c3"/></svg>\n`;

const content = new TempContent();
const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-svg-'));
const outDir = path.join(outRoot, 'site');
const nginx = new Nginx();
let browser: Browser;

beforeAll(async () => {
  content.write('trip/index.md', '---\ntitle: Trip\npublish_date: 2024-01-01\n---\n\n![A map](map.svg)\n');
  content.write('trip/map.svg', EVIL_SVG);
  // A site-wide file: served at the root, written by authors all the same.
  content.write('static/img/badge.svg', EVIL_SVG);
  await exportSite(testConfig(content.dir, { env: 'production', siteUrl: 'https://blog.example.com' }), outDir);
  await nginx.start(staticSiteConf(outDir));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await nginx.stop();
  rmSync(outRoot, { recursive: true, force: true });
  content.cleanup();
});

describe('a bundle SVG from the export, in Chromium', () => {
  const ran = (): Promise<string | null> => page.evaluate(() => document.documentElement.getAttribute('data-ran'));
  let page: Awaited<ReturnType<Browser['newPage']>>;
  beforeAll(async () => {
    page = await browser.newPage();
  });

  it('should run its script when sent without the policy (the test can see a script run)', async () => {
    await page.route('http://control.invalid/map.svg', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: EVIL_SVG }));
    await page.goto('http://control.invalid/map.svg');
    expect(await ran()).toBe('yes');
  });

  it('should run no script when nginx serves it from the export', async () => {
    const reply = await page.goto(`http://127.0.0.1:${nginx.port}/posts/trip/map.svg`);
    expect(reply?.status()).toBe(200);
    expect(reply?.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(await ran()).toBeNull();
  });

  it('should run no script from a site-wide SVG either (content/static)', async () => {
    const reply = await page.goto(`http://127.0.0.1:${nginx.port}/img/badge.svg`);
    expect(reply?.status()).toBe(200);
    expect(await ran()).toBeNull();
  });

  it('should still show it as an image in the post', async () => {
    await page.goto(`http://127.0.0.1:${nginx.port}/posts/trip`);
    const image = page.locator('img[src$="map.svg"]');
    // Images may load lazily: bring it into view and wait for it, on a busy machine too.
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('img[src$="map.svg"]') as HTMLImageElement | null)?.complete === true, undefined, {
      timeout: 30_000,
    });
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  });
});
