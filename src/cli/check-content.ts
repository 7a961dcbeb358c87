/**
 * The checks behind `npm run check`, importable without running the command:
 * the settings file, every post (with the store and parser the server uses),
 * slug clashes, aliases (and those a static export cannot write), bundle
 * images, formulas KaTeX cannot parse, and entries that are not files or
 * folders.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RENDER_TIMEOUT_MS, PACKAGE_ROOT } from '../config.js';
import { buildAliasMap } from '../content/aliases.js';
import { linkRefProblems, type LinkCheck } from '../content/link-refs.js';
import { isIgnoredName, MARKDOWN } from '../content/find-posts.js';
import type { ContentError, Post } from '../content/post.js';
import { PageStore } from '../content/page-store.js';
import { staticRefProblems } from '../content/static-refs.js';
import { listMountedFiles } from '../content/site-layout/mounted-files.js';
import { describeLayout, layoutNotices } from '../content/site-layout/layout-report.js';
import { siteLayoutOf, type SiteLayout } from '../content/site-layout/site-layout.js';
import { specialFileProblems } from '../content/special-files.js';
import { ContentStore } from '../content/store.js';
import { contentFileUrl } from '../content/link-resolver.js';
import { buildLinkSite, linkFromOf } from '../content/link-site.js';
import { bodySourceOf, headerNoticesOf, renderedMarkdownOf, parsePost } from '../content/parse-post.js';
import { PostBodies } from '../render/post-bodies.js';
import { RenderPool } from '../render/render-pool.js';
import { pageUrl, postUrl } from '../content/urls.js';
import { ImageCatalog } from '../images/catalog.js';
import { readSettingsFile, type SiteSettings } from '../settings.js';
import { removedHtml } from '../render/removed-html.js';
import { hasBrandColours } from '../render/palette.js';
import type { BodyNeeds } from './body-needs.js';
import { cardTextNotices, imageProblems } from './image-problems.js';
import { mathProblems } from './math-problems.js';
import type { CheckItem } from './check-render.js';
import { CheckThreads } from './check-threads.js';
import { exportProblems } from './export-plan.js';
import { colourNotices } from './colour-notices.js';

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
  /** What was recognised when the folder is a whole blog repository (src/content/site-layout/layout-report.ts); else undefined. */
  site?: string | undefined;
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

/**
 * The check, step by step: the settings; the posts (sent to the render
 * threads as they are parsed); the pages; the site-wide files; every post
 * and page rendered, and checked as its render comes back, while what needs
 * no render is checked here; those that failed to render, rendered again
 * alone to name them; then the report.
 */
