/**
 * What an export starts from, and what it can foresee: the URLs it requests
 * before following any link (the index, the fixed routes, every post with
 * its bundle files and aliases, the theme's assets), and which of the
 * aliases can have no file of their own. `npm run check` asks the same
 * question, so an alias the export would leave out is reported before any
 * export runs.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { AliasMap } from '../content/aliases.js';
import type { ContentError, Post } from '../content/post.js';
import { assetUrl, bundleFileUrl, FEED_URLS, INDEX_URL, postUrl, ROBOTS_URL, SITEMAP_URL, TAGS_URL } from '../content/urls.js';
import { HEADERS_FILE } from './headers-file.js';
import { ExportLayout, fileSegments, NOT_FOUND_FILE, pageFile, PRECOMPRESSED } from './layout.js';
import { MARKER } from './target.js';

/** Routes that exist when their feature is installed; a 404 for one of them is not an error. */
export const OPTIONAL_ROUTES: readonly string[] = [FEED_URLS.rss, FEED_URLS.atom, FEED_URLS.json, SITEMAP_URL, ROBOTS_URL, TAGS_URL];

/** Routes answered with an HTML page, written as `<path>/index.html`. */
const PAGE_ROUTES: ReadonlySet<string> = new Set([INDEX_URL, TAGS_URL]);

export interface Seed {
  readonly path: string;
  /** A page is written as `index.html` under its path, a file at its path, a redirect as a page that forwards. */
  readonly kind: 'page' | 'file' | 'redirect';
}

/** The export's own files: claimed before any page, so none can take their place. */
export function exportLayout(): ExportLayout {
  return new ExportLayout([MARKER, HEADERS_FILE, NOT_FOUND_FILE, ...PRECOMPRESSED.map((ext) => `${NOT_FOUND_FILE}${ext}`)]);
}

export async function seedPaths(posts: readonly Post[], aliases: AliasMap, publicDir: string): Promise<Seed[]> {
  const seeds: Seed[] = [INDEX_URL, ...OPTIONAL_ROUTES].map((p) => ({ path: p, kind: PAGE_ROUTES.has(p) ? 'page' : 'file' }));
  for (const post of posts) {
    seeds.push({ path: postUrl(post), kind: 'page' });
    for (const name of await bundleFiles(post)) seeds.push({ path: bundleFileUrl(post.slug, encodeURIComponent(name)), kind: 'file' });
  }
  // Old addresses keep working in the export too (as pages that forward), linked or not.
  for (const alias of aliases.targets.keys()) seeds.push({ path: alias, kind: 'redirect' });
  for (const file of await filesUnder(publicDir)) seeds.push({ path: assetUrl(file.split(path.sep).map(encodeURIComponent).join('/')), kind: 'file' });
  const seen = new Set<string>();
  return seeds.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

/**
 * The aliases a static export cannot write (a name too long for a file, a
 * clash with the export's own files, with a page, or with another name in
 * another case), as problems of the posts that declare them.
 */
export async function aliasExportProblems(posts: readonly Post[], aliases: AliasMap, publicDir: string): Promise<ContentError[]> {
  const layout = exportLayout();
  const seeds = await seedPaths(posts, aliases, publicDir);
  // Pages and files first, as the export writes them: a redirect never takes a page's place.
  for (const seed of seeds) {
    if (seed.kind === 'redirect') continue;
    const segments = fileSegments(seed.path);
    if (!(segments instanceof Error)) layout.claim(seed.path, [seed.kind === 'page' ? pageFile(segments) : segments.join('/')]);
  }
  const problems: ContentError[] = [];
  for (const [alias, post] of [...aliases.targets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const segments = fileSegments(alias);
    const why = segments instanceof Error ? segments.message : layout.claim(alias, [pageFile(segments)])?.message;
    if (why) problems.push({ file: post.relPath, line: undefined, field: 'aliases', message: `alias ${shorten(alias)} cannot be written by \`npm run export\`: ${why}; the server redirects it, a static export leaves it out` });
  }
  return problems;
}

async function bundleFiles(post: Post): Promise<string[]> {
  if (!post.bundleDir) return [];
  // A bundle that cannot be listed (gone since the scan, unreadable) simply has no files to seed.
  const entries = await fs.readdir(post.bundleDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(md|markdown)$/i.test(e.name)).map((e) => e.name);
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

