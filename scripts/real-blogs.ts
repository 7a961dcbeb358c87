/**
 * Lede on real blogs it was never tested with (docs/contributing.md, "Measuring
 * on real blogs"): for each blog folder, the share of its posts served, of its
 * local images loading, and the pages where another tool's markup is left.
 *
 *   npx tsx scripts/real-blogs.ts <blog folder>... [--mode copied|repo] [--json out.json]
 *   npx tsx scripts/real-blogs.ts --corpus corpus.json [--json out.json]
 *
 * `copied` is what a new user does (the posts folder copied into content/,
 * site-wide media into content/static/: scripts/real-blogs/selection.ts);
 * `repo` points CONTENT_DIR at the repository as it stands. Lede runs from
 * this worktree's build (dist/): run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { load } from 'cheerio';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { countMarkers, visibleText } from './real-blogs/markers.js';
import { type Generator, oldAddress, siteConfig } from './real-blogs/old-addresses.js';
import { builtFolders, copySelection, isContentPath, MARKDOWN } from './real-blogs/selection.js';
import { type Fields, localImageRefs, notAPost, readSource, titleOf } from './real-blogs/sources.js';

type Mode = 'copied' | 'repo';
interface Blog {
  readonly name: string;
  readonly path: string;
  readonly mode: Mode;
  readonly tool: string;
}
interface CorpusEntry {
  readonly name: string;
  readonly path: string;
  readonly modes: readonly Mode[];
  readonly tool: string;
}

/** The part of Lede's app this measure reads: which file each served post and page comes from (src/app.ts). */
interface ServedFile {
  readonly file: string;
  readonly slug: string;
  readonly title: string;
}
interface LedeApp {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly store: { view(): Promise<{ readonly posts: readonly ServedFile[] }>; close(): void };
  readonly pages: { view(): Promise<{ readonly pages: readonly ServedFile[] }>; close(): void };
}
interface LedeBuild {
  createApp(config: unknown): LedeApp;
  loadConfig(env: Record<string, string | undefined>): unknown;
}

