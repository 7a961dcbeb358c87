/**
 * The headers of a static export, in the forms static hosts read: every file
 * gets the headers the live server sent it (its policy, Cache-Control and
 * type, and the site's common headers, src/headers/site-headers.ts), the
 * per-page policies of pages with math or diagrams included
 * (docs/deploying.md, "Headers of an export").
 *
 * The export records what the live server answered for each file it wrote;
 * this module writes rules by kind of file (pages, bundle files, theme
 * assets...) with the values most of that kind were sent, then one rule for
 * each file whose live header differs from what the rules would give it: a
 * page with math, a file of `content/static/` at the root. Three files:
 *
 * - `_headers` for Netlify, Cloudflare Pages and others with that format (a
 *   path pattern, then indented `Name: value` lines). A later rule's header
 *   replaces an earlier one's: Netlify keeps the last matching rule's value
 *   and ignores lines without a colon; Cloudflare Pages joins the values of
 *   all matching rules unless a rule detaches the earlier one with
 *   `! Name`, which each rule here does before it replaces a header.
 *   (https://docs.netlify.com/manage/routing/headers/, https://developers.cloudflare.com/pages/configuration/headers/)
 * - `.lede-nginx-http.conf`, included in nginx's `http` context (a site file
 *   of `conf.d/` is in it): a `map` of the file nginx sends (`$uri` after
 *   `try_files`) to each header that varies, deny by default (a file of no
 *   known kind gets the sandbox).
 * - `.lede-nginx-server.conf`, included in the `server` block: every header
 *   added there, once (a location with an `add_header` of its own would drop
 *   them all: https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header),
 *   and the types the live server sends, by extension and by file.
 */
import { NO_STORE, COMMON_HEADERS, BUNDLE_FILE_CSP, IMMUTABLE_CACHE_CONTROL, SITE_CSP } from '../headers/site-headers.js';
import { FEED_URLS, ROBOTS_URL, ROUTES, SITEMAP_URL } from '../content/urls.js';

export const HEADERS_FILE = '_headers';
export const NGINX_HTTP_FILE = '.lede-nginx-http.conf';
export const NGINX_SERVER_FILE = '.lede-nginx-server.conf';

/** The security headers of every live response, by name (src/headers/site-headers.ts). */
export { SECURITY_HEADERS } from '../headers/site-headers.js';

/** A file of the export and what the live server sent with it. */
export interface ServedFile {
  /** The URL path it answers at, as the live server was asked (`/posts/x`, `/img/a%20b.png`). */
  readonly urlPath: string;
  /** Its path in the export, from the root, as nginx's `$uri` names it after `try_files` (`/posts/x/index.html`). */
  readonly file: string;
  readonly csp: string | undefined;
  readonly cacheControl: string | undefined;
  readonly contentType: string | undefined;
}

/** The headers that differ from file to file; the others are `COMMON_HEADERS`, the same everywhere. */
type Varying = 'csp' | 'cacheControl';
const HEADER_NAMES: Record<Varying, string> = { csp: 'Content-Security-Policy', cacheControl: 'Cache-Control' };
const NGINX_VARIABLES: Record<Varying, string> = { csp: '$lede_csp', cacheControl: '$lede_cache_control' };

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ASSETS = escapeRegex(ROUTES.assets);

/**
 * A kind of file, by its path in the export; the first that matches is the
 * file's kind. Its value is `fixed` (a policy: what the site's rules give
 * that kind), or else what most of its exported files were sent (caching
 * follows the settings), `fallback` when none was exported.
 */
interface Kind {
  readonly file: RegExp;
  /** The same kind as a `_headers` path pattern, when one pattern can name it. */
  readonly pattern?: string;
  readonly fallback: string;
  readonly fixed?: true;
}

const namedFiles = [...Object.values(FEED_URLS), SITEMAP_URL, ROBOTS_URL].map(escapeRegex).join('|');

/**
 * The policy, by kind: pages, the 404 page, feeds, the sitemap, robots.txt
 * and Lede's own files get the page policy; any other file was put there by
 * an author (bundle files, `content/static/`, image variants) and gets the sandbox.
 */
