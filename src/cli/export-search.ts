/**
 * Search in a static export (docs/search.md, "In a static export"): the
 * export writes what the live index holds as a JSON file, the search engine's
 * own modules as the browser loads them, and a search page that runs them.
 *
 * - `/_lede/search-<hash>/`, named by a hash of what it holds, so a new
 *   export is never answered from a browser's copy of the last one:
 *   - `index.json`: every post and page readers can find, as the live
 *     index's documents (src/search/post-source.ts), each text cut to
 *     STATIC_TEXT_CHARS, with its date as the page shows it;
 *   - src/search/static-search.ts and the modules it imports, as tsc
 *     compiled them into `dist/` (plain ESM with no Node API), with
 *     MiniSearch's dictionary beside them: the browser ranks and cuts
 *     snippets with the server's own code, not a copy of it.
 * - `/_lede/search.js` (public/search.js, a theme asset a theme may replace):
 *   reads `?q=` and shows the results as the live page does.
 * - `/search/index.html`: the live `/search` page (the form alone), with that
 *   script (its `data-search` names the folder), and a line for readers
 *   without JavaScript.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { LedeApp } from '../app.js';
import { PACKAGE_ROOT } from '../config.js';
import { formatDate } from '../content/dates.js';
import { ARCHIVE_URL, assetUrl, ROUTES } from '../content/urls.js';
import { pageSource, postSource } from '../search/post-source.js';
import type { SearchSource } from '../search/site-search.js';
import { RESULTS_PER_PAGE } from '../search/site-search.js';
import { STATIC_INDEX_VERSION, type StaticDocument, type StaticIndexFile } from '../search/static-search.js';
import { fetchPath } from './export-crawl.js';
import type { ExportOutput } from './export-output.js';

/**
 * The most characters of a post's plain text the index file holds (about
 * 5,000 words: a long article whole). The live index reads 256 KB of
 * markdown; in the export, words past this are not found, and a post's
 * share of the file is at most this, about a third of it compressed.
 */
