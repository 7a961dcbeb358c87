/**
 * The static export: the whole site as files, rendered by the same app that
 * serves it live. Lede listens on a loopback port for the duration, every
 * URL is requested as a reader would, and what comes back is written as is:
 * pages as `<path>/index.html`, other files under their own path, the 404
 * page as `404.html`, and `.gz` and `.br` beside each text file for servers
 * that send precompressed files (nginx `gzip_static`).
 *
 * URLs come from the posts the site shows, the fixed routes, the theme's
 * assets and each post's bundle files, and from following every same-site
 * link in what was rendered, so a page the templates link to is never left
 * out. The new export is built beside the target folder and swapped in when
 * complete, so a web server never serves half an export.
 */
import { promises as fs, existsSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import type { Logger } from 'pino';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { listStaticFiles } from '../content/static-files.js';
import { ARCHIVE_URL, assetUrl, bundleFileUrl, FEED_URLS, INDEX_URL, pageUrl, postUrl, ROBOTS_URL, ROUTES, SITEMAP_URL, TAGS_URL } from '../content/urls.js';
import { assetFolders } from '../render/theme.js';

/** Routes that exist when their feature is installed; a 404 for one of them is not an error. */
export const OPTIONAL_ROUTES: readonly string[] = [FEED_URLS.rss, FEED_URLS.atom, FEED_URLS.json, SITEMAP_URL, ROBOTS_URL, TAGS_URL];

/** A path no route answers: its page is the site's 404 page. */
const NOT_FOUND_PROBE = '/lede-static-export-404';

/** Marks a folder as a Lede export, so a later export may replace it. */
export const MARKER = '.lede-export';

const TEXT_TYPE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|manifest\+json)|image\/svg\+xml)/;

export interface BrokenLink {
  /** The page the link is on. */
  readonly from: string;
  readonly href: string;
  readonly status: number;
}

export interface ExportReport {
  readonly outDir: string;
  /** Every URL path written, sorted. */
  readonly paths: readonly string[];
  /** Files written (the precompressed ones included). */
  readonly files: number;
  readonly bytes: number;
  /** Same-site links that do not answer 200 on the live site either. */
  readonly broken: readonly BrokenLink[];
}

export interface ExportOptions {
  logger?: Logger;
  /** Requests in flight at once. */
  concurrency?: number;
}

interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

export async function exportSite(config: Config, outDir: string, options: ExportOptions = {}): Promise<ExportReport> {
  const target = path.resolve(outDir);
  await assertReplaceable(target);
  const app = createApp(config, options.logger ? { logger: options.logger } : {});
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const staging = await fs.mkdtemp(`${target}.partial-`);
  try {
    const site = new URL(config.siteUrl);
    const seeds = await seedPaths(app, config);
    const queue: { path: string; from: string | undefined }[] = seeds.map((p) => ({ path: p, from: undefined }));
    const seen = new Set(seeds);
    const written: string[] = [];
    const broken: BrokenLink[] = [];
    let files = 0;
    let bytes = 0;

    const write = async (relFile: string, body: Buffer, type: string): Promise<void> => {
      const file = path.join(staging, relFile);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
      files++;
      bytes += body.length;
      if (TEXT_TYPE.test(type)) {
        const gz = gzipSync(body, { level: 9 });
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        await fs.writeFile(`${file}.gz`, gz);
        await fs.writeFile(`${file}.br`, br);
        files += 2;
        bytes += gz.length + br.length;
      }
    };

    /** The status each path answered, and every same-site link seen, for the broken-link report. */
    const statuses = new Map<string, number>();
    const edges: { from: string; to: string; href: string }[] = [];

    const visit = async (item: { path: string; from: string | undefined }): Promise<void> => {
      const res = await fetchPath(port, item.path);
      statuses.set(item.path, res.status);
      const type = String(res.headers['content-type'] ?? 'application/octet-stream');
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        const to = internalPath(res.headers.location, site, item.path);
        if (to === undefined) return;
        edges.push({ from: item.path, to, href: res.headers.location });
        enqueue(to, item.path);
        await write(htmlFileFor(item.path), Buffer.from(redirectPage(to)), 'text/html');
        written.push(item.path);
        return;
      }
      if (res.status !== 200) {
        if (item.from === undefined && !OPTIONAL_ROUTES.includes(item.path)) broken.push({ from: '(start)', href: item.path, status: res.status });
        return;
      }
      const html = type.startsWith('text/html');
      await write(html ? htmlFileFor(item.path) : fileFor(item.path), res.body, type);
      written.push(item.path);
      for (const href of linksIn(res.body.toString('utf8'), type)) {
        const to = internalPath(href, site, item.path);
        if (to === undefined) continue;
        edges.push({ from: item.path, to, href });
        enqueue(to, item.path);
      }
    };

    const enqueue = (urlPath: string, from: string): void => {
      if (seen.has(urlPath)) return;
      seen.add(urlPath);
      queue.push({ path: urlPath, from });
    };

    // A small pool of workers drains the queue; links found add to it.
    let active = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        if (queue.length === 0 && active === 0) return resolve();
        while (active < (options.concurrency ?? 8) && queue.length > 0) {
          const item = queue.shift()!;
          active++;
          visit(item)
            .then(() => {
              active--;
              pump();
            })
            .catch(reject);
        }
      };
      pump();
    });

    // Each broken link is reported once per page, however often the page repeats it.
    const reported = new Set<string>();
    for (const edge of edges) {
      const status = statuses.get(edge.to)!;
      if (status === 200 || (status >= 300 && status < 400) || reported.has(`${edge.from} ${edge.to}`)) continue;
      reported.add(`${edge.from} ${edge.to}`);
      broken.push({ from: edge.from, href: edge.href, status });
    }

    const notFound = await fetchPath(port, NOT_FOUND_PROBE, { Accept: 'text/html' });
    if (notFound.status !== 404) throw new ExportError(`expected the 404 page at ${NOT_FOUND_PROBE}, got ${notFound.status}`);
    await write('404.html', notFound.body, 'text/html');
    await fs.writeFile(path.join(staging, MARKER), `Exported by Lede from ${config.contentDir}\n`);

    await swapIn(staging, target);
    return { outDir: target, paths: written.sort(), files, bytes, broken };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/**
 * The index, the archive, every post the site shows, its bundle files, every
 * standalone page, the site-wide files, the theme's assets and the fixed routes.
 */
