/**
 * `npm run docs:screenshot`: the pictures of the docs, taken again.
 *
 * - `docs/screenshot.jpg`, at the top of README.md: the bundled article's top
 *   (header, headline, byline, hero) and its end (the last paragraphs and the
 *   CTA) side by side.
 * - `docs/screenshots/<view>.jpg`, in docs/themes.md: each view (index,
 *   article, math-and-diagram, search, archive, tag, About) as a reader sees
 *   its first screen, at 1280 px and 390 px, light and dark, in one picture.
 *   The site is the bundled content/ plus the showcase of
 *   test/fixtures/showcase/ (a post with math, a diagram, a task list and
 *   footnotes; an About page; short posts; a brand colour), in a temporary
 *   folder.
 *
 * `--before` writes the views as `docs/screenshots/<view>-before.jpg` and
 * leaves the README's picture alone: run it on the old code to keep the
 * "before" of a change of look.
 *
 * - `docs/export-parity.jpg`, in docs/deploying.md (`exportPicture`): a page
 *   with math and a diagram, live on the left, exported and served by nginx
 *   with deploy/nginx-static.conf on the right
 *   (test/browser/export-parity.test.ts checks what it shows).
 * - `docs/search-export.jpg`, in docs/search.md (`exportedSearchShot`): the
 *   live and the exported search page side by side.
 *
 * Production mode, as readers see it. Not part of `npm test`: a picture is
 * checked by eye, and it changes with every font or Chromium update.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mime from 'mime-types';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../src/app.js';
import { exportSite } from '../src/cli/export-site.js';
import { loadConfig, makeConfig, PACKAGE_ROOT } from '../src/config.js';
import { launchChromium, listen, standInForRemoteHosts } from '../test/helpers/browser.js';
import { Nginx, staticSiteConf } from '../test/helpers/nginx.js';
import { DIAGRAM_BODY, MATH_BODY } from '../test/helpers/rich-bodies.js';
import { writeSearchSite } from '../test/helpers/search-site.js';

/** Each half of the README's picture; together small enough for a README (under 150 KB) and sharp enough to read. */
const README_VIEWPORT = { width: 900, height: 820 };
const QUALITY = 60;
const ARTICLE = '/posts/deepseek-rising-challenger';

/** The views of docs/themes.md, and what to wait for or scroll to on each. */
const VIEWS: readonly { name: string; path: string; scrollTo?: string; waitFor?: string }[] = [
  // The end of the grid: the lead's foot and the last row of cards.
  { name: 'index', path: '/', scrollTo: '.cards > .card:last-child' },
  { name: 'article', path: ARTICLE },
  { name: 'math-and-diagram', path: '/posts/math-and-diagram', scrollTo: '.katex-display', waitFor: 'figure.diagram svg' },
  { name: 'search', path: '/search?q=cache' },
  { name: 'archive', path: '/archive' },
  { name: 'tag', path: '/tags/engineering' },
  { name: 'about', path: '/about' },
];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** How much each shot is shrunk in the composite picture (about 1 MB of pixels: small as a JPEG, still legible). */
const DESKTOP_SCALE = 0.55;
const PHONE_SCALE = 0.5;
const VIEWS_QUALITY = 55;

const { values } = parseArgs({ options: { before: { type: 'boolean', default: false } } });

const browser = await launchChromium();
try {
  if (!values.before) await readmePicture(browser);
  await viewPictures(browser, values.before ? '-before' : '');
  if (!values.before) await exportPicture(browser);
  if (!values.before) await exportedSearchShot(browser);
} finally {
  await browser.close();
}

