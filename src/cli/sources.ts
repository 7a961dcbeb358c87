/**
 * Which content file made the export want a URL it could not write, and
 * where in it: the post an alias belongs to, the post of a bundle file, the
 * post whose tag or author page it is, or the post that links to it. So an
 * export problem reads like any other content problem, `file:line: message`,
 * and the author knows what to change.
 */
import { readFileSync } from 'node:fs';
import { normaliseRequestPath, type AliasMap } from '../content/aliases.js';
import type { Post } from '../content/post.js';
import { slugify } from '../content/slug.js';

export interface Source {
  /** Relative to the content folder. */
  readonly file: string;
  readonly line: number | undefined;
}

export interface SiteIndex {
  readonly posts: readonly Post[];
  readonly bySlug: ReadonlyMap<string, Post>;
  readonly aliases: AliasMap;
}

/** The content file behind `urlPath` (reached from the page `from`, if any); undefined when no post is behind it. */
export function sourceOf(site: SiteIndex, urlPath: string, from: string | undefined): Source | undefined {
  const key = normaliseRequestPath(urlPath);
  const aliased = key === undefined ? undefined : site.aliases.targets.get(key);
  if (aliased) return { file: aliased.relPath, line: aliased.fieldLines['aliases'] };
  const [first, second, third] = urlPath.split('/').slice(1);
  if (first === 'posts' && second) {
    const post = site.bySlug.get(second);
    if (post) return at(post, (text) => (third ? lineOf(text, decodeSafely(third)) : undefined));
  }
  if ((first === 'tags' || first === 'authors') && second) {
    const field = first === 'tags' ? 'tags' : 'author';
    const post = site.posts.find((p) => (first === 'tags' ? p.tags : [p.author]).some((name) => slugify(name) === second));
    if (post) return { file: post.relPath, line: post.fieldLines[field] };
  }
  if (from && from !== urlPath) {
    const [, section, slug] = from.split('/');
    const linking = section === 'posts' && slug ? site.bySlug.get(slug) : undefined;
    if (linking) return at(linking, (text) => lineOf(text, urlPath) ?? lineOf(text, decodeSafely(urlPath)));
  }
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

function lineOf(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  return index < 0 ? undefined : text.slice(0, index).split('\n').length;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