async function seedPaths(app: ReturnType<typeof createApp>, config: Config): Promise<string[]> {
  const view = await app.store.view();
  const paths: string[] = [INDEX_URL, ARCHIVE_URL, ...OPTIONAL_ROUTES];
  for (const page of (await app.pages.view()).pages) paths.push(pageUrl(page.slug));
  for (const file of listStaticFiles(config.contentDir).files) paths.push(file.url);
  for (const post of view.posts) {
    paths.push(postUrl(post));
    if (post.bundleDir) {
      for (const entry of await fs.readdir(post.bundleDir, { withFileTypes: true })) {
        if (entry.isFile() && !entry.name.startsWith('.') && !/\.(md|markdown)$/i.test(entry.name)) paths.push(bundleFileUrl(post.slug, encodeURIComponent(entry.name)));
      }
    }
  }
  for (const dir of assetFolders(config)) {
    for (const file of await filesUnder(dir)) paths.push(assetUrl(file.split(path.sep).map(encodeURIComponent).join('/')));
  }
  if (config.site.accent_color) paths.push(ROUTES.brandStyle);
  return [...new Set(paths)];
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Every URL a page, stylesheet or XML file points at. */
export function linksIn(text: string, type: string): string[] {
  if (type.startsWith('text/html')) {
    const $ = cheerio.load(text);
    const links: string[] = [];
    $('a[href], link[href], area[href]').each((_, el) => void links.push($(el).attr('href')!));
    $('img[src], script[src], source[src], video[src], audio[src], iframe[src], track[src]').each((_, el) => void links.push($(el).attr('src')!));
    $('img[srcset], source[srcset]').each((_, el) => {
      for (const candidate of $(el).attr('srcset')!.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) links.push(url);
      }
    });
    $('[style]').each((_, el) => void links.push(...cssUrls($(el).attr('style')!)));
    $('style').each((_, el) => void links.push(...cssUrls($(el).text())));
    return links;
  }
  if (type.startsWith('text/css')) return cssUrls(text);
  if (/xml/.test(type)) return [...text.matchAll(/<(?:loc|link)>\s*([^<\s]+)\s*<\/(?:loc|link)>|<link[^>]*\shref="([^"]+)"/g)].map((m) => decodeXml(m[1] ?? m[2]!));
  return [];
}

function cssUrls(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((m) => m[2]!);
}

function decodeXml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
}

/** The path of a same-site URL (query and fragment dropped), or undefined for another site, `mailto:` and the like. */
export function internalPath(href: string, site: URL, fromPath: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, new URL(fromPath, site));
  } catch {
    return undefined;
  }
  if (url.origin !== site.origin) return undefined;
  const base = site.pathname.replace(/\/$/, '');
  if (base && !url.pathname.startsWith(`${base}/`) && url.pathname !== base) return undefined;
  const p = url.pathname.slice(base.length) || '/';
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The index -> `index.html`, an article -> `posts/<slug>/index.html`: each page as the index of its folder. */
export function htmlFileFor(urlPath: string): string {
  return path.join(fileFor(urlPath), 'index.html');
}

/** A URL path as a file path inside the export, never outside it. */
export function fileFor(urlPath: string): string {
  const segments = urlPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0'))) {
    throw new ExportError(`refusing to write ${urlPath}: it leaves the export folder`);
  }
  return path.join(...(segments.length ? segments : ['.']));
}

function redirectPage(to: string): string {
  const href = to.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><meta charset="utf-8"><title>Moved</title><link rel="canonical" href="${href}"><meta http-equiv="refresh" content="0; url=${href}"><p><a href="${href}">This page has moved.</a></p>\n`;
}

function fetchPath(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { 'Accept-Encoding': 'identity', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The target must be missing, empty, or an earlier export: never someone's other files. */
async function assertReplaceable(target: string): Promise<void> {
  const entries = await fs.readdir(target).catch((err: NodeJS.ErrnoException): string[] => {
    if (err.code === 'ENOENT') return [];
    throw new ExportError(`cannot export to ${target}: ${err.message}`);
  });
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new ExportError(`${target} is not empty and is not an earlier Lede export (no ${MARKER} file); choose another folder`);
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
}

/** Puts the finished export in place of the old one; a failure leaves the old one untouched. */
async function swapIn(staging: string, target: string): Promise<void> {
  await fs.chmod(staging, 0o755);
  if (!existsSync(target)) return fs.rename(staging, target);
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  await fs.rename(target, old);
  await fs.rename(staging, target);
  await fs.rm(old, { recursive: true, force: true });
}
