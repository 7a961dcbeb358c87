/**
 * `npm run docs:screenshot`: the picture at the top of README.md, taken
 * again. Serves the bundled content/ (production mode, as readers see it),
 * opens the bundled article in Debian's Chromium and keeps its top (header,
 * headline, byline, hero) and its end (the last paragraphs and the CTA) side
 * by side, as a small JPEG in docs/screenshot.jpg. Not part of `npm test`: a
 * picture is checked by eye, and it changes with every font or Chromium
 * update. Then docs/search-export.jpg (`exportedSearchShot`): the live and
 * the exported search page side by side.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mime from 'mime-types';
import { createApp } from '../src/app.js';
import { exportSite } from '../src/cli/export-site.js';
import { loadConfig, PACKAGE_ROOT } from '../src/config.js';
import { launchChromium, listen, standInForRemoteHosts } from '../test/helpers/browser.js';
import { writeSearchSite } from '../test/helpers/search-site.js';

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

await exportedSearchShot();

/**
 * docs/search-export.jpg: the live `/search` and the exported site's search
 * page (served as static files, as nginx-static.conf in deploy/ serves them: `path`, else `path/index.html`) for the same query,
 * side by side, over the bundled content with the dozen posts of the search
 * tests (test/helpers/search-site.ts) so there are several results.
 */
async function exportedSearchShot(): Promise<void> {
  const shot = { width: 760, height: 900 };
  const query = 'open source models';
  const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-docs-search-'));
  const contentCopy = path.join(outRoot, 'content');
  const outDir = path.join(outRoot, 'site');
  mkdirSync(path.join(contentCopy, 'pages'), { recursive: true });
  for (const file of ['_site.yml', 'deepseek-rising-challenger.md']) writeFileSync(path.join(contentCopy, file), readFileSync(path.join(contentDir, file)));
  // As TempContent writes a post (test/helpers/site.ts, which needs jest).
  const post = (relPath: string, frontmatter: Record<string, unknown>, body = ''): string => {
    const file = path.join(contentCopy, relPath);
    const yaml = Object.entries(frontmatter).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    writeFileSync(file, `---\n${yaml.join('\n')}\n---\n\n${body}`);
    return file;
  };
  writeSearchSite({ post });
  const config = loadConfig({ CONTENT_DIR: contentCopy, NODE_ENV: 'production', LOG_LEVEL: 'silent', SITE_URL: 'https://blog.example.com' }, PACKAGE_ROOT);
  const liveApp = createApp(config);
  const liveServer = await listen(liveApp);
  const shotBrowser = await launchChromium();
  let files: { origin: string; close: () => Promise<void> } | undefined;
  try {
    await exportSite(config, outDir);
    files = await staticServer(outDir);
    // Each origin in a context of its own: the stand-in for remote images answers every other origin.
    const shootAt = async (origin: string, ready?: string): Promise<Buffer> => {
      const context = await shotBrowser.newContext({ viewport: shot, colorScheme: 'light' });
      await standInForRemoteHosts(context, origin);
      const page = await context.newPage();
      await page.goto(`${origin}/search?q=${encodeURIComponent(query)}`, { waitUntil: 'networkidle' });
      if (ready) await page.waitForSelector(ready);
      return page.screenshot({ type: 'png' });
    };
    const liveShot = await shootAt(liveServer.origin);
    const exportedShot = await shootAt(files.origin, 'section.search:not([aria-busy]) > .search__status');
    const context = await shotBrowser.newContext({ viewport: shot, colorScheme: 'light' });
    const pair = await context.newPage();
    await pair.setViewportSize({ width: shot.width * 2 + 24, height: shot.height + 32 });
    const img = (png: Buffer, label: string): string =>
      `<figure style="margin:0"><figcaption style="font:600 15px sans-serif;padding:6px 8px;height:20px">${label}</figcaption><img src="data:image/png;base64,${png.toString('base64')}" style="display:block"></figure>`;
    await pair.setContent(
      `<body style="margin:0;display:flex;gap:24px;background:#d9d6cf">${img(liveShot, 'Live server: /search')}${img(exportedShot, 'Static export: /search/')}</body>`,
    );
    const jpeg = await pair.screenshot({ type: 'jpeg', quality: QUALITY });
    const file = path.join(PACKAGE_ROOT, 'docs', 'search-export.jpg');
    writeFileSync(file, jpeg);
    console.log(`${path.relative(process.cwd(), file)}: ${Math.round(jpeg.length / 1024)} KB, ${shot.width * 2 + 24}×${shot.height + 32}`);
  } finally {
    await shotBrowser.close();
    await files?.close();
    liveApp.store.close();
    liveApp.pages.close();
    await liveServer.close();
    rmSync(outRoot, { recursive: true, force: true });
  }
}

/** The export's files on a loopback port: a path's own file, else its `index.html` (test/helpers/nginx.ts needs jest). */
async function staticServer(root: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const candidates = [path.join(root, urlPath), path.join(root, urlPath, 'index.html')];
    const file = candidates.find((candidate) => candidate.startsWith(root) && existsSync(candidate) && statSync(candidate).isFile());
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': mime.contentType(path.extname(file)) || 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
