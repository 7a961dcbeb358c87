/**
 * The checks behind `npm run check`, importable without running the command:
 * the settings file, every post (with the store and parser the server uses),
 * slug clashes, aliases, bundle images and formulas KaTeX cannot parse.
 */
import { readFileSync } from 'node:fs';
import { buildAliasMap } from '../content/aliases.js';
import { bundleRefProblems } from '../content/bundle-refs.js';
import { mathProblems } from '../content/math-refs.js';
import type { ContentError } from '../content/post.js';
import { PageStore } from '../content/page-store.js';
import { staticRefProblems } from '../content/static-refs.js';
import { listStaticFiles } from '../content/static-files.js';
import { ContentStore } from '../content/store.js';
import { readSettingsFile } from '../settings.js';

export interface CheckReport {
  problems: ContentError[];
  posts: number;
  drafts: number;
  scheduled: number;
  /** Standalone pages served (`content/pages/`). */
  pages: number;
}

/** Checks `contentDir`; never throws on content. */
export async function checkContent(contentDir: string, maxPostBytes: number, now = Date.now()): Promise<CheckReport> {
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
  for (const post of posts) problems.push(...bundleRefProblems(post, () => textOf(post.file)), ...mathProblems(post, () => textOf(post.file)));

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
  for (const post of posts) problems.push(...staticRefProblems(post, served, () => textOf(post.file)));
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