/** The bundled content as it is, its article's top and end side by side. */
async function readmePicture(browser: Browser): Promise<void> {
  const contentDir = path.join(PACKAGE_ROOT, 'content');
  // The bundled settings (title, navigation, CTA) as a reader sees them, whatever this shell's environment says.
  const app = createApp(loadConfig({ CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, PACKAGE_ROOT));
  const server = await listen(app);
  try {
    const context = await browser.newContext({ viewport: README_VIEWPORT, colorScheme: 'light' });
    // A remote hero image would be unreachable here; a local stand-in keeps the picture the same offline.
    await standInForRemoteHosts(context, server.origin);
    const page = await context.newPage();
    await page.goto(server.origin + ARTICLE, { waitUntil: 'networkidle' });
    await page.evaluate(() => document.fonts.ready);
    const top = await page.screenshot({ type: 'png' });
    // The end: the bottom of the CTA panel at the bottom of the picture, the footer left out.
    const ctaBottom = await page.locator('aside.cta').evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    const end = await page.screenshot({
      type: 'png',
      fullPage: true,
      clip: { x: 0, y: Math.max(0, ctaBottom + 40 - README_VIEWPORT.height), ...README_VIEWPORT },
    });
    const jpeg = await compose(browser, `<div style="display:flex;gap:24px">${img(top)}${img(end)}</div>`, QUALITY);
    write(path.join(PACKAGE_ROOT, 'docs', 'screenshot.jpg'), jpeg);
    await context.close();
  } finally {
    app.store.close();
    app.pages.close();
    await server.close();
  }
}

/** Each view at two widths in two schemes, one JPEG a view. */
async function viewPictures(browser: Browser, suffix: string): Promise<void> {
  const contentDir = mkdtempSync(path.join(tmpdir(), 'lede-showcase-'));
  cpSync(path.join(PACKAGE_ROOT, 'content'), contentDir, { recursive: true });
  cpSync(path.join(PACKAGE_ROOT, 'test', 'fixtures', 'showcase'), contentDir, { recursive: true });
  cpSync(path.join(PACKAGE_ROOT, 'test', 'fixtures', 'field-guide-to-caching.md'), path.join(contentDir, 'field-guide-to-caching.md'));
  const app = createApp(loadConfig({ CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, PACKAGE_ROOT));
  const server = await listen(app);
  const folder = path.join(PACKAGE_ROOT, 'docs', 'screenshots');
  mkdirSync(folder, { recursive: true });
  try {
    for (const view of VIEWS) {
      const shots: Record<string, Buffer> = {};
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        for (const scheme of ['light', 'dark'] as const) {
          const context = await browser.newContext({ viewport, colorScheme: scheme });
          await standInForRemoteHosts(context, server.origin);
          const page = await context.newPage();
          await page.goto(server.origin + view.path, { waitUntil: 'networkidle' });
          shots[`${size}-${scheme}`] = await firstScreen(page, view);
          await context.close();
        }
      }
      const d = (key: string) => img(shots[key]!, DESKTOP.width * DESKTOP_SCALE);
      const p = (key: string) => img(shots[key]!, PHONE.width * PHONE_SCALE);
      const column = (a: string, b: string) => `<div style="display:flex;flex-direction:column;gap:12px">${a}${b}</div>`;
      const html = `<div style="display:flex;gap:12px;align-items:flex-start">${column(d('desktop-light'), d('desktop-dark'))}${column(p('phone-light'), p('phone-dark'))}</div>`;
      write(path.join(folder, `${view.name}${suffix}.jpg`), await compose(browser, html, VIEWS_QUALITY));
    }
  } finally {
    app.store.close();
    app.pages.close();
    await server.close();
    rmSync(contentDir, { recursive: true, force: true });
  }
}

/** The screen a reader sees: after the fonts, scrolled to the view's point of interest, its diagram drawn. */
async function firstScreen(page: Page, view: (typeof VIEWS)[number]): Promise<Buffer> {
  if (view.scrollTo) {
    await page
      .locator(view.scrollTo)
      .first()
      .evaluate((el) => {
        const r = el.getBoundingClientRect();
        // The element's foot two thirds down the screen, or its top a third down when it is tall.
        const top =
          r.bottom - r.top > window.innerHeight * 0.6
            ? r.top + window.scrollY - window.innerHeight * 0.3
            : r.bottom + window.scrollY - window.innerHeight * 0.75;
        window.scrollTo({ top: Math.max(0, top), behavior: 'instant' });
      });
  }
  if (view.waitFor) await page.locator(view.waitFor).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete || i.loading === 'lazy'));
  return page.screenshot({ type: 'png' });
}

function img(png: Buffer, width?: number): string {
  return `<img src="data:image/png;base64,${png.toString('base64')}" style="display:block;${width ? `width:${Math.round(width)}px;` : ''}box-shadow:0 1px 4px rgb(0 0 0/.25)">`;
}

/** Lays the shots out in the browser itself (no image library needed) and returns the page as a JPEG. */
async function compose(browser: Browser, html: string, quality: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
  try {
    await page.setContent(`<body style="margin:0;display:inline-block;padding:12px;background:#d9d6cf">${html}</body>`);
    await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode())));
    const size = await page.evaluate(() => ({ width: document.body.offsetWidth, height: document.body.offsetHeight }));
    await page.setViewportSize(size);
    return await page.screenshot({ type: 'jpeg', quality });
  } finally {
    await page.close();
  }
}

function write(file: string, jpeg: Buffer): void {
  writeFileSync(file, jpeg);
  console.log(`${path.relative(process.cwd(), file)}: ${Math.round(jpeg.length / 1024)} KB`);
}

/**
 * docs/search-export.jpg: the live `/search` and the exported site's search
 * page (served as static files, as nginx-static.conf in deploy/ serves them: `path`, else `path/index.html`) for the same query,
 * side by side, over the bundled content with the dozen posts of the search
 * tests (test/helpers/search-site.ts) so there are several results.
 */
async function exportedSearchShot(shotBrowser: Browser): Promise<void> {
  const shot = { width: 760, height: 900 };
  const query = 'open source models';
  const outRoot = mkdtempSync(path.join(tmpdir(), 'lede-docs-search-'));
  const contentCopy = path.join(outRoot, 'content');
  const outDir = path.join(outRoot, 'site');
  cpSync(path.join(PACKAGE_ROOT, 'content'), contentCopy, { recursive: true });
  mkdirSync(path.join(contentCopy, 'pages'), { recursive: true });
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