const CSP_KINDS: readonly Kind[] = [
  { file: new RegExp(`(/index\\.html|^/404\\.html|^(${namedFiles})|^${ASSETS}/.*)$`), fallback: SITE_CSP, fixed: true },
  { file: /^\/posts\/[^/]+\/./, pattern: '/posts/:slug/*', fallback: BUNDLE_FILE_CSP, fixed: true },
  { file: /^\/_img\//, pattern: '/_img/*', fallback: BUNDLE_FILE_CSP, fixed: true },
  { file: /^\/_card\//, pattern: '/_card/*', fallback: BUNDLE_FILE_CSP, fixed: true },
];

/** Caching, by kind: the hashed folders of packages and image variants are kept a year, theme assets as the theme says, the 404 page never. */
const CACHE_KINDS: readonly Kind[] = [
  { file: new RegExp(`^${ASSETS}/[a-z][a-z0-9-]*-[0-9a-f]{10}/`), fallback: IMMUTABLE_CACHE_CONTROL },
  { file: new RegExp(`^${ASSETS}/`), pattern: `${ROUTES.assets}/*`, fallback: 'public, max-age=3600' },
  { file: /^\/_img\//, pattern: '/_img/*', fallback: IMMUTABLE_CACHE_CONTROL },
  { file: /^\/404\.html$/, fallback: NO_STORE },
];

const KINDS: Record<Varying, readonly Kind[]> = { csp: CSP_KINDS, cacheControl: CACHE_KINDS };
/** What a file of no kind gets: the sandbox (deny by default), and the pages' caching. */
const DEFAULTS: Record<Varying, (files: readonly ServedFile[]) => string> = {
  csp: () => BUNDLE_FILE_CSP,
  cacheControl: (files) => mostCommon(files.filter((f) => f.file.endsWith('/index.html')).map((f) => f.cacheControl)) ?? NO_STORE,
};

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > counts.get(best)!) best = value;
  return best;
}

/** For one varying header: each kind's value (what most of its files were sent), and the files that differ from their kind. */
interface HeaderRules {
  readonly kinds: readonly { readonly kind: Kind; readonly value: string }[];
  readonly fallback: string;
  readonly exceptions: readonly { readonly file: ServedFile; readonly value: string }[];
}

function rulesFor(header: Varying, files: readonly ServedFile[]): HeaderRules {
  const kinds = KINDS[header];
  const members = kinds.map(() => [] as ServedFile[]);
  const none: ServedFile[] = [];
  for (const file of files) {
    const at = kinds.findIndex((kind) => kind.file.test(file.file));
    (at < 0 ? none : members[at]!).push(file);
  }
  const fallback = DEFAULTS[header](files);
  const valued = kinds.map((kind, i) => ({ kind, value: kind.fixed ? kind.fallback : (mostCommon(members[i]!.map((f) => f[header])) ?? kind.fallback) }));
  const exceptions = files.flatMap((file) => {
    const at = kinds.findIndex((kind) => kind.file.test(file.file));
    const expected = at < 0 ? fallback : valued[at]!.value;
    const value = file[header];
    return value !== undefined && value !== expected ? [{ file, value }] : [];
  });
  // In the order of their names, not of the crawl (which runs pages in parallel): the same site gives the same file.
  exceptions.sort((a, b) => (a.file.file < b.file.file ? -1 : a.file.file > b.file.file ? 1 : 0));
  return { kinds: valued, fallback, exceptions };
}

/** A string as nginx reads it in double quotes: a backslash or quote escaped, nothing interpolated in a map. */
function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Paths nginx's config cannot spell safely as a regex (control characters, backslashes, quotes): their file keeps its kind's value. */
const UNSPELLABLE = /[\u0000-\u001f\u007f\\"]/;

/** A file's path as a regex nginx reads: each character that is not a letter, a digit or `/` escaped. */
function exactRegex(file: string): string {
  return `~^${file.replace(/[^A-Za-z0-9/\u0080-\uffff_-]/g, '\\$&')}$`;
}

/** The `http`-level nginx file: a `map` of the served file to each varying header. */
export function nginxHttpFile(files: readonly ServedFile[]): string {
  const lines = [
    '# Written by `npm run export` (Lede): the headers that vary from file to file, by the',
    '# file nginx sends ($uri after try_files). Include it in the http context (a site file',
    '# of conf.d/ or sites-enabled/ is in it), before the server that includes',
    `# ${NGINX_SERVER_FILE}; reload nginx after each export (docs/deploying.md).`,
  ];
  for (const header of ['csp', 'cacheControl'] as const) {
    const rules = rulesFor(header, files);
    lines.push('', `map $uri ${NGINX_VARIABLES[header]} {`);
    // Regexes are tried in order: each file that differs from its kind first, then the kinds.
    for (const { file, value } of rules.exceptions) {
      if (!UNSPELLABLE.test(file.file)) lines.push(`    ${quoted(exactRegex(file.file))} ${quoted(value)};`);
    }
    for (const { kind, value } of rules.kinds) lines.push(`    ${quoted(`~${kind.file.source}`)} ${quoted(value)};`);
    lines.push(`    default ${quoted(rules.fallback)};`, '}');
  }
  return `${lines.join('\n')}\n`;
}

/** The type a file was sent with, without its parameters, and whether it said `charset=utf-8`. */
function typeOf(file: ServedFile): { type: string; charset: boolean } | undefined {
  if (!file.contentType) return undefined;
  const [type, ...params] = file.contentType.split(';').map((part) => part.trim());
  return { type: type!.toLowerCase(), charset: params.some((param) => /^charset=utf-8$/i.test(param)) };
}

function extensionOf(file: string): string | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** The `server`-level nginx file: every header added once, the types of the files by extension, and the files whose type differs from their extension's. */
export function nginxServerFile(files: readonly ServedFile[]): string {
  const lines = [
    '# Written by `npm run export` (Lede): the headers the live server sends, for nginx. Include',
    `# it in the server block that serves the export, with ${NGINX_HTTP_FILE} in the http`,
    '# context. Every header is added here, at the server level: a location with an add_header',
    '# of its own would drop them all (https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header).',
    '# `always`: the 404 page carries them too.',
    `add_header Content-Security-Policy ${NGINX_VARIABLES.csp} always;`,
    `add_header Cache-Control ${NGINX_VARIABLES.cacheControl} always;`,
    ...Object.entries(COMMON_HEADERS).map(([name, value]) => `add_header ${name} ${quoted(value)} always;`),
  ];
  const byExtension = new Map<string, ServedFile[]>();
  for (const file of files) {
    const ext = extensionOf(file.file);
    if (ext !== undefined && typeOf(file)) byExtension.set(ext, [...(byExtension.get(ext) ?? []), file]);
  }
  const extensionType = new Map([...byExtension].map(([ext, group]) => [ext, mostCommon(group.map((f) => typeOf(f)!.type))!]));
  const charsetTypes = new Set(files.flatMap((file) => (typeOf(file)?.charset ? [typeOf(file)!.type] : [])));
  charsetTypes.delete('text/html');
  lines.push(
    '',
    '# The types the live server sends, by extension (replacing mime.types for this server), and',
    '# `; charset=utf-8` on the ones it sends with it (text/html always has it).',
    'types {',
    ...[...extensionType].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ext, type]) => `    ${type} ${ext};`),
    '}',
    'default_type application/octet-stream;',
    'charset utf-8;',
    `charset_types ${[...charsetTypes].sort().join(' ') || 'text/plain'};`,
  );
  const odd = files.filter((file) => {
    const ext = extensionOf(file.file);
    const type = typeOf(file);
    return type !== undefined && (ext === undefined ? type.type !== 'application/octet-stream' : extensionType.get(ext) !== type.type);
  });
  if (odd.length > 0) lines.push('', '# Files sent with another type than their extension says (feeds are XML of their own kinds).');
  for (const file of odd) {
    if (UNSPELLABLE.test(file.file) || /[\s{};]/.test(file.file)) continue;
    lines.push(`location = ${file.file} {`, '    types { }', `    default_type ${typeOf(file)!.type};`, '}');
  }
  return `${lines.join('\n')}\n`;
}

