/**
 * `npm run docs:screenshot`: the picture at the top of README.md, taken
 * again. Serves the bundled content/ (production mode, as readers see it),
 * opens the bundled article in Debian's Chromium and keeps its top (header,
 * headline, byline, hero) and its end (the last paragraphs and the CTA) side
 * by side, as a small JPEG in docs/screenshot.jpg. Not part of `npm test`: a
 * picture is checked by eye, and it changes with every font or Chromium
 * update.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig, PACKAGE_ROOT } from '../src/config.js';
import { launchChromium, listen, standInForRemoteHosts } from '../test/helpers/browser.js';

/** Each half of the picture; together small enough for a README (under 150 KB) and sharp enough to read. */
const VIEWPORT = { width: 900, height: 820 };
const QUALITY = 60;
const ARTICLE = '/posts/deepseek-rising-challenger';

const contentDir = path.join(PACKAGE_ROOT, 'content');
// The bundled settings (title, navigation, CTA) as a reader sees them, whatever this shell's environment says.
const app = createApp(loadConfig({ CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, PACKAGE_ROOT));
const server = await listen(app);
const browser = await launchChromium();
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
  await browser.close();
  app.store.close();
  app.pages.close();
  await server.close();
}
