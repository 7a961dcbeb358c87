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
 *
 * Each file is written once, for the one spelling of its URL the live server
 * answers (src/cli/export-layout.ts); redirects become pages that forward, written
 * after every page so none takes a page's place. What content asks for and a
 * file system cannot hold (a clash, a name too long) is skipped and reported
 * with the post behind it, as `npm run check` reports it beforehand.
 */
import { promises as fs, existsSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import type { Logger } from 'pino';
import { createApp } from '../app.js';
import { PACKAGE_ROOT, type Config } from '../config.js';
import { buildAliasMap } from '../content/aliases.js';
import { listStaticFiles } from '../content/static-files.js';
import { INDEX_URL, pageUrl } from '../content/urls.js';
import { assetFolders } from '../render/theme.js';
import { BUNDLE_FILE_CSP } from '../http/bundle-files.js';
import { HEADERS_FILE, headersFile } from './export-headers.js';
import { fileSegments, isCanonicalSpelling, NOT_FOUND_FILE, pageFile, PRECOMPRESSED, under } from './export-layout.js';
import { exportLayout, OPTIONAL_ROUTES, seedPaths, shorten } from './export-plan.js';
import { sourceOf } from './export-sources.js';
import { exportTarget, MARKER, MARKER_TEXT } from './export-target.js';

export { MARKER } from './export-target.js';
export { OPTIONAL_ROUTES } from './export-plan.js';

/** A path no route answers: its page is the site's 404 page. */
const NOT_FOUND_PROBE = '/lede-static-export-404';

const TEXT_TYPE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|manifest\+json)|image\/svg\+xml)/;

export interface BrokenLink {
  /** The page the link is on. */
  readonly from: string;
  readonly href: string;
  readonly status: number;
}