async function checkWith(threads: CheckThreads, contentDir: string, maxPostBytes: number, options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now();
  const timeoutMs = options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const { settings: site, problems: settingsProblems, notices: settingsNotices } = readSettingsFile(contentDir);
  const problems: ContentError[] = settingsProblems.map(({ file, line, message }) => ({ file, line, message }));
  const readOptions = readOptionsOf(contentDir, site, maxPostBytes, options);
  const sender = new PostSender(threads, site.raw_html);
  // A whole blog repository: its posts are read from its own folders, as the server reads them.
  const layout = siteLayoutOf(contentDir);
  const read = await readPosts(readOptions, sender, layout);
  problems.push(...read.problems);
  const pageRead = await readPages({ ...readOptions, layout });
  problems.push(...pageRead.problems);
  // Site-wide files: what is not served and why; every site path a post or page links that
  // looks like a file (`/img/logo.png`) must be one of them (checked with each post).
  const statics = listMountedFiles(contentDir, layout);
  const served = new Set(statics.files.map((f) => f.url));
  const listed = new Set([...read.byFile.keys(), ...read.problems.map((p) => p.file)]);
  // Links resolve among the posts and pages read, and the media files listed beside them (src/content/link-site.ts).
  const linkSite = buildLinkSite(
    [...read.posts.map((p) => ({ relPath: p.relPath, url: postUrl(p.slug) })), ...pageRead.pages.map((p) => ({ relPath: p.relPath, url: pageUrl(p.slug) }))],
    [...read.media, ...pageRead.media],
  );
  // A site path may name a media file at its place in the content folder too (`/images/x.png`).
  const linkable = new Set([...served, ...linkSite.media].map((file) => (file.startsWith('/') ? file : contentFileUrl(file))));
  const checks = new PostChecks(
    [...read.posts, ...pageRead.pages],
    read.posts.length,
    site,
    linkable,
    new ImageCatalog(contentDir),
    { site: linkSite, contentDir },
    listed,
  );
  const rendering = renderAndCheck(threads, sender, checks);
  // Handled where it is awaited, below: not an unhandled rejection meanwhile.
  rendering.catch(() => undefined);
  // Meanwhile, what needs no render: what a static export could not write (an alias over the
  // export's own files, names differing in case), and files that are neither posts nor folders.
  const publicDir = options.publicDir ?? path.join(PACKAGE_ROOT, 'public');
  const exportSite = {
    posts: read.posts,
    aliases: read.aliases,
    pages: pageRead.pages.map((p) => pageUrl(p.slug)),
    staticFiles: [...served],
    assetDirs: [publicDir],
    brandStyle: hasBrandColours(site),
  };
  const exportFound = await exportProblems(exportSite);
  const special = specialFileProblems(
    contentDir,
    read.posts.flatMap((p) => (p.bundleDir ? [p.bundleDir] : [])),
  );
  const suspects = await rendering;
  const unrenderable = await checkSuspects(suspects, checks, site.raw_html, timeoutMs);
  problems.push(...unrenderable, ...checks.problems, ...statics.problems);
  problems.push(...withFieldLines(exportFound, read.byFile));
  // A post file that is a FIFO or a device is named by the store already (src/content/find-posts.ts): once is enough.
  const named = new Set(problems.map((p) => p.file));
  problems.push(...special.filter((p) => !named.has(p.file)));
  problems.sort(byPlace);
  const notices: ContentError[] = read.skipped.map((s) => ({ file: s.file, line: undefined, message: s.message }));
  if (layout) notices.push(...layoutNotices(layout, contentDir), ...statics.notices);
  notices.push(
    ...checks.notices,
    ...settingsNotices,
    ...colourNotices(contentDir, site),
    ...brokenBundlesMarkdown(contentDir, read.problems, read.byFile, listed),
  );
  notices.sort(byPlace);
  return { ...reportOf(problems, notices, read.posts, pageRead.pages.length, now), site: layout && describeLayout(layout, read.posts) };
}

type ReadOptions = ConstructorParameters<typeof PageStore>[0];

/** Posts and pages are read with the same options: every draft, one scan, never again. */
function readOptionsOf(contentDir: string, site: SiteSettings, maxPostBytes: number, options: CheckOptions): ReadOptions {
  return {
    contentDir,
    defaults: { author: site.author, timezone: site.timezone },
    showDrafts: true,
    maxFileBytes: maxPostBytes,
    maxAgeMs: Number.POSITIVE_INFINITY,
    ...(options.bodyMemoryBytes !== undefined ? { bodyMemoryBytes: options.bodyMemoryBytes } : {}),
  };
}

/**
 * Sends posts to the render threads, each with its place in `sent`: as soon
 * as the scan parses one, so they render while this thread reads the rest
 * of the folder (a post the scan then leaves out, a slug clash, is ignored).
 */
class PostSender {
  readonly sent: Post[] = [];

  constructor(
    private readonly threads: CheckThreads,
    private readonly rawHtml: boolean,
  ) {}

  itemOf(post: Post, id: number): CheckItem {
    return { id, body: bodySourceOf(post), links: { from: linkFromOf(post, true), site: undefined }, rawHtml: this.rawHtml };
  }

