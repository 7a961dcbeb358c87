/**
 * The checks behind `npm run check`, importable without running the command:
 * the settings file, every post (with the store and parser the server uses),
 * slug clashes, aliases, bundle images and formulas KaTeX cannot parse.
 */
import { readFileSync } from 'node:fs';
import { buildAliasMap } from '../content/aliases.js';
import { bundleRefProblems } from '../content/bundle-refs.js';
import { DEFAULT_RENDER_TIMEOUT_MS } from '../config.js';
import { mathProblems } from '../content/math-refs.js';
import type { ContentError, Post } from '../content/post.js';
import { PageStore } from '../content/page-store.js';
import { staticRefProblems } from '../content/static-refs.js';
import { listStaticFiles } from '../content/static-files.js';
import { ContentStore } from '../content/store.js';
import { PostBodies } from '../render/post-bodies.js';
import { RenderPool } from '../render/render-pool.js';
import { readSettingsFile } from '../settings.js';

export interface CheckReport {
  problems: ContentError[];
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
}

/** Posts rendered at once: enough to keep the render threads busy, few enough to hold few bodies. */
const RENDER_BATCH = 8;

/** Checks `contentDir`, rendering every post as the server would; never throws on content. */
export async function checkContent(contentDir: string, maxPostBytes: number, options: CheckOptions = {}): Promise<CheckReport> {
  const now = options.now ?? Date.now();
  const { settings: site, problems: settingsProblems } = readSettingsFile(contentDir);
  const problems: ContentError[] = settingsProblems.map(({ file, line, message }) => ({ file, line, message }));
  const store = new ContentStore({
    contentDir,
    defaults: { author: site.author, timezone: site.timezone },
    showDrafts: true,
    maxFileBytes: maxPostBytes,
    maxAgeMs: Number.POSITIVE_INFINITY,
  });
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
  for (const problem of [...snapshot.errors, ...buildAliasMap(posts).problems]) {
    const { field, ...rest } = problem;
    const line = rest.line ?? (field === undefined ? undefined : byFile.get(rest.file)?.fieldLines[field]);
    problems.push({ ...rest, line });
  }
  // Rendered first, on render threads: the checks below lex each body here, which only a post
  // that rendered within the time limit is sure to do quickly.
  const unrenderable = await renderProblems(posts, site.raw_html, options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS);
  problems.push(...unrenderable);
  const failed = new Set(unrenderable.map((p) => p.file));
  const renderable = posts.filter((post) => !failed.has(post.relPath));
  for (const post of renderable) problems.push(...bundleRefProblems(post, () => textOf(post.file)), ...mathProblems(post, () => textOf(post.file)));

  // Standalone pages: read as posts are, plus pages whose address a route answers.
  const pageStore = new PageStore({
    contentDir,
    defaults: { author: site.author, timezone: site.timezone },
    showDrafts: true,
    maxFileBytes: maxPostBytes,
    maxAgeMs: Number.POSITIVE_INFINITY,
  });
  const pageFiles = new Map([...pageStore.parsedPages()].map((p) => [p.relPath, p]));
  for (const problem of await pageStore.problems()) {
    const { field, ...rest } = problem;
    problems.push({ ...rest, line: rest.line ?? (field === undefined ? undefined : pageFiles.get(rest.file)?.fieldLines[field]) });
  }
  const pages = (await pageStore.view()).pages;

  // Site-wide files: what is not served and why; then every site path a post or page links that
  // looks like a file (`/img/logo.png`) must be one of them.
  const statics = listStaticFiles(contentDir);
  problems.push(...statics.problems);
  const served = new Set(statics.files.map((f) => f.url));
  for (const post of renderable) problems.push(...staticRefProblems(post, served, () => textOf(post.file)));
  for (const page of pages) problems.push(...staticRefProblems(page, served, () => textOf(page.file), true), ...mathProblems(page, () => textOf(page.file)));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    problems,
    posts: posts.length,
    drafts: posts.filter((p) => p.draft).length,
    scheduled: posts.filter((p) => !p.draft && p.published.instant > now).length,
    pages: pages.length,
  };
}

/** Every post rendered (page and summary) on render threads: those too slow or that throw, as the server reports them. */
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
