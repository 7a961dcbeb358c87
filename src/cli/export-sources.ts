/**
 * Which content file made the export want a URL it could not write, and
 * where in it: the post an alias belongs to, the post of a bundle file, the
 * post whose tag or author page it is, or the post that links to it. So an
 * export problem reads like any other content problem, `file:line: message`,
 * and the author knows what to change.
 */
import { readFileSync } from 'node:fs';
import { normaliseRequestPath, type AliasMap } from '../content/aliases.js';
import { lineOf } from '../content/line-at.js';
import type { Post } from '../content/post.js';
import { safeDecode } from '../content/safe-decode.js';
import { authorUrl, bundleFileOf, postUrl, tagUrl } from '../content/urls.js';

export interface Source {
  /** Relative to the content folder. */
  readonly file: string;
  readonly line: number | undefined;
}

export interface SiteIndex {
  readonly posts: readonly Post[];
  readonly aliases: AliasMap;
}

/** The content file behind `urlPath` (reached from the page `from`, if any); undefined when no post is behind it. */
export function sourceOf(site: SiteIndex, urlPath: string, from: string | undefined): Source | undefined {
  const key = normaliseRequestPath(urlPath);
  const aliased = key === undefined ? undefined : site.aliases.targets.get(key);
  if (aliased) return { file: aliased.relPath, line: aliased.fieldLines.aliases };
  for (const post of site.posts) {
    if (urlPath === postUrl(post)) return { file: post.relPath, line: undefined };
    const file = bundleFileOf(post.slug, urlPath);
    if (file !== undefined) return at(post, (text) => lineOf(text, safeDecode(file)));
  }
  const tagged = site.posts.find((p) => p.tags.some((tag) => tagUrl(tag) === urlPath));
  if (tagged) return { file: tagged.relPath, line: tagged.fieldLines.tags };
  const authored = site.posts.find((p) => authorUrl(p.author) === urlPath);
  if (authored) return { file: authored.relPath, line: authored.fieldLines.author };
  const linking = from === undefined || from === urlPath ? undefined : site.posts.find((p) => postUrl(p) === from);
  if (linking) return at(linking, (text) => lineOf(text, urlPath) ?? lineOf(text, safeDecode(urlPath)));
  return undefined;
}

function at(post: Post, line: (text: string) => number | undefined): Source {
  let text: string;
  try {
    text = readFileSync(post.file, 'utf8');
  } catch {
    return { file: post.relPath, line: undefined };
  }
  return { file: post.relPath, line: line(text) };
}
