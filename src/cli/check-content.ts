/**
 * The checks behind `npm run check`, importable without running the command:
 * the settings file, every post (with the store and parser the server uses),
 * slug clashes, aliases (and those a static export cannot write), bundle
 * images, formulas KaTeX cannot parse, and entries that are not files or
 * folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RENDER_TIMEOUT_MS, PACKAGE_ROOT } from '../config.js';
import { buildAliasMap } from '../content/aliases.js';
import { bundleRefProblems } from '../content/bundle-refs.js';
import { isIgnoredName, MARKDOWN } from '../content/find-posts.js';
import type { ContentError, Post } from '../content/post.js';
import { PageStore } from '../content/page-store.js';
import { staticRefProblems } from '../content/static-refs.js';
import { listStaticFiles } from '../content/static-files.js';
import { specialFileProblems } from '../content/special-files.js';
import { ContentStore } from '../content/store.js';
import { bodySourceOf, headerNoticesOf, parsePost } from '../content/parse-post.js';
import { PostBodies } from '../render/post-bodies.js';
import { RenderPool } from '../render/render-pool.js';
import { pageUrl } from '../content/urls.js';
import { ImageCatalog } from '../images/catalog.js';
import { readSettingsFile } from '../settings.js';
import { removedHtml } from '../render/removed-html.js';
import type { BodyNeeds } from './body-needs.js';
import { cardTextNotices, imageProblems } from './image-problems.js';
import { mathProblems } from './math-problems.js';
import type { CheckItem } from './check-render.js';
import { CheckThreads } from './check-threads.js';
import { exportProblems } from './export-plan.js';

export interface CheckReport {
  problems: ContentError[];
  /**
   * What is served otherwise than written, and files that are not served:
   * template tags, components and HTML that are shown as text or removed, a
   * file skipped and why. Worth a look; not problems (the exit status is 0).
   */
  notices: ContentError[];
  /** Frontmatter keys Lede does not use, with the number of files that have each, most used first. */
  ignoredKeys: { key: string; files: number }[];
  posts: number;
  drafts: number;
  scheduled: number;
  /** Standalone pages served (`content/pages/`). */
  pages: number;
}

export interface CheckOptions {
  /** The render time limit of one post (`RENDER_TIMEOUT_MS`). */
  renderTimeoutMs?: number;
  now?: number;
  /** The built-in assets, whose names a static export must not write over. */
  publicDir?: string;
  /** Post files together above this size are checked with their bodies read from disk, as the server serves them (src/content/store.ts). */
  bodyMemoryBytes?: number;
}

/** Posts rendered alone at once (those whose batch render failed): enough to keep the render threads busy, few enough to hold few bodies. */
const RENDER_BATCH = 8;

/** Checks `contentDir`, rendering every post as the server would; never throws on content. */
export async function checkContent(contentDir: string, maxPostBytes: number, options: CheckOptions = {}): Promise<CheckReport> {
  // Started now, so they load their modules while the folder is read.
  const threads = new CheckThreads({ timeoutMs: options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS });
  try {
    return await checkWith(threads, contentDir, maxPostBytes, options);
  } finally {
    await threads.close();
  }
}

