/**
 * The checks behind `npm run check`, importable without running the command:
 * the settings file, every post (with the store and parser the server uses),
 * slug clashes, aliases and bundle images.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings, settingsSchema, type SiteSettings } from '../config.js';
import { buildAliasMap } from '../content/aliases.js';
import { bundleRefProblems } from '../content/bundle-refs.js';
import type { ContentError } from '../content/post.js';
import { ContentStore } from '../content/store.js';
import { settingsProblems } from '../settings.js';

export interface CheckReport {
  problems: ContentError[];
  posts: number;
  drafts: number;
  scheduled: number;
}

/** Checks `contentDir`; never throws on content. */
export async function checkContent(contentDir: string, maxPostBytes: number, now = Date.now()): Promise<CheckReport> {
  const problems: ContentError[] = settingsProblems(contentDir);
  let site: SiteSettings = settingsSchema.parse({});
  if (!problems.length) site = readSettings(contentDir);
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
  // Slug clashes and aliases are found across posts, without a line: point at the field when the post sets it.
  for (const problem of [...snapshot.errors, ...buildAliasMap(posts).problems]) {
    const { field, ...rest } = problem;
    if (!field || rest.line !== undefined) {
      problems.push(rest);
      continue;
    }
    let line: number | undefined;
    try {
      line = lineOfKey(textOf(path.join(contentDir, problem.file)), field);
    } catch {
      // The file went away since the scan: the problem stands without a line.
    }
    problems.push({ ...rest, line });
  }
  for (const post of posts) problems.push(...bundleRefProblems(post, () => textOf(post.file)));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    problems,
    posts: posts.length,
    drafts: posts.filter((p) => p.draft).length,
    scheduled: posts.filter((p) => !p.draft && p.published.instant > now).length,
  };
}

function lineOfKey(text: string, key: string): number | undefined {
  const match = new RegExp(`^${key}\\s*:`, 'm').exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}
