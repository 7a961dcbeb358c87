/**
 * What an export starts from, and what it can foresee: the URLs it requests
 * before following any link (the index, the archive, the fixed routes, every
 * post with its bundle files and aliases, every standalone page, the
 * site-wide files, the theme's assets), and which of them can have no file
 * of their own. `npm run check` asks the same
 * question, so an alias the export would leave out is reported before any
 * export runs.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { AliasMap } from '../content/aliases.js';
import type { ContentError, Post } from '../content/post.js';
import { ARCHIVE_URL, assetUrl, bundleFileUrl, FEED_URLS, INDEX_URL, postUrl, ROBOTS_URL, ROUTES, SITEMAP_URL, TAGS_URL } from '../content/urls.js';
import { HEADERS_FILE, NGINX_HTTP_FILE, NGINX_SERVER_FILE } from './export-headers.js';
import { ExportLayout, fileSegments, NOT_FOUND_FILE, pageFile, PRECOMPRESSED } from './export-layout.js';
import { MARKER } from './export-target.js';

/** Routes that exist when their feature is installed; a 404 for one of them is not an error. */
export const OPTIONAL_ROUTES: readonly string[] = [FEED_URLS.rss, FEED_URLS.atom, FEED_URLS.json, SITEMAP_URL, ROBOTS_URL, TAGS_URL];

/** Routes answered with an HTML page, written as `<path>/index.html`. */
const PAGE_ROUTES: ReadonlySet<string> = new Set([INDEX_URL, ARCHIVE_URL, TAGS_URL]);

/** What a site holds, as far as the export's starting points go. */
export interface SiteFiles {
  readonly posts: readonly Post[];
  readonly aliases: AliasMap;
  /** The URLs of the standalone pages (`content/pages/`). */
  readonly pages: readonly string[];
  /** The URLs of the site-wide files (`content/static/`). */
  readonly staticFiles: readonly string[];
  /** The theme's asset folders, the one that wins first. */
  readonly assetDirs: readonly string[];
  /** True when the branding settings make a stylesheet of their own. */
  readonly brandStyle: boolean;
}

export interface Seed {
  readonly path: string;
  /** A page is written as `index.html` under its path, a file at its path, a redirect as a page that forwards. */
  readonly kind: 'page' | 'file' | 'redirect';
  /** The post it comes from (its page, a bundle file, an alias). */
  readonly post?: Post;
}

/** The export's own files: claimed before any page, so none can take their place. */
export function exportLayout(): ExportLayout {
  return new ExportLayout([MARKER, HEADERS_FILE, NGINX_HTTP_FILE, NGINX_SERVER_FILE, NOT_FOUND_FILE, ...PRECOMPRESSED.map((ext) => `${NOT_FOUND_FILE}${ext}`)]);
}

export async function seedPaths(site: SiteFiles): Promise<Seed[]> {
  const seeds: Seed[] = [INDEX_URL, ARCHIVE_URL, ...OPTIONAL_ROUTES].map((p) => ({ path: p, kind: PAGE_ROUTES.has(p) ? 'page' : 'file' }));
  for (const page of site.pages) seeds.push({ path: page, kind: 'page' });
  for (const file of site.staticFiles) seeds.push({ path: file, kind: 'file' });
  for (const post of site.posts) {
    seeds.push({ path: postUrl(post), kind: 'page', post });
    for (const name of await bundleFiles(post)) seeds.push({ path: bundleFileUrl(post.slug, encodeURIComponent(name)), kind: 'file', post });
  }
  // Old addresses keep working in the export too (as pages that forward), linked or not.
  for (const [alias, post] of site.aliases.targets) seeds.push({ path: alias, kind: 'redirect', post });
  for (const dir of site.assetDirs) {
    for (const file of await filesUnder(dir)) seeds.push({ path: assetUrl(file.split(path.sep).map(encodeURIComponent).join('/')), kind: 'file' });
  }
  if (site.brandStyle) seeds.push({ path: ROUTES.brandStyle, kind: 'file' });
  const seen = new Set<string>();
  return seeds.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

/**
 * What a static export of these posts could not write: an alias whose page
 * would need a name too long for a file, or would clash with the export's own
 * files, with a page or with another name in another case, and bundle files
 * whose names differ only in case. Each is a problem of the post behind it,
 * as `npm run check` reports it; the export itself skips them.
 */
export async function exportProblems(site: SiteFiles): Promise<ContentError[]> {
  const layout = exportLayout();
  const seeds = await seedPaths(site);
  const problems: ContentError[] = [];
  // Pages and files first, as the export writes them: a redirect never takes a page's place.
  const ordered = [...seeds.filter((s) => s.kind !== 'redirect'), ...seeds.filter((s) => s.kind === 'redirect').sort((a, b) => (a.path < b.path ? -1 : 1))];
  for (const seed of ordered) {
    const segments = fileSegments(seed.path);
    const clash =
      segments instanceof Error
        ? { sameFile: false, message: segments.message }
        : layout.claim(seed.path, [seed.kind === 'file' ? segments.join('/') : pageFile(segments)]);
    if (!clash || clash.sameFile || !seed.post) continue;
    const what = seed.kind === 'redirect' ? `alias ${shorten(seed.path)}` : `file ${shorten(seed.path)}`;
    problems.push({
      file: seed.post.relPath,
      line: undefined,
      ...(seed.kind === 'redirect' ? { field: 'aliases' } : {}),
      message: `${what} cannot be written by \`npm run export\`: ${clash.message}; the server ${seed.kind === 'redirect' ? 'redirects' : 'serves'} it, a static export leaves it out`,
    });
  }
  return problems;
}

async function bundleFiles(post: Post): Promise<string[]> {
  if (!post.bundleDir) return [];
  // A bundle that cannot be listed (gone since the scan, unreadable) simply has no files to seed.
  const entries = await fs.readdir(post.bundleDir, { withFileTypes: true }).catch(() => []);
  // Sorted, so which of two clashing names is kept does not depend on the file system's order.
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(md|markdown)$/i.test(e.name))
    .map((e) => e.name)
    .sort();
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

/** Long aliases are cut in messages: the line number points at the whole of it. */
export function shorten(urlPath: string): string {
  return urlPath.length > 80 ? `${urlPath.slice(0, 77)}...` : urlPath;
}