async function checkWith(threads: CheckThreads, contentDir: string, maxPostBytes: number, options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now();
  const publicDir = options.publicDir ?? path.join(PACKAGE_ROOT, 'public');
  const { settings: site, problems: settingsProblems } = readSettingsFile(contentDir);
  const problems: ContentError[] = settingsProblems.map(({ file, line, message }) => ({ file, line, message }));
  // Posts and pages are read with the same options: every draft, one scan, never again.
  const readOptions = {
    contentDir,
    defaults: { author: site.author, timezone: site.timezone },
    showDrafts: true,
    maxFileBytes: maxPostBytes,
    maxAgeMs: Number.POSITIVE_INFINITY,
    ...(options.bodyMemoryBytes !== undefined ? { bodyMemoryBytes: options.bodyMemoryBytes } : {}),
  };
  // Each post is sent to the render threads as soon as it is parsed, so they render while this
  // thread reads the rest of the folder; a post the scan then leaves out (a slug clash) is ignored.
  const sent: Post[] = [];
  const itemOf = (post: Post, id: number): CheckItem => ({ id, body: bodySourceOf(post), bundleSlug: post.bundleDir ? post.slug : undefined, rawHtml: site.raw_html });
  const send = (post: Post): void => {
    threads.add(itemOf(post, sent.length));
    sent.push(post);
  };
  const parse: typeof parsePost = (source, defaults) => {
    const result = parsePost(source, defaults);
    if (result.ok) send(result.post);
    return result;
  };
  const store = new ContentStore({ ...readOptions, parse });
  const snapshot = await store.refresh(true);
  const posts = [...snapshot.bySlug.values()];
  const texts = new Map<string, string>();
  const textOf = (file: string): string => {
    let text = texts.get(file);
    if (text === undefined) texts.set(file, (text = readFileSync(file, 'utf8')));
    return text;
  };
  // Slug clashes and aliases are found across posts, without a line: point at
  // the field's line, from the parse of the post that sets it.
  const byFile = new Map([...store.parsedPosts()].map((p) => [p.relPath, p]));
  const aliases = buildAliasMap(posts);
  for (const problem of [...snapshot.errors, ...aliases.problems]) {
    const { field, ...rest } = problem;
    const line = rest.line ?? (field === undefined ? undefined : byFile.get(rest.file)?.fieldLines[field]);
    problems.push({ ...rest, line });
  }
  // Standalone pages: read as posts are, plus pages whose address a route answers.
  const pageStore = new PageStore(readOptions);
  const pageFiles = new Map([...pageStore.parsedPages()].map((p) => [p.relPath, p]));
  for (const problem of await pageStore.problems()) {
    const { field, ...rest } = problem;
    problems.push({ ...rest, line: rest.line ?? (field === undefined ? undefined : pageFiles.get(rest.file)?.fieldLines[field]) });
  }
  const pages = (await pageStore.view()).pages;

  // Site-wide files: what is not served and why; every site path a post or page links that
  // looks like a file (`/img/logo.png`) must be one of them (checked with each post below).
  const statics = listStaticFiles(contentDir);
  const served = new Set(statics.files.map((f) => f.url));

  // Posts and pages rendered first, on render threads, as the server renders them: the checks
  // below lex each body here, which only one that rendered within the time limit is sure to do quickly.
  // Each post's checks run as its batch comes back, while the threads render the next ones.
  const timeoutMs = options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const all: readonly Post[] = [...posts, ...pages];
  const isPage = (id: number): boolean => id >= posts.length;
  const images = new ImageCatalog(contentDir);
  const postProblems: ContentError[] = [];
  const postNotices: ContentError[] = [];
  const failed = new Set<string>();
  /** Each post's and page's checks on the main thread, once it rendered in time; `needs` undefined: all of them. */
  const checkPost = async (id: number, needs: BodyNeeds | undefined): Promise<void> => {
    const post = all[id]!;
    // The body is read here only when some check may find something in it: with an empty body
    // each check says what it would have said (src/cli/body-needs.ts).
    const body = needs && !needs.body ? '' : post.body;
    const fileText = (): string => textOf(post.file);
    if (isPage(id)) {
      postProblems.push(...staticRefProblems(post, served, fileText, true, body), ...mathProblems(post, fileText, body));
      return;
    }
    postProblems.push(...bundleRefProblems(post, fileText, body), ...mathProblems(post, fileText, body));
    postProblems.push(...(await imageProblems(post, images, fileText, body)));
    postProblems.push(...staticRefProblems(post, served, fileText, false, body));
    postNotices.push(...(needs && !needs.notices ? headerNoticesOf(post) : post.notices), ...otherMarkdownOf(post), ...cardTextNotices(post));
    // A post that could not be rendered in time would take as long to lex here.
    if (!site.raw_html) {
      for (const removed of removedHtml(body, fileText)) postNotices.push({ file: post.relPath, ...removed });
    }
  };
  const suspects: number[] = [];
  let checking = Promise.resolve();
  const indexOf = new Map(all.map((post, i) => [post, i]));
  const sentAlready = new Set(sent);
  const rest = all.filter((post) => !sentAlready.has(post));
  const items = rest.map((post, i) => itemOf(post, sent.length + i));
  sent.push(...rest);
  const rendering = threads.run(items, (batch, verdicts) => {
    const ready: [number, BodyNeeds][] = [];
    batch.forEach((item, i) => {
      const id = indexOf.get(sent[item.id]!);
      if (id === undefined) return;
      const verdict = verdicts[i]!;
      if (verdict.ok) ready.push([id, verdict.needs]);
      else suspects.push(id);
    });
    checking = checking.then(async () => {
      for (const [id, needs] of ready) await checkPost(id, needs);
    });
    // Handled where it is awaited, after the renders: not an unhandled rejection meanwhile.
    checking.catch(() => undefined);
  });
  rendering.catch(() => undefined);
  // Meanwhile, what needs no render: what a static export could not write (an alias over the
  // export's own files, names differing in case), and files that are neither posts nor folders.
  const exportSite = { posts, aliases, pages: pages.map((p) => pageUrl(p.slug)), staticFiles: [...served], assetDirs: [publicDir], brandStyle: Boolean(site.accent_color) };
  const exportFound = await exportProblems(exportSite);
  const special = specialFileProblems(contentDir, posts.flatMap((p) => (p.bundleDir ? [p.bundleDir] : [])));
  await rendering;
  await threads.close();
  await checking;
  // Those that threw, ran over the limit or could not be read, rendered again alone as the
  // server renders them (the limit, then twice the limit), to name them with its words.
  suspects.sort((a, b) => a - b);
  const unrenderable = await renderProblems(suspects.map((id) => all[id]!), site.raw_html, timeoutMs);
  for (const problem of unrenderable) failed.add(problem.file);
  for (const id of suspects) {
    const post = all[id]!;
    if (!failed.has(post.relPath)) await checkPost(id, undefined);
    // What `check` says of a post it read, rendered or not.
    else if (!isPage(id)) postNotices.push(...post.notices, ...otherMarkdownOf(post), ...cardTextNotices(post));
  }
  problems.push(...unrenderable, ...postProblems, ...statics.problems);

  for (const { field, ...rest } of exportFound) {
    problems.push({ ...rest, line: rest.line ?? (field === undefined ? undefined : byFile.get(rest.file)?.fieldLines[field]) });
  }
  // A post file that is a FIFO or a device is named by the store already (src/content/find-posts.ts): once is enough.
  const named = new Set(problems.map((p) => p.file));
  problems.push(...special.filter((p) => !named.has(p.file)));
  problems.sort(byPlace);

  const notices: ContentError[] = snapshot.skipped.map((s) => ({ file: s.file, line: undefined, message: s.message }));
  notices.push(...postNotices);
  const keyCounts = new Map<string, number>();
  for (const post of posts) {
    for (const key of Object.keys(post.extra)) keyCounts.set(key, (keyCounts.get(key) ?? 0) + 1);
  }
  notices.sort(byPlace);
  const ignoredKeys = [...keyCounts].map(([key, files]) => ({ key, files })).sort((a, b) => b.files - a.files || (a.key < b.key ? -1 : 1));
  return {
    problems,
    notices,
    ignoredKeys,
    posts: posts.length,
    drafts: posts.filter((p) => p.draft).length,
    scheduled: posts.filter((p) => !p.draft && p.published.instant > now).length,
    pages: pages.length,
  };
}