  send(post: Post): void {
    this.threads.add(this.itemOf(post, this.sent.length));
    this.sent.push(post);
  }

  /** Items for those of `posts` not sent yet, now given their places. */
  rest(posts: readonly Post[]): CheckItem[] {
    const sentAlready = new Set(this.sent);
    const rest = posts.filter((post) => !sentAlready.has(post));
    const items = rest.map((post, i) => this.itemOf(post, this.sent.length + i));
    this.sent.push(...rest);
    return items;
  }
}

interface PostsRead {
  readonly posts: readonly Post[];
  readonly aliases: ReturnType<typeof buildAliasMap>;
  /** Each post file's parse, for the line of a field a problem is about. */
  readonly byFile: ReadonlyMap<string, { readonly fieldLines: Readonly<Record<string, number | undefined>> }>;
  readonly skipped: readonly { readonly file: string; readonly message: string }[];
  /** The scan's problems and the aliases', each at its field's line. */
  readonly problems: readonly ContentError[];
  /** The media files the listing found beside posts (src/content/find-posts.ts). */
  readonly media: readonly string[];
}

/** The posts, read by the server's store, each sent to the render threads as it is parsed. */
async function readPosts(readOptions: ReadOptions, sender: PostSender, layout: SiteLayout | undefined): Promise<PostsRead> {
  const parse: typeof parsePost = (source, defaults) => {
    const result = parsePost(source, defaults);
    if (result.ok) sender.send(result.post);
    return result;
  };
  const store = new ContentStore({ ...readOptions, parse, layout });
  const snapshot = await store.refresh(true);
  const posts = [...snapshot.bySlug.values()];
  // Slug clashes and aliases are found across posts, without a line: point at
  // the field's line, from the parse of the post that sets it.
  const byFile = new Map([...store.parsedPosts()].map((p) => [p.relPath, p]));
  const aliases = buildAliasMap(posts);
  const { media } = store.linkSources();
  return { posts, aliases, byFile, skipped: snapshot.skipped, problems: withFieldLines([...snapshot.errors, ...aliases.problems], byFile), media };
}

/** Standalone pages: read as posts are, plus pages whose address a route answers. */
async function readPages(readOptions: ReadOptions): Promise<{ pages: readonly Post[]; problems: ContentError[]; media: readonly string[] }> {
  const pageStore = new PageStore(readOptions);
  const pageFiles = new Map([...pageStore.parsedPages()].map((p) => [p.relPath, p]));
  const problems = withFieldLines(await pageStore.problems(), pageFiles);
  const pages = (await pageStore.view()).pages;
  return { pages, problems, media: pageStore.linkSources()?.media ?? [] };
}

/** Problems about a field without a line, given the line of that field in their file's parse. */
function withFieldLines(found: readonly (ContentError & { field?: string | undefined })[], parses: PostsRead['byFile']): ContentError[] {
  return found.map(({ field, ...rest }) => ({ ...rest, line: rest.line ?? (field === undefined ? undefined : parses.get(rest.file)?.fieldLines[field]) }));
}

/**
 * Each post's and page's checks on the main thread, once it rendered within
 * the time limit (the checks lex its body, which only such a body is sure to
 * let them do quickly): relative and site paths, formulas, images, notices.
 */
class PostChecks {
  readonly problems: ContentError[] = [];
  readonly notices: ContentError[] = [];
  readonly #texts = new Map<string, string>();

  constructor(
    /** The posts, then the pages: a post's or page's id is its place here. */
    readonly all: readonly Post[],
    private readonly postCount: number,
    private readonly site: SiteSettings,
    private readonly served: ReadonlySet<string>,
    private readonly images: ImageCatalog,
    private readonly links: Omit<LinkCheck, 'from'>,
    /** Every post file the store read (posts, and those it could not use, which are named already). */
    private readonly listed: ReadonlySet<string>,
  ) {}