/** A URL the live site answers that the export could not write, and the content file behind it. */
export interface ExportProblem {
  /** Relative to the content folder; undefined when no post is behind it. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly url: string;
  readonly message: string;
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
  /** What was left out, and why: each is also a problem `npm run check` reports. */
  readonly problems: readonly ExportProblem[];
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
  const target = await exportTarget(outDir, [
    { role: 'content', dir: config.contentDir },
    { role: 'project', dir: PACKAGE_ROOT },
    { role: 'theme views', dir: config.viewsDir },
    { role: 'theme assets', dir: config.publicDir },
    ...(config.themeDir ? [{ role: 'theme', dir: config.themeDir }] : []),
  ]);
  const app = createApp(config, options.logger ? { logger: options.logger } : {});
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const staging = await fs.mkdtemp(`${target}.partial-`);
  try {
    const site = new URL(config.siteUrl);
    const view = await app.store.view();
    const aliases = buildAliasMap(view.posts);
    const staticFiles = listStaticFiles(config.contentDir).files.map((file) => file.url);
    const seeds = (
      await seedPaths({
        posts: view.posts,
        aliases,
        pages: (await app.pages.view()).pages.map((page) => pageUrl(page.slug)),
        staticFiles,
        assetDirs: assetFolders(config),
        brandStyle: Boolean(config.site.accent_color),
      })
    ).map((seed) => seed.path);
    const queue: { path: string; from: string | undefined }[] = seeds.map((p) => ({ path: p, from: undefined }));
    const seen = new Set(seeds);
    const written: string[] = [];
    const broken: BrokenLink[] = [];
    /** URLs the live site answers that get no file, and why; placed in the content after the crawl. */
    const skipped: { url: string; from: string | undefined; why: string }[] = [];
    const layout = exportLayout();
    let files = 0;
    let bytes = 0;

    const write = async (relFile: string, body: Buffer, type: string): Promise<void> => {
      const file = under(staging, relFile);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // `wx`: a file is written once; the layout has already refused any second claim.
      await fs.writeFile(file, body, { flag: 'wx' });
      files++;
      bytes += body.length;
      if (TEXT_TYPE.test(type)) {
        const gz = gzipSync(body, { level: 9 });
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        await fs.writeFile(`${file}.gz`, gz, { flag: 'wx' });
        await fs.writeFile(`${file}.br`, br, { flag: 'wx' });
        files += 2;
        bytes += gz.length + br.length;
      }
    };

    /** Writes what `urlPath` answered at its one file, unless that file cannot be had. */
    const place = async (urlPath: string, from: string | undefined, body: Buffer, type: string, asPage: boolean): Promise<void> => {
      const segments = fileSegments(urlPath);
      if (segments instanceof Error) return void skipped.push({ url: urlPath, from, why: segments.message });
      const file = asPage ? pageFile(segments) : segments.join('/');
      const clash = layout.claim(urlPath, TEXT_TYPE.test(type) ? [file, ...PRECOMPRESSED.map((ext) => `${file}${ext}`)] : [file]);
      if (clash) {
        // Another spelling of a URL already written (`/a%21.png` and `/a!.png`): nothing is lost.
        if (!clash.sameFile) skipped.push({ url: urlPath, from, why: clash.message });
        return;
      }
      try {
        await write(file, body, type);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        // What a name can cause is the content's problem, reported and skipped; a full disk is not.
        if (!NAME_ERRORS.has(code)) throw err;
        skipped.push({ url: urlPath, from, why: `the file system refused ${file} (${code})` });
        return;
      }
      written.push(urlPath);
    };

    /** The status each path answered, and every same-site link seen, for the broken-link report. */
    const statuses = new Map<string, number>();
    const edges: { from: string; to: string; href: string }[] = [];
    /** Redirects, written as pages after every page and file has its place: a real page always wins. */
    const redirects: { path: string; to: string; from: string | undefined }[] = [];

    const visit = async (item: { path: string; from: string | undefined }): Promise<void> => {
      const res = await fetchPath(port, item.path);
      statuses.set(item.path, res.status);
      const type = String(res.headers['content-type'] ?? 'application/octet-stream');
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        const to = internalPath(res.headers.location, site, item.path);
        if (to === undefined) return;
        edges.push({ from: item.path, to, href: res.headers.location });
        enqueue(to, item.path);
        redirects.push({ path: item.path, to, from: item.from });
        return;
      }
      if (res.status !== 200) {
        if (item.from === undefined && !OPTIONAL_ROUTES.includes(item.path)) broken.push({ from: '(start)', href: item.path, status: res.status });
        return;
      }
      await place(item.path, item.from, res.body, type, type.startsWith('text/html'));
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

    // A small pool of workers drains the queue; links found add to it. After a failure no new
    // request starts, and the export fails only once every request in flight has settled: none
    // may still be writing into the staging folder while it is removed.
    let active = 0;
    let failure: { error: unknown } | undefined;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        if (active === 0 && (failure || queue.length === 0)) return failure ? reject(failure.error) : resolve();
        while (!failure && active < (options.concurrency ?? 8) && queue.length > 0) {
          const item = queue.shift()!;
          active++;
          visit(item)
            .catch((error: unknown) => void (failure ??= { error }))
            .finally(() => {
              active--;
              pump();
            });
        }
      };
      pump();
    });

    for (const redirect of redirects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      // `/posts/%68ello` is another spelling of `/posts/hello`: a static server decodes it to
      // that page's own file, so it gets none (it used to overwrite the page with a redirect to itself).
      if (!isCanonicalSpelling(redirect.path) || sameFile(redirect.path, redirect.to)) continue;
      await place(redirect.path, redirect.from, Buffer.from(redirectPage(redirect.to)), 'text/html', true);
    }

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
    await write(NOT_FOUND_FILE, notFound.body, 'text/html');
    const front = await fetchPath(port, INDEX_URL);
    await fs.writeFile(path.join(staging, HEADERS_FILE), headersFile(front.headers, BUNDLE_FILE_CSP, staticFiles));
    await fs.writeFile(path.join(staging, MARKER), MARKER_TEXT);

    await swapIn(staging, target);
    const index = { posts: view.posts, aliases };
    const problems = skipped
      .map(({ url, from, why }): ExportProblem => ({ ...(sourceOf(index, url, from) ?? { file: undefined, line: undefined }), url, message: `${shorten(url)} is not exported: ${why}` }))
      .sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : a.url < b.url ? -1 : 1));
    return { outDir: target, paths: written.sort(), files, bytes, broken, problems };
  } catch (err) {
    // The failure is what the operator needs to see, not a hiccup while tidying up after it.
    await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    throw err;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** Errors a file name can cause (too long, not valid on this file system, clashing with another): skipped, not fatal. */
const NAME_ERRORS = new Set(['ENAMETOOLONG', 'EEXIST', 'EISDIR', 'ENOTDIR', 'EILSEQ', 'EINVAL']);

function sameFile(a: string, b: string): boolean {
  const [fa, fb] = [fileSegments(a), fileSegments(b)];
  return !(fa instanceof Error) && !(fb instanceof Error) && fa.join('/') === fb.join('/');
}

/** Every URL a page, stylesheet or XML file points at. */
export function linksIn(text: string, type: string): string[] {
  if (type.startsWith('text/html')) {
    const $ = cheerio.load(text);
    const links: string[] = [];
    $('a[href], link[href], area[href]').each((_, el) => void links.push($(el).attr('href')!));
    $('img[src], script[src], source[src], video[src], audio[src], iframe[src], track[src]').each((_, el) => void links.push($(el).attr('src')!));
    // The diagram script loads mermaid's when a diagram nears the viewport: its address is in `data-mermaid`.
    $('script[data-mermaid]').each((_, el) => void links.push($(el).attr('data-mermaid')!));
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
  const segments = fileSegments(urlPath);
  if (segments instanceof Error) throw new ExportError(`refusing to write ${urlPath}: ${segments.message}`);
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

/** Puts the finished export in place of the old one; a failure leaves the old one untouched. */
async function swapIn(staging: string, target: string): Promise<void> {
  await fs.chmod(staging, 0o755);
  if (!existsSync(target)) return fs.rename(staging, target);
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  await fs.rename(target, old);
  await fs.rename(staging, target);
  await fs.rm(old, { recursive: true, force: true });
}
