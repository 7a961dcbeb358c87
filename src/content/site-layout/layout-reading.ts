/**
 * Reading a whole blog repository's posts by its layout
 * (src/content/site-layout/site-layout.ts): the listing covers its folders
 * of posts only (Jekyll's `_posts/`, Hugo's `content/`, …), so archetypes,
 * scaffolds, themes and dependencies are never read as posts; a post in a
 * drafts' folder is a draft; and each post keeps the address its old
 * generator gave it as an alias, which answers with a 301
 * (src/content/aliases.ts).
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { normaliseAlias } from '../aliases.js';
import { findPosts, isIgnoredName, MARKDOWN, signatureOf, stemOf, type FoundPosts, type PostFile } from '../find-posts.js';
import type { parsePost } from '../parse-post.js';
import type { Post } from '../post.js';
import { decodeText, PostProblem } from '../post-header.js';
import { readHeader } from '../read-header.js';
import type { PostFolder, SiteLayout } from './site-layout.js';

const NOTHING_RESERVED: ReadonlySet<string> = new Set();

/** The store's listing of the repository: its folders of posts, each file's path from the repository's root. */
export function layoutListing(layout: SiteLayout): (contentDir: string) => FoundPosts {
  return (contentDir) => {
    const all: FoundPosts = { files: [], errors: [], skipped: [], folders: [], media: [], linked: false };
    for (const { dir } of layout.postFolders) {
      // Lede's `pages/` and `static/` are reserved at the top of the content folder only, not of a folder of posts inside it.
      const found = findPosts(dir ? path.join(contentDir, dir) : contentDir, { skip: layout.skip, ...(dir ? { reserved: NOTHING_RESERVED } : {}) });
      const prefix = dir ? `${dir}/` : '';
      all.files.push(...found.files.map((file) => ({ ...file, relPath: prefix + file.relPath })));
      all.errors.push(...found.errors.map((error) => ({ ...error, file: error.file === '.' ? dir || '.' : prefix + error.file })));
      all.skipped.push(...found.skipped.map((skipped) => ({ ...skipped, file: prefix + skipped.file })));
      all.folders.push(...found.folders);
      all.media.push(...found.media.map((file) => prefix + file));
      all.linked ||= found.linked;
    }
    if (!layout.postFolders.some((folder) => folder.dir === '')) all.skipped.push(...topLevelMarkdown(contentDir, layout));
    all.files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
    return all;
  };
}

/**
 * Markdown at the top of the repository that is not a post: a README, or a
 * page of the old site when its pages are not read from there. `check` says so.
 */
function topLevelMarkdown(contentDir: string, layout: SiteLayout): FoundPosts['skipped'] {
  let names: string[];
  try {
    names = readdirSync(contentDir);
  } catch {
    return [];
  }
  if (layout.pages?.dir === '') {
    const pages = new Set(topLevelPages(contentDir).files.map((file) => file.relPath));
    names = names.filter((name) => !pages.has(name));
  }
  const where = layout.postFolders.filter((folder) => !folder.drafts).map((folder) => `${folder.dir}/`);
  const posts = where.length ? `its posts are read from ${where.join(', ')}` : 'Lede found no folder of posts in it';
  return names
    .filter((name) => MARKDOWN.test(name) && !name.startsWith('.'))
    .sort()
    .map((name) => ({ file: name, message: `is not a post: this is ${/^[AEIOU]/.test(layout.name) ? 'an' : 'a'} ${layout.name} site and ${posts}` }));
}

/** The parser, with drafts' folders and old addresses applied to what it gives. */
export function layoutParse(layout: SiteLayout, parse: typeof parsePost): typeof parsePost {
  return (source, defaults) => {
    const result = parse(source, defaults);
    if (!result.ok) return result;
    const folder = folderOf(layout, source.relPath);
    if (!folder) return result;
    const post: Post = result.post;
    // The post was made a moment ago and nothing else holds it yet; it is a class whose body is read
    // lazily (src/content/parse-post.ts), so its fields are set on it rather than copied to a new object.
    if (folder.drafts && !post.draft) Object.assign(post, { draft: true });
    const address = folder.address && oldAddress(folder, source.relPath, source.bytes, post, defaults.timezone);
    if (address !== undefined && !post.aliases.includes(address)) Object.assign(post, { aliases: [...post.aliases, address] });
    return result;
  };
}

/** The folder of posts that holds `relPath`: the longest that does. */
function folderOf(layout: SiteLayout, relPath: string): PostFolder | undefined {
  let best: PostFolder | undefined;
  for (const folder of layout.postFolders) {
    if (folder.dir && !relPath.startsWith(`${folder.dir}/`)) continue;
    if (!best || folder.dir.length > best.dir.length) best = folder;
  }
  return best;
}

/** Keys with which a post names its own old address: that one is its alias already (src/content/foreign-fields.ts). */
const OWN_ADDRESS = ['permalink', 'path'];

/** The post's address under its old generator's rule, as an alias; `undefined` when there is none to add. */
function oldAddress(folder: PostFolder, relPath: string, bytes: Buffer, post: Post, zone: string): string | undefined {
  const text = decodeText(bytes);
  if (text instanceof PostProblem) return undefined;
  const header = readHeader(text.text);
  const data = header.ok ? header.data : {};
  if (OWN_ADDRESS.some((key) => typeof data[key] === 'string' && data[key])) return undefined;
  const address = folder.address?.({
    path: folder.dir ? relPath.slice(folder.dir.length + 1) : relPath,
    published: post.published,
    zone,
    header: data,
    title: post.title,
  });
  if (address === undefined) return undefined;
  const alias = normaliseAlias(address);
  return typeof alias === 'string' ? alias : undefined;
}

/** Names at the top that are never a standalone page: the site's home and error pages, and the repository's own notes. */
const NOT_PAGES = /^(index|404|readme|changelog|license|contributing|code_of_conduct|security)\./i;

/**
 * The standalone pages at the top of a Jekyll site (`about.md`): the
 * markdown files there that start with frontmatter, as Jekyll renders only
 * those; a README without it is not one. The store's listing of the pages.
 */
export function topLevelPages(dir: string): FoundPosts {
  const found: FoundPosts = { files: [], errors: [], skipped: [], folders: [dir], media: [], linked: false };
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    found.errors.push({ file: '.', line: undefined, message: `cannot read the content folder: ${(err as Error).message}` });
    return found;
  }
  for (const name of names) {
    if (!MARKDOWN.test(name) || isIgnoredName(name) || NOT_PAGES.test(name)) continue;
    const file = path.join(dir, name);
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile() || !startsWithFrontmatter(file)) continue;
    const page: PostFile = { file, relPath: name, bundleDir: undefined, baseName: stemOf(name), signature: signatureOf(stats) };
    found.files.push(page);
  }
  return found;
}

function startsWithFrontmatter(file: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const read = readSync(fd, head, 0, 4, 0);
    return /^(\uFEFF)?(---|\+\+\+)/.test(head.subarray(0, read).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