interface ImageFailure {
  readonly file: string;
  readonly src: string;
  readonly status: string;
  /** The line of the source that references it, when found. */
  readonly written: string | undefined;
  /** Whether a file of that name is in the blog's folder at all (a snapshot may lack large files). */
  readonly inBlog: boolean;
}
interface BlogResult {
  readonly blog: Blog;
  readonly contentDir: string;
  readonly postsFolder: string | undefined;
  readonly expected: number;
  readonly served: number;
  readonly skipped: readonly { file: string; why: string }[];
  readonly notServed: readonly { file: string; check: readonly string[] }[];
  readonly images: { readonly total: number; readonly ok: number; readonly referenced: number; readonly failures: readonly ImageFailure[] };
  readonly markup: {
    readonly pages: number;
    readonly counts: Readonly<Record<string, number>>;
    readonly examples: readonly { file: string; example: string }[];
  };
  readonly title: { readonly config: string | undefined; readonly shown: string; readonly taken: boolean } | undefined;
  readonly oldAddresses: { readonly total: number; readonly ok: number; readonly failures: readonly string[] } | undefined;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALL_FILES_LIMIT = 50_000;

/** Every regular file under `root`, relative and `/`-separated; dependencies and history are not entered. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= ALL_FILES_LIMIT) return;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') walk(path.join(dir, entry.name), relPath);
      else if (entry.isFile()) out.push(relPath);
    }
  };
  walk(root, '');
  return out;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function prepare(blog: Blog): { contentDir: string; postsFolder: string | undefined } {
  if (blog.mode === 'repo') return { contentDir: path.resolve(blog.path), postsFolder: undefined };
  const contentDir = path.join(tmpdir(), 'lede-real-blogs', `${blog.name.replace(/[^\w.-]+/g, '_')}-copied`);
  rmSync(contentDir, { recursive: true, force: true });
  const selection = copySelection(listFiles(blog.path));
  for (const { from, to } of selection.copies) {
    const target = path.join(contentDir, to);
    mkdirSync(path.dirname(target), { recursive: true });
    if (!existsSync(target)) copyFileSync(path.join(blog.path, from), target);
  }
  mkdirSync(contentDir, { recursive: true });
  return { contentDir, postsFolder: selection.postsFolder || '.' };
}

/** The repository's generator and config, read as data (never run). */
function readSiteConfig(repo: string): ReturnType<typeof siteConfig> {
  const read = (file: string): Fields | undefined => {
    const full = path.join(repo, file);
    if (!existsSync(full)) return undefined;
    try {
      const text = readFileSync(full, 'utf8');
      const parsed: unknown = file.endsWith('.toml')
        ? parseToml(text)
        : file.endsWith('.json')
          ? JSON.parse(text)
          : yaml.load(text, { schema: yaml.CORE_SCHEMA });
      return parsed && typeof parsed === 'object' ? (parsed as Fields) : undefined;
    } catch {
      return undefined;
    }
  };
  const found = (files: readonly string[]): Fields | undefined => files.map(read).find((config) => config !== undefined);
  const jekyllOrHexo = read('_config.yml');
  if (jekyllOrHexo) return siteConfig(existsSync(path.join(repo, 'source/_posts')) ? 'hexo' : 'jekyll', jekyllOrHexo);
  const hugo = found(['hugo.toml', 'hugo.yaml', 'hugo.json', 'config.toml', 'config.yaml', 'config/_default/hugo.toml', 'config/_default/config.toml']);
  if (hugo) return siteConfig(('base_url' in hugo ? 'zola' : 'hugo') satisfies Generator, hugo);
  const mkdocs = found(['mkdocs.yml', 'mkdocs.yaml']);
  if (mkdocs) return siteConfig(undefined, mkdocs);
  // JavaScript configs are not run; their title is looked for as text.
  for (const file of [
    'docusaurus.config.ts',
    'docusaurus.config.js',
    'docs/.vitepress/config.ts',
    'docs/.vitepress/config.mts',
    'quartz.config.ts',
    'src/consts.ts',
  ]) {
    const full = path.join(repo, file);
    const title = existsSync(full) ? /(?:\btitle|pageTitle|SITE_TITLE)\s*[:=]\s*["'`]([^"'`]+)["'`]/.exec(readFileSync(full, 'utf8'))?.[1] : undefined;
    if (title) return siteConfig(undefined, { title });
  }
  return siteConfig(undefined, {});
}

const normal = (text: string): string => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

async function get(url: string, redirect: RequestRedirect = 'follow'): Promise<{ status: number; type: string; body: string; location: string | null }> {
  try {
    const res = await fetch(url, { redirect });
    const type = res.headers.get('content-type') ?? '';
    // The body is read either way, so the connection is free for the next request.
    const body = type.startsWith('text/') ? await res.text() : await res.arrayBuffer().then(() => '');
    return { status: res.status, type, body, location: res.headers.get('location') };
  } catch (err) {
    return { status: 0, type: String(err), body: '', location: null };
  }
}

async function measure(blog: Blog, lede: LedeBuild): Promise<BlogResult> {
  const { contentDir, postsFolder } = prepare(blog);
  const blogFileNames = new Set(listFiles(blog.path).map((file) => file.split('/').pop()!));
  const files = listFiles(contentDir);
  const built = builtFolders(files);
  const markdown = files.filter((file) => MARKDOWN.test(file) && (blog.mode === 'copied' || isContentPath(file, built)));
  const skipped: { file: string; why: string }[] = [];
  const expected = new Map<string, { title: string; fields: Fields; text: string; refs: number }>();
  for (const file of markdown) {
    const text = readFileSync(path.join(contentDir, file), 'utf8');
    const source = readSource(text);
    const why = notAPost(file, source);
    if (why) skipped.push({ file, why });
    else expected.set(file, { title: titleOf(file, source), fields: source.fields, text, refs: localImageRefs(source.body).length });
  }

  const env = {
    CONTENT_DIR: contentDir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'poll',
    IMAGE_CACHE_DIR: path.join(tmpdir(), 'lede-real-blogs-images'),
    PATH: process.env.PATH,
  };
  const app = lede.createApp(lede.loadConfig(env));
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (let tries = 0; (await get(`${base}/healthz`)).status !== 200 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 100));

  // Which file each address shows: Lede's own store says it (src/content/post.ts: `file`).
  const urlOf = new Map<string, string>();
  const fromStore = async (kind: 'post' | 'page'): Promise<void> => {
    const served = kind === 'post' ? (await app.store.view()).posts : (await app.pages.view()).pages;
    for (const item of served)
      urlOf.set(path.relative(contentDir, item.file).split(path.sep).join('/'), `${kind === 'post' ? '/posts/' : '/'}${encodeURIComponent(item.slug)}`);
  };
  await fromStore('post');
  await fromStore('page');

  const pages = await mapLimit([...expected.keys()], 4, async (file) => {
    const url = urlOf.get(file);
    const page = url ? await get(base + url) : undefined;
    return { file, url: url ?? '', page: page?.status === 200 ? page.body : undefined };
  });

  const imageStatus = new Map<string, Promise<string>>();
  const imageAt = (target: string): Promise<string> => {
    let status = imageStatus.get(target);
    if (!status) {
      status = get(target).then((r) => (r.status === 200 && r.type.startsWith('image/') ? 'ok' : `${r.status} ${r.type}`));
      imageStatus.set(target, status);
    }
    return status;
  };
  const failures: ImageFailure[] = [];
  const markup = { pages: 0, counts: {} as Record<string, number>, examples: [] as { file: string; example: string }[] };
  let images = 0;
  let referenced = 0;
  for (const { file, url, page } of pages) {
    if (page === undefined) continue;
    const $ = load(page);
    const article = $('article').first().length ? $('article').first() : $('body');
    article.find('nav.toc').remove();
    const found = countMarkers(visibleText(article.html() ?? '', (html) => load(html, null, false).text()));
    if (found.examples.length) {
      markup.pages++;
      for (const [name, n] of Object.entries(found.counts)) markup.counts[name] = (markup.counts[name] ?? 0) + n;
      for (const example of found.examples) markup.examples.push({ file, example });
    }
    referenced += expected.get(file)!.refs;
    // One image per <img>: it loads when its src, its own srcset and its <picture>'s sources all do.
    const local = (value: string | undefined): string | undefined => (value && !/^(?:[a-z][\w+.-]*:|\/\/)/i.test(value) ? value : undefined);
    const firstOf = (srcset: string | undefined): string | undefined => srcset?.trim().split(/\s+/)[0];
    const elements: string[][] = [];
    article.find('img').each((_, el) => {
      const img = $(el);
      const sources = img
        .parent('picture')
        .find('source')
        .map((_, s) => firstOf($(s).attr('srcset')))
        .get();
      const urls = [img.attr('src'), firstOf(img.attr('srcset')), ...sources].flatMap((v) => local(v) ?? []);
      if (urls.length) elements.push(urls);
    });
    article.find('a.image-link').each((_, el) => {
      images++;
      failures.push({ file, src: $(el).attr('href') ?? '', status: 'refused (image-link)', written: undefined, inBlog: true });
    });
    for (const urls of elements) {
      images++;
      const statuses = await Promise.all(urls.map((src) => imageAt(new URL(src, base + url).href)));
      const bad = statuses.findIndex((status) => status !== 'ok');
      if (bad < 0) continue;
      const src = urls[bad]!;
      const name = decodeURIComponent(src.split(/[?#]/)[0]!.split('/').pop() ?? src);
      const written = expected
        .get(file)!
        .text.split('\n')
        .find((line) => line.includes(name))
        ?.trim()
        .slice(0, 160);
      failures.push({ file, src, status: statuses[bad]!, written, inBlog: blogFileNames.has(name) });
    }
  }

  let title: BlogResult['title'];
  let oldAddresses: BlogResult['oldAddresses'];
  if (blog.mode === 'repo') {
    const site = readSiteConfig(contentDir);
    const shown = load((await get(`${base}/`)).body)('title')
      .first()
      .text();
    title = { config: site.title, shown, taken: site.title !== undefined && normal(shown).includes(normal(site.title)) };
    if (site.generator) {
      // Every post's old address, served or not: a post Lede does not serve has lost its old address too.
      const olds = pages.flatMap((p) => {
        const old = oldAddress(site, p.file, expected.get(p.file)!.fields);
        return old === undefined ? [] : [{ ...p, old }];
      });
      const answers = await mapLimit(olds, 4, async (p) => ({
        address: p.old,
        answer: p.page === undefined ? 'post not served' : await answersFor(base, p.old, p.url, p.page),
      }));
      const bad = answers.filter((a) => a.answer !== 'ok');
      oldAddresses = { total: answers.length, ok: answers.length - bad.length, failures: bad.slice(0, 10).map((a) => `${a.address} -> ${a.answer}`) };
    }
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  app.store.close();
  app.pages.close();

  const missing = pages.filter((p) => p.page === undefined).map((p) => p.file);
  const checked = missing.length ? checkLines(contentDir) : [];
  return {
    blog,
    contentDir,
    postsFolder,
    expected: expected.size,
    served: expected.size - missing.length,
    skipped,
    notServed: missing.map((file) => ({ file, check: checked.filter((line) => isAbout(line, file)) })),
    images: { total: images, ok: images - failures.length, referenced, failures },
    markup,
    title,
    oldAddresses,
  };
}

/** 'ok' when the old address shows the post (200 with its title) or redirects to its address; else what it answered. */
async function answersFor(base: string, old: string, url: string, page: string): Promise<string> {
  const res = await get(base + encodeURI(old), 'manual');
  const h1 = (html: string): string => normal(load(html)('h1').first().text());
  if (res.status === 200) return h1(res.body) === h1(page) ? 'ok' : '200 with another page';
  if (res.status === 301 || res.status === 308) {
    const location = res.location ? decodeURIComponent(new URL(res.location, base).pathname) : '';
    return location.replace(/\/$/, '') === decodeURIComponent(url) ? 'ok' : `${res.status} to ${location}`;
  }
  return String(res.status);
}

/** True when a line of `check` names `file` or a folder holding it (`_posts: is not read`). */
function isAbout(line: string, file: string): boolean {
  const named = line.slice(0, line.indexOf(':'));
  return line.startsWith(`${file}:`) || named === file || file.startsWith(`${named}/`);
}

/** What `npm run check` says, paths relative to the content folder. */
function checkLines(contentDir: string): string[] {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/check.js'), '.'], {
    cwd: contentDir,
    env: { ...process.env, CONTENT_DIR: contentDir, INIT_CWD: contentDir, NODE_ENV: 'production' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter(Boolean);
}

const pct = (n: number, of: number): string => (of ? `${((100 * n) / of).toFixed(0)}%` : '-');

function report(results: readonly BlogResult[]): void {
  const rows = results.map((r) => [
    `${r.blog.name} (${r.blog.tool}, ${r.blog.mode})`,
    `${r.served}/${r.expected} ${pct(r.served, r.expected)}`,
    `${r.images.ok}/${r.images.total} ${pct(r.images.ok, r.images.total)} (refs ${r.images.referenced})`,
    `${r.markup.pages}/${r.served}`,
    r.title ? (r.title.taken ? 'yes' : `no (${r.title.config ?? 'none found'})`) : '',
    r.oldAddresses ? `${r.oldAddresses.ok}/${r.oldAddresses.total}` : '',
  ]);
  const sum = (f: (r: BlogResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  const [served, expected, ok, total] = [sum((r) => r.served), sum((r) => r.expected), sum((r) => r.images.ok), sum((r) => r.images.total)];
  rows.push([
    'TOTAL',
    `${served}/${expected} ${pct(served, expected)}`,
    `${ok}/${total} ${pct(ok, total)}`,
    `${sum((r) => r.markup.pages)}/${served}`,
    `${results.filter((r) => r.title?.taken).length}/${results.filter((r) => r.title).length}`,
    `${sum((r) => r.oldAddresses?.ok ?? 0)}/${sum((r) => r.oldAddresses?.total ?? 0)}`,
  ]);
  const head = ['blog', 'posts served', 'images loading', 'pages w/ markup', 'site title', 'old URLs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [head, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | '));
  for (const r of results) {
    console.log(`\n## ${r.blog.name} (${r.blog.mode}) content: ${r.contentDir}${r.postsFolder ? `, posts folder ${r.postsFolder}` : ''}`);
    for (const { file, check } of r.notServed.slice(0, 15))
      console.log(`  not served: ${file}${check.length ? `\n      ${check.slice(0, 3).join('\n      ')}` : ' (check says nothing)'}`);
    for (const f of r.images.failures.slice(0, 10))
      console.log(
        `  image: ${f.file}: ${f.src} -> ${f.status}${f.inBlog ? '' : ' (no such file in the blog)'}${f.written ? `\n      written: ${f.written}` : ''}`,
      );
    for (const { file, example } of r.markup.examples.slice(0, 8)) console.log(`  markup: ${file}: ${example}`);
    if (Object.keys(r.markup.counts).length) console.log(`  markers: ${JSON.stringify(r.markup.counts)}`);
    if (r.oldAddresses?.failures.length) console.log(`  old URLs failing: ${r.oldAddresses.failures.slice(0, 5).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { mode: { type: 'string', default: 'copied' }, json: { type: 'string' }, corpus: { type: 'string' } },
  });
  if (values.mode !== 'copied' && values.mode !== 'repo') throw new Error(`--mode is copied or repo, not ${values.mode}`);
  const mode: Mode = values.mode;
  const blogs: Blog[] = positionals.map((folder) => ({ name: path.basename(path.resolve(folder)), path: path.resolve(folder), mode, tool: '?' }));
  if (values.corpus) {
    const corpus = JSON.parse(readFileSync(values.corpus, 'utf8')) as readonly CorpusEntry[];
    for (const entry of corpus) for (const m of entry.modes) blogs.push({ name: entry.name, path: entry.path, mode: m, tool: entry.tool });
  }
  if (!blogs.length) throw new Error('usage: npx tsx scripts/real-blogs.ts <blog folder>... [--mode copied|repo] [--json out.json] | --corpus corpus.json');
  for (const blog of blogs) if (!lstatSync(blog.path, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${blog.path} is not a folder`);
  if (!existsSync(path.join(ROOT, 'dist/app.js'))) throw new Error('no dist/app.js: run npm run build first');
  const [app, config] = await Promise.all([
    import(pathToFileURL(path.join(ROOT, 'dist/app.js')).href),
    import(pathToFileURL(path.join(ROOT, 'dist/config.js')).href),
  ]);
  const lede: LedeBuild = { createApp: (app as Pick<LedeBuild, 'createApp'>).createApp, loadConfig: (config as Pick<LedeBuild, 'loadConfig'>).loadConfig };
  const results: BlogResult[] = [];
  for (const blog of blogs) {
    process.stderr.write(`measuring ${blog.name} (${blog.mode})...\n`);
    results.push(await measure(blog, lede));
  }
  report(results);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  // The render pool's threads would keep the process alive.
  process.exit(0);
}

await main();
