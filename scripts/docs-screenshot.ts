/**
 * `npm run docs:screenshot`: the pictures of the docs, taken again.
 *
 * - docs/screenshot.jpg, at the top of README.md: serves the bundled content/
 *   (production mode, as readers see it), opens the bundled article in
 *   Debian's Chromium and keeps its top (header, headline, byline, hero) and
 *   its end (the last paragraphs and the CTA) side by side.
 * - docs/export-parity.jpg, in docs/deploying.md: a page with math and a
 *   diagram, live on the left, exported and served by nginx with
 *   deploy/nginx-static.conf on the right.
 *
 * `npm run docs:screenshot -- export` takes the second alone. Not part of
 * `npm test`: a picture is checked by eye, and it changes with every font or
 * Chromium update (test/browser/export-parity.test.ts checks what the second shows).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createApp } from '../src/app.js';
import { exportSite } from '../src/cli/export-site.js';
import { loadConfig, makeConfig, PACKAGE_ROOT } from '../src/config.js';
import { launchChromium, listen, standInForRemoteHosts } from '../test/helpers/browser.js';
import { Nginx, staticSiteConf } from '../test/helpers/nginx.js';
import { DIAGRAM_BODY, MATH_BODY } from '../test/helpers/rich-bodies.js';

/** Each half of the picture; together small enough for a README (under 150 KB) and sharp enough to read. */
const VIEWPORT = { width: 900, height: 820 };
const QUALITY = 60;
const ARTICLE = '/posts/deepseek-rising-challenger';

const which = process.argv[2];
const browser = await launchChromium();
try {
  if (which === undefined || which === 'readme') await readmePicture(browser);
  if (which === undefined || which === 'export') await exportPicture(browser);
} finally {
  await browser.close();
}

/** docs/screenshot.jpg: the bundled article's top and end, side by side. */
async function readmePicture(browser: Browser): Promise<void> {
  const contentDir = path.join(PACKAGE_ROOT, 'content');
  // The bundled settings (title, navigation, CTA) as a reader sees them, whatever this shell's environment says.
  const app = createApp(loadConfig({ CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, PACKAGE_ROOT));
  const server = await listen(app);
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
    // The bundled hero image is remote; a local stand-in keeps the picture the same offline.
    await standInForRemoteHosts(context, server.origin);
    const page = await context.newPage();
    await page.goto(server.origin + ARTICLE, { waitUntil: 'networkidle' });
    const top = await page.screenshot({ type: 'png' });
    // The end: the bottom of the CTA panel at the bottom of the picture, the footer left out.
    const ctaBottom = await page.locator('aside.cta').evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    const end = await page.screenshot({ type: 'png', fullPage: true, clip: { x: 0, y: Math.max(0, ctaBottom + 40 - VIEWPORT.height), ...VIEWPORT } });
    // Side by side, through the browser itself: no image library needed.
    const pair = await context.newPage();
    await pair.setViewportSize({ width: VIEWPORT.width * 2 + 24, height: VIEWPORT.height });
    const img = (png: Buffer): string => `<img src="data:image/png;base64,${png.toString('base64')}" style="display:block">`;
    await pair.setContent(`<body style="margin:0;display:flex;gap:24px;background:#d9d6cf">${img(top)}${img(end)}</body>`);
    const jpeg = await pair.screenshot({ type: 'jpeg', quality: QUALITY });
    const file = path.join(PACKAGE_ROOT, 'docs', 'screenshot.jpg');
    writeFileSync(file, jpeg);
    console.log(`${path.relative(process.cwd(), file)}: ${Math.round(jpeg.length / 1024)} KB, ${VIEWPORT.width * 2 + 24}×${VIEWPORT.height}`);
  } finally {
    app.store.close();
    app.pages.close();
    await server.close();
  }
}

/** docs/export-parity.jpg: a page with math and a diagram, live and exported, side by side. */
async function exportPicture(browser: Browser): Promise<void> {
  const top = mkdtempSync(path.join(tmpdir(), 'lede-docs-export-'));
  const contentDir = path.join(top, 'content');
  mkdirSync(contentDir);
  const post = ['---', 'title: Sums and a flow', 'publish_date: 2024-03-03', 'author: Ann Author', '---', '', MATH_BODY, DIAGRAM_BODY].join('\n');
  writeFileSync(path.join(contentDir, 'sums-and-a-flow.md'), post);
  const config = makeConfig({ contentDir, env: 'production', siteUrl: 'https://blog.example.com', logLevel: 'silent' });
  const outDir = path.join(top, 'site');
  await exportSite(config, outDir);
  const nginx = new Nginx();
  await nginx.start(staticSiteConf(outDir));
  const app = createApp(config);
  const server = await listen(app);
  const width = 640;
  const height = 800;
  try {
    const shots: Buffer[] = [];
    for (const origin of [server.origin, `http://127.0.0.1:${nginx.port}`]) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(`${origin}/posts/sums-and-a-flow`, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      await page.evaluate(() => document.querySelector('pre > code.language-mermaid')?.scrollIntoView());
      await page.waitForSelector('figure.diagram svg', { timeout: 30_000 });
      // From the headline down: the formulas and the diagram in one picture.
      const headline = await page
        .locator('h1')
        .first()
        .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      shots.push(await page.screenshot({ type: 'png', fullPage: true, clip: { x: 0, y: Math.max(0, headline - 24), width, height } }));
      await context.close();
    }
    const pair = await browser.newPage({ viewport: { width: width * 2 + 24, height: height + 36 } });
    const column = (label: string, png: Buffer): string =>
      `<div><p style="margin:0;padding-left:8px;height:36px;font:600 16px/36px system-ui,sans-serif;color:#222">${label}</p><img src="data:image/png;base64,${png.toString('base64')}" style="display:block"></div>`;
    await pair.setContent(
      `<body style="margin:0;display:flex;gap:24px;background:#d9d6cf">${column('Live (npm start)', shots[0]!)}${column('Exported, served by nginx', shots[1]!)}</body>`,
    );
    const jpeg = await pair.screenshot({ type: 'jpeg', quality: QUALITY });
    const file = path.join(PACKAGE_ROOT, 'docs', 'export-parity.jpg');
    writeFileSync(file, jpeg);
    console.log(`${path.relative(process.cwd(), file)}: ${Math.round(jpeg.length / 1024)} KB, ${width * 2 + 24}×${height + 36}`);
  } finally {
    await server.close();
    app.store.close();
    app.pages.close();
    await nginx.stop();
    rmSync(top, { recursive: true, force: true });
  }
}