  isPage(id: number): boolean {
    return id >= this.postCount;
  }

  /** The checks of post `id`; `needs` from its render (undefined: all of them, with its body). */
  async check(id: number, needs: BodyNeeds | undefined): Promise<void> {
    const post = this.all[id]!;
    // The body is read here only when some check may find something in it: with an empty body
    // each check says what it would have said (src/cli/body-needs.ts).
    const body = needs && !needs.body ? '' : renderedMarkdownOf(post);
    const fileText = (): string => this.textOf(post.file);
    // A page's bundle files are served at their place; a post's at its address (src/content/link-site.ts).
    const links = { ...this.links, from: linkFromOf(post, !this.isPage(id)) };
    if (this.isPage(id)) {
      this.problems.push(...linkRefProblems(post, { ...links, hero: false }, fileText, body));
      this.problems.push(...staticRefProblems(post, this.served, fileText, body), ...mathProblems(post, fileText, body));
      return;
    }
    this.problems.push(...linkRefProblems(post, links, fileText, body), ...mathProblems(post, fileText, body));
    this.problems.push(...(await imageProblems(post, this.images, fileText, body)));
    this.problems.push(...staticRefProblems(post, this.served, fileText, body));
    this.notices.push(...(needs && !needs.notices ? headerNoticesOf(post) : post.notices), ...otherMarkdownOf(post, this.listed), ...cardTextNotices(post));
    // A post that could not be rendered in time would take as long to lex here.
    if (!this.site.raw_html) {
      for (const removed of removedHtml(body, fileText)) this.notices.push({ file: post.relPath, ...removed });
    }
  }

  /** What `check` says of a post it read but could not render. */
  unrendered(id: number): void {
    if (this.isPage(id)) return;
    const post = this.all[id]!;
    this.notices.push(...post.notices, ...otherMarkdownOf(post, this.listed), ...cardTextNotices(post));
  }

  private textOf(file: string): string {
    let text = this.#texts.get(file);
    if (text === undefined) this.#texts.set(file, (text = readFileSync(file, 'utf8')));
    return text;
  }
}

/**
 * Every post and page rendered on the check threads, as the server renders
 * them, each checked here as its batch comes back while the threads render
 * the next ones; resolves with the ids of those that threw, ran over the
 * limit or could not be read, sorted. Sends the posts not sent yet before
 * its first wait.
 */
async function renderAndCheck(threads: CheckThreads, sender: PostSender, checks: PostChecks): Promise<number[]> {
  const suspects: number[] = [];
  let checking = Promise.resolve();
  const idOf = new Map(checks.all.map((post, i) => [post, i]));
  const rendering = threads.run(sender.rest(checks.all), (batch, verdicts) => {
    const ready: [number, BodyNeeds][] = [];
    batch.forEach((item, i) => {
      const id = idOf.get(sender.sent[item.id]!);
      if (id === undefined) return;
      const verdict = verdicts[i]!;
      if (verdict.ok) ready.push([id, verdict.needs]);
      else suspects.push(id);
    });
    checking = checking.then(async () => {
      for (const [id, needs] of ready) await checks.check(id, needs);
    });
    // Handled where it is awaited, after the renders: not an unhandled rejection meanwhile.
    checking.catch(() => undefined);
  });
  await rendering;
  await threads.close();
  await checking;
  return suspects.sort((a, b) => a - b);
}

/**
 * Those that threw, ran over the limit or could not be read, rendered again
 * alone as the server renders them (the limit, then twice the limit), to
 * name them with its words; those that render then are checked as the rest.
 */