/** A `_headers` path pattern as a regex: `:name` one segment, `*` anything. */
export function patternRegex(pattern: string): RegExp {
  const source = pattern
    .split(/(:[A-Za-z_]\w*|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : escapeRegex(part)))
    .join('');
  return new RegExp(`^${source}$`);
}

/** A rule of `_headers`: a path pattern and the headers it sets, each replacing what an earlier rule set. */
export interface HeadersRule {
  readonly pattern: string;
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * The headers `rules` give a URL path, as those hosts apply them: every
 * rule that matches, in order, a later rule's header replacing an earlier one's.
 */
export function headersOf(rules: readonly HeadersRule[], urlPath: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const rule of rules) if (patternRegex(rule.pattern).test(urlPath)) for (const [name, value] of rule.headers) headers.set(name, value);
  return headers;
}

/** The rules of `_headers`: the pages' headers for every path, then the kinds that differ, then each file that differs from what those give it. */
export function headersRules(files: readonly ServedFile[]): HeadersRule[] {
  const pageValues: Record<Varying, string> = { csp: SITE_CSP, cacheControl: DEFAULTS.cacheControl(files) };
  const all = new Map<string, string>([
    [HEADER_NAMES.csp, pageValues.csp],
    [HEADER_NAMES.cacheControl, pageValues.cacheControl],
    ...Object.entries(COMMON_HEADERS),
  ]);
  const rules: HeadersRule[] = [{ pattern: '/*', headers: all }];
  // A kind with a pattern, when its value differs from the pages': one rule for all its files.
  for (const header of ['csp', 'cacheControl'] as const) {
    for (const { kind, value } of rulesFor(header, files).kinds) {
      if (kind.pattern && value !== pageValues[header]) rules.push({ pattern: kind.pattern, headers: new Map([[HEADER_NAMES[header], value]]) });
    }
  }
  // The packages' hashed folders (no pattern names them all): one rule for each folder exported.
  const hashed = CACHE_KINDS[0]!;
  for (const folder of new Set(files.flatMap((f) => (hashed.file.test(f.file) ? [hashed.file.exec(f.file)![0]] : [])))) {
    rules.push({ pattern: `${folder}*`, headers: new Map([[HEADER_NAMES.cacheControl, IMMUTABLE_CACHE_CONTROL]]) });
  }
  // Each file the rules so far get wrong (a page with math, a file of content/static/): a rule at its own path.
  const merged = new Map<string, Map<string, string>>();
  for (const file of files) {
    if (file.file === '/404.html') continue; // hosts send 404.html for a missing path: no path names it
    const given = headersOf(rules, file.urlPath);
    for (const header of ['csp', 'cacheControl'] as const) {
      const value = file[header];
      const name = HEADER_NAMES[header];
      if (value === undefined || given.get(name) === value) continue;
      const own = merged.get(file.urlPath) ?? new Map<string, string>();
      own.set(name, value);
      merged.set(file.urlPath, own);
    }
  }
  for (const [pattern, headers] of [...merged].sort(([a], [b]) => (a < b ? -1 : 1))) rules.push({ pattern, headers });
  return rules;
}

/** `_headers` itself: each rule detaches the headers it replaces (Cloudflare Pages' `! Name`; Netlify skips such lines). */
export function headersFile(files: readonly ServedFile[]): string {
  const lines = [
    '# Written by `npm run export`: the headers the live Lede server sends, for hosts that',
    '# read a _headers file (Netlify, Cloudflare Pages). Other hosts must send the same:',
    '# see "Headers of an export" in Lede\'s docs/deploying.md.',
  ];
  for (const [i, rule] of headersRules(files).entries()) {
    lines.push(rule.pattern);
    for (const [name, value] of rule.headers) {
      if (i > 0) lines.push(`  ! ${name}`);
      lines.push(`  ${name}: ${value}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
