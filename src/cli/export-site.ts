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
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { createApp } from '../app.js';
import { PACKAGE_ROOT, type Config } from '../config.js';
import { buildAliasMap } from '../content/aliases.js';
import { listMountedFiles } from '../content/site-layout/mounted-files.js';
import { siteLayoutOf } from '../content/site-layout/site-layout.js';
import { pageUrl, routeClaiming } from '../content/urls.js';
import { contentFileUrl } from '../content/link-resolver.js';
import { assetFolders } from '../render/theme.js';
import { crawlSite, fetchPath, type BrokenLink } from './export-crawl.js';
import { HEADERS_FILE, headersFile, NGINX_HTTP_FILE, NGINX_SERVER_FILE, nginxHttpFile, nginxServerFile } from './export-headers.js';
import { fileSegments, NOT_FOUND_FILE } from './export-layout.js';
import { ExportOutput, type SkippedUrl } from './export-output.js';
import { seedPaths, shorten } from './export-plan.js';
import { writeSearch, writeSearchScript } from './export-search.js';
import { sourceOf, type SiteIndex } from './export-sources.js';
import { exportTarget, MARKER, MARKER_TEXT, type GuardedFolder } from './export-target.js';
import { hasBrandColours } from '../render/palette.js';

export { MARKER } from './export-target.js';
export { OPTIONAL_ROUTES } from './export-plan.js';
export { internalPath, linksIn, type BrokenLink } from './export-crawl.js';

/** A path no route answers: its page is the site's 404 page. */
const NOT_FOUND_PROBE = '/lede-static-export-404';

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

export class ExportError extends Error {
  override name = 'ExportError';
}

export async function exportSite(config: Config, outDir: string, options: ExportOptions = {}): Promise<ExportReport> {
  const target = await exportTarget(outDir, sourceFolders(config));
  const app = createApp(config, options.logger ? { logger: options.logger } : {});
  const server = createServer(app);
  const port = await listenOnLoopback(server);
  const staging = await fs.mkdtemp(`${target}.partial-`);
  try {
    const site = new URL(config.siteUrl);
    const start = await startingPoints(app, config);
    const output = new ExportOutput(staging);
    // Search (src/cli/export-search.ts): its page before the crawl, which may meet a link to `/search?q=…`.
    await writeSearch(port, output, app, config.site.locale);
    const crawled = await crawlSite(port, site, start.seeds, output, options.concurrency ?? 8);
    await writeSearchScript(output);
    await output.placeRedirects(crawled.redirects);
    const broken = crawled.brokenLinks();
    await writeSiteFiles(port, output, staging);
    await swapIn(staging, target);
    const problems = problemsOf(output.skipped, start.index);
    return { outDir: target, paths: output.written.sort(), files: output.files, bytes: output.bytes, broken, problems };
  } catch (err) {
    // The failure is what the operator needs to see, not a hiccup while tidying up after it.
    await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    throw err;
  } finally {
    await closeServer(server);
  }
}

/** The folders an export must never be written into (src/cli/export-target.ts). */
function sourceFolders(config: Config): GuardedFolder[] {
  return [
    { role: 'content', dir: config.contentDir },
    { role: 'project', dir: PACKAGE_ROOT },
    { role: 'theme views', dir: config.viewsDir },
    { role: 'theme assets', dir: config.publicDir },
    ...(config.themeDir ? [{ role: 'theme', dir: config.themeDir }] : []),
  ];
}

/** Listens on a free loopback port, for the export's requests alone; resolves to the port. */
async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every connection still open on it. */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Where the crawl starts, and what the report needs of the site as it was then. */
interface StartingPoints {
  readonly seeds: readonly string[];
  /** The posts the site shows and their aliases: where a URL left out comes from. */
  readonly index: SiteIndex;
}

/** What the crawl starts from: the posts the site shows, their aliases, the pages, static files, theme assets and fixed routes (src/cli/export-plan.ts). */
async function startingPoints(app: ReturnType<typeof createApp>, config: Config): Promise<StartingPoints> {
  const view = await app.store.view();
  const aliases = buildAliasMap(view.posts);
  // The site-wide files (`content/static/`, or a whole blog repository's own folders), then the
  // media files beside posts, served at their place (src/routes/static-files.ts).
  const beside = [...app.store.linkSources().media, ...(app.pages.linkSources()?.media ?? [])].map(contentFileUrl).filter((url) => !routeClaiming(url));
  const mounted = listMountedFiles(config.contentDir, siteLayoutOf(config.contentDir)).files.map((file) => file.url);
  const staticFiles = [...new Set([...mounted, ...beside])];
  const seeds = (
    await seedPaths({
      posts: view.posts,
      aliases,
      pages: (await app.pages.view()).pages.map((page) => pageUrl(page.slug)),
      staticFiles,
      assetDirs: assetFolders(config),
      brandStyle: hasBrandColours(config.site),
    })
  ).map((seed) => seed.path);
  return { seeds, index: { posts: view.posts, aliases } };
}

/**
 * The export's own files: the 404 page, the headers of every file in the forms static hosts
 * read (src/cli/export-headers.ts), and the marker that says the folder is an export.
 */
async function writeSiteFiles(port: number, output: ExportOutput, staging: string): Promise<void> {
  const notFound = await fetchPath(port, NOT_FOUND_PROBE, { Accept: 'text/html' });
  if (notFound.status !== 404) throw new ExportError(`expected the 404 page at ${NOT_FOUND_PROBE}, got ${notFound.status}`);
  await output.write(NOT_FOUND_FILE, notFound.body, 'text/html');
  output.keepHeaders(NOT_FOUND_PROBE, NOT_FOUND_FILE, notFound.headers);
  const files = output.servedFiles;
  await fs.writeFile(path.join(staging, HEADERS_FILE), headersFile(files));
  await fs.writeFile(path.join(staging, NGINX_HTTP_FILE), nginxHttpFile(files));
  await fs.writeFile(path.join(staging, NGINX_SERVER_FILE), nginxServerFile(files));
  await fs.writeFile(path.join(staging, MARKER), MARKER_TEXT);
}

/** The URLs left out, each with the content file behind it, sorted by file then URL. */
function problemsOf(skipped: readonly SkippedUrl[], index: SiteIndex): ExportProblem[] {
  return skipped
    .map(
      ({ url, from, why }): ExportProblem => ({
        ...(sourceOf(index, url, from) ?? { file: undefined, line: undefined }),
        url,
        message: `${shorten(url)} is not exported: ${why}`,
      }),
    )
    .sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : a.url < b.url ? -1 : 1));
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

/** Puts the finished export in place of the old one; a failure leaves the old one untouched. */
async function swapIn(staging: string, target: string): Promise<void> {
  await fs.chmod(staging, 0o755);
  if (!existsSync(target)) return fs.rename(staging, target);
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  await fs.rename(target, old);
  await fs.rename(staging, target);
  await fs.rm(old, { recursive: true, force: true });
}