async function checkSuspects(suspects: readonly number[], checks: PostChecks, rawHtml: boolean, timeoutMs: number): Promise<ContentError[]> {
  const unrenderable = await renderProblems(
    suspects.map((id) => checks.all[id]!),
    rawHtml,
    timeoutMs,
  );
  const failed = new Set(unrenderable.map((problem) => problem.file));
  for (const id of suspects) {
    if (!failed.has(checks.all[id]!.relPath)) await checks.check(id, undefined);
    else checks.unrendered(id);
  }
  return unrenderable;
}

function reportOf(problems: ContentError[], notices: ContentError[], posts: readonly Post[], pages: number, now: number): CheckReport {
  const keyCounts = new Map<string, number>();
  for (const post of posts) {
    for (const key of Object.keys(post.extra)) keyCounts.set(key, (keyCounts.get(key) ?? 0) + 1);
  }
  const ignoredKeys = [...keyCounts].map(([key, files]) => ({ key, files })).sort((a, b) => b.files - a.files || (a.key < b.key ? -1 : 1));
  return {
    problems,
    notices,
    ignoredKeys,
    posts: posts.length,
    drafts: posts.filter((p) => p.draft).length,
    scheduled: posts.filter((p) => !p.draft && p.published.instant > now).length,
    pages,
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
 * Markdown files deep in a bundle's sub-folders (`post/notes/old/draft.md`;
 * one beside the `index.md`, or in a sub-folder of it, makes the folder a
 * section, whose notes are posts: `listed`, the files the store read): not
 * served, so named. Read here only: the server's scan `stat`s one file per bundle.
 */
/**
 * The markdown in the bundle (or Hexo asset folder) of a post file that
 * could not be read (an empty file, broken YAML): named as for a post that
 * was (`otherMarkdownOf`), so no file is left out without a word while its
 * post is broken.
 */
function brokenBundlesMarkdown(
  contentDir: string,
  problems: readonly ContentError[],
  read: ReadonlyMap<string, unknown>,
  listed: ReadonlySet<string>,
): ContentError[] {
  const found: ContentError[] = [];
  for (const relPath of new Set(problems.map((p) => p.file))) {
    if (read.has(relPath) || !MARKDOWN.test(relPath)) continue;
    const file = path.join(contentDir, relPath);
    const stem = file.replace(MARKDOWN, '');
    const bundleDir = /(^|\/)index\.[^/]+$/i.test(relPath) ? path.dirname(file) : statSync(stem, { throwIfNoEntry: false })?.isDirectory() ? stem : undefined;
    if (bundleDir) found.push(...otherMarkdownOf({ file, relPath, bundleDir }, listed));
  }
  return found;
}

function otherMarkdownOf(post: Pick<Post, 'file' | 'relPath' | 'bundleDir'>, listed: ReadonlySet<string>): ContentError[] {
  if (!post.bundleDir) return [];
  const own = path.basename(post.file);
  // The bundle's folder as the content folder names it: beside the post's file for a Hexo asset folder (`post.md`, `post/`).
  const root = post.file.slice(0, post.file.length - post.relPath.length);
  const folder = path.relative(root, post.bundleDir).split(path.sep).join('/');
  const found: ContentError[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (isIgnoredName(entry.name) || (dir === path.dirname(post.file) && entry.name === own)) continue;
      const relPath = `${rel}/${entry.name}`;
      if (entry.isDirectory() && depth < BUNDLE_DEPTH) walk(path.join(dir, entry.name), relPath, depth + 1);
      else if (MARKDOWN.test(entry.name) && !entry.isDirectory() && !listed.has(relPath)) {
        found.push({
          file: relPath,
          line: undefined,
          message: `is not a post: it is in a sub-folder of the bundle of ${post.relPath}, whose files are served as they are (markdown sources never); move it up beside ${own} to make it a post`,
        });
      }
    }
  };
  walk(post.bundleDir, folder, 0);
  return found;
}

/** How deep in a bundle markdown files are looked for, as folders of posts nest (src/content/find-posts.ts). */
const BUNDLE_DEPTH = 8;

function byPlace(a: ContentError, b: ContentError): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}