/** These posts rendered (page and summary) on the server's render threads, one job each: those too slow or that throw, as the server reports them. */
async function renderProblems(posts: readonly Post[], rawHtml: boolean, timeoutMs: number): Promise<ContentError[]> {
  const problems: ContentError[] = [];
  const pool = new RenderPool();
  const bodies = new PostBodies({ pool, timeoutMs, onFailure: (_post, error) => problems.push(error) });
  try {
    for (let i = 0; i < posts.length; i += RENDER_BATCH) {
      await Promise.allSettled(posts.slice(i, i + RENDER_BATCH).flatMap((post) => [bodies.summary(post), bodies.page(post, rawHtml)]));
    }
  } finally {
    await pool.close();
  }
  return problems;
}

/**
 * Markdown files in a bundle besides the post's own (`index.fr.md`, notes):
 * not served, so named. Read here only: the server's scan `stat`s one file per bundle.
 */
function otherMarkdownOf(post: Post): ContentError[] {
  if (!post.bundleDir) return [];
  let names: string[];
  try {
    names = readdirSync(post.bundleDir);
  } catch {
    return [];
  }
  const own = path.basename(post.file);
  const folder = path.dirname(post.relPath);
  return names
    .filter((name) => name !== own && MARKDOWN.test(name) && !isIgnoredName(name))
    .map((name) => ({ file: `${folder}/${name}`, line: undefined, message: `is not a post: it is in the bundle of ${post.relPath}, whose files are served as they are (markdown sources never); move it out to make it a post` }));
}

function byPlace(a: ContentError, b: ContentError): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}