export const STATIC_TEXT_CHARS = 32_000;
export const SEARCH_SCRIPT_URL = assetUrl('search.js');
/** The index file in the search folder. */
export const SEARCH_INDEX_FILE = 'index.json';
/** The module the page script imports, relative to `dist/`. */
const ENGINE_ENTRY = 'search/static-search.js';
/** Packages the engine imports by name, and the browser file of each (plain ESM, importing nothing). */
const VENDOR_MODULES: Readonly<Record<string, { readonly pkg: string; readonly file: string; readonly as: string }>> = {
  'minisearch/SearchableMap': { pkg: 'minisearch', file: 'dist/es/SearchableMap.js', as: 'vendor/searchable-map.js' },
};
const IMPORT = /^(?:import|export)\s(?:[^;'"]*?\sfrom\s)?'([^']+)';$/gm;
const SOURCE_MAP = /\n\/\/# sourceMappingURL=\S+\s*$/;

export class SearchExportError extends Error {
  override name = 'SearchExportError';
}

/** The index file: the posts and pages readers can find now, as the live index holds them. */
export async function searchIndexFile(app: Pick<LedeApp, 'store' | 'pages'>, locale: string): Promise<StaticIndexFile> {
  const documents = [
    ...(await shownDocuments(postSource(app.store), (await app.store.view()).posts, locale)),
    ...(await shownDocuments(pageSource(app.pages), (await app.pages.view()).pages, locale)),
  ];
  return { version: STATIC_INDEX_VERSION, perPage: RESULTS_PER_PAGE, textChars: STATIC_TEXT_CHARS, documents };
}

async function shownDocuments<T, V>(source: SearchSource<T, V>, items: readonly T[], locale: string): Promise<StaticDocument[]> {
  const view = await source.view();
  return items
    .filter((item) => source.isShown(item, view))
    .map((item) => {
      const doc = source.document(item);
      return {
        url: doc.url,
        title: doc.title,
        ...(doc.subtitle !== undefined ? { subtitle: doc.subtitle } : {}),
        description: doc.description,
        tags: doc.tags,
        author: doc.author,
        text: cutText(doc.text, STATIC_TEXT_CHARS),
        date: doc.date ? { ...doc.date, text: formatDate(doc.date, locale) } : null,
      };
    });
}

/** The first `max` characters at most, cut at a space so no word is cut in two. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max);
  return text.slice(0, space > 0 ? space : max);
}

/** A file the engine is made of: its path in the search folder (as under `dist/`) and its text. */
export interface EngineModule {
  readonly path: string;
  readonly body: string;
}

/**
 * The engine's modules, from `dist/` (`root`), following the relative
 * imports of its entry: each as compiled, its source-map comment dropped, a
 * package's name replaced by the path of the file written for it. An import
 * of anything else fails the export, naming the module.
 */
export function engineModules(root = path.join(PACKAGE_ROOT, 'dist')): EngineModule[] {
  const out: EngineModule[] = [];
  const seen = new Set<string>([ENGINE_ENTRY]);
  const queue = [ENGINE_ENTRY];
  const vendors = new Set<string>();
  while (queue.length) {
    const rel = queue.shift()!;
    let code: string;
    try {
      code = readFileSync(path.join(root, rel), 'utf8');
    } catch (err) {
      throw new SearchExportError(`the search engine's module ${rel} is missing from ${root} (run npm run build): ${(err as Error).message}`);
    }
    if (/\bimport\s*\(/.test(code)) throw new SearchExportError(`${rel} imports a module at run time: the static search cannot follow it`);
    const body = code.replace(SOURCE_MAP, '\n').replace(IMPORT, (line, specifier: string) => {
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), specifier));
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
        return line;
      }
      const vendor = VENDOR_MODULES[specifier];
      if (!vendor) throw new SearchExportError(`${rel} imports ${specifier}, which the static search cannot load in a browser`);
      vendors.add(specifier);
      const relative = path.posix.relative(path.posix.dirname(rel), vendor.as);
      return line.replace(`'${specifier}'`, `'${relative.startsWith('.') ? relative : `./${relative}`}'`);
    });
    out.push({ path: rel, body });
  }
  for (const specifier of vendors) {
    const vendor = VENDOR_MODULES[specifier]!;
    out.push({
      path: vendor.as,
      body: readFileSync(path.join(packageDir(vendor.pkg), vendor.file), 'utf8').replace(SOURCE_MAP, '\n'),
    });
  }
  return out;
}

/** The folder of an installed package, found as Node finds it from the project. */
function packageDir(pkg: string): string {
  const main = createRequire(path.join(PACKAGE_ROOT, 'package.json')).resolve(pkg);
  let dir = path.dirname(main);
  while (path.basename(dir) !== pkg && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * The live search page (the form alone) as the export's: the page script,
 * told where the search folder is, and a line for readers without
 * JavaScript pointing to the archive.
 */
export function staticSearchPage(html: string, folder: string): string {
  const $ = cheerio.load(html);
  if (!$('head').length) throw new SearchExportError(`the search page ${ROUTES.search} has no <head>`);
  $('head').append(`<script type="module" src="${SEARCH_SCRIPT_URL}" data-search="${folder}/"></script>\n`);
  const noscript = `<noscript><p class="search__status">Search needs JavaScript, which is off in this browser. The <a href="${ARCHIVE_URL}">archive</a> lists every post.</p></noscript>\n`;
  const section = $('section.search').first();
  (section.length ? section : $('main').first()).append(noscript);
  return $.html();
}

/** The search folder of an export: `/_lede/search-<hash>`, the hash of the index and the engine. */
export function searchFolder(index: string, modules: readonly EngineModule[]): string {
  const hash = createHash('sha256').update(index);
  for (const module of modules) hash.update(`\0${module.path}\0${module.body}`);
  return assetUrl(`search-${hash.digest('hex').slice(0, 10)}`);
}

/**
 * Writes the search page, the index file and the engine into the export:
 * before the crawl, so a link to `/search?q=…` in a post cannot put the live
 * page (with no script) in the page's place.
 */
export async function writeSearch(port: number, output: ExportOutput, app: Pick<LedeApp, 'store' | 'pages'>, locale: string): Promise<void> {
  const page = await fetchPath(port, ROUTES.search, { Accept: 'text/html' });
  if (page.status !== 200) throw new SearchExportError(`expected the search page at ${ROUTES.search}, got ${page.status}`);
  const index = JSON.stringify(await searchIndexFile(app, locale));
  const modules = engineModules();
  const folder = searchFolder(index, modules);
  // With the headers the live page was sent with (its policy and caching), as every crawled page.
  await output.place(ROUTES.search, undefined, Buffer.from(staticSearchPage(page.body.toString('utf8'), folder)), 'text/html', true, page.headers);
  await output.place(`${folder}/${SEARCH_INDEX_FILE}`, undefined, Buffer.from(index), 'application/json', false);
  for (const module of modules) await output.place(`${folder}/${module.path}`, undefined, Buffer.from(module.body), 'application/javascript', false);
}

/**
 * Writes the page script, after the crawl: it is a theme asset like the
 * others (a theme's own `assets/search.js` replaces it, live and in the
 * export), and a site whose assets folder is its own gets Lede's.
 */
export async function writeSearchScript(output: ExportOutput): Promise<void> {
  if (output.written.includes(SEARCH_SCRIPT_URL)) return;
  await output.place(SEARCH_SCRIPT_URL, undefined, readFileSync(path.join(PACKAGE_ROOT, 'public', 'search.js')), 'application/javascript', false);
}
