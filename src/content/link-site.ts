/**
 * The `LinkSite` (src/content/link-resolver.ts) made from what the stores'
 * scans already list: every post and page by its source path, and the media
 * files in folders of posts. Made once per change of the folder, never per
 * request, and handed to the render threads as one shared buffer
 * (`SharedLinkSite`): each job carries the same buffer, copied by no one,
 * and a thread decodes it once per version.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { folderOf, type LinkFrom, type LinkSite } from './link-resolver.js';
import type { Post } from './post.js';
import { pageUrl, postUrl } from './urls.js';

/** A post or page: its source path relative to the content folder, and its address. */
export interface LinkSource {
  readonly relPath: string;
  readonly url: string;
}

/** A `LinkSite` in a buffer threads share, with the version that names it. */
export interface SharedLinkSite {
  /** Names this version: a buffer sent to a thread arrives as a new object each time, so it cannot be the key. */
  readonly id: string;
  readonly buffer: SharedArrayBuffer;
  readonly length: number;
}

export function buildLinkSite(sources: Iterable<LinkSource>, media: Iterable<string>): LinkSite {
  const map = new Map<string, string>();
  for (const { relPath, url } of sources) if (!map.has(relPath)) map.set(relPath, url);
  return { sources: map, media: new Set(media) };
}

/**
 * The site in a buffer the render threads share: lines of `path<TAB>address`,
 * a NUL, then lines of media paths. Plain text, made without building the
 * site's maps on this thread (the threads build them): 10,000 posts and
 * 20,000 images take some milliseconds. A name holding a line break, a tab
 * or a NUL cannot be written in it, and is left out (no link names it).
 */
export function shareLinkSite(sources: Iterable<LinkSource>, media: Iterable<string>): SharedLinkSite {
  const lines: string[] = [];
  for (const { relPath, url } of sources) if (writable(relPath)) lines.push(`${relPath}\t${url}`);
  const files: string[] = [];
  for (const file of media) if (writable(file)) files.push(file);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\0${files.join('\n')}`);
  const buffer = new SharedArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return { id: randomUUID(), buffer, length: bytes.length };
}

/** The site a shared buffer holds, decoded once per version on each thread. */
export function linkSiteOf(shared: SharedLinkSite): LinkSite {
  if (last?.id === shared.id) return last.site;
  // A copy: TextDecoder does not read shared memory.
  const bytes = new Uint8Array(shared.length);
  bytes.set(new Uint8Array(shared.buffer, 0, shared.length));
  const text = new TextDecoder().decode(bytes);
  const cut = text.indexOf('\0');
  const sources = new Map<string, string>();
  for (const line of text.slice(0, cut).split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && !sources.has(line.slice(0, tab))) sources.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const media = text.slice(cut + 1);
  const site: LinkSite = { sources, media: new Set(media ? media.split('\n') : []) };
  last = { id: shared.id, site };
  return site;
}

function writable(text: string): boolean {
  return !/[\t\n\0]/.test(text);
}

/** The last site decoded on this thread: jobs come in runs of one version, and an older one is not asked for again. */
let last: { id: string; site: LinkSite } | undefined;

/** What a store lends to links (`ContentStore.linkSources`). */
export interface LinkSources {
  readonly snapshot: { readonly bySlug: ReadonlyMap<string, Post> };
  readonly media: readonly string[];
  readonly showDrafts: boolean;
}

/** What the site's links resolve in now, and which folders' files are not served. */
export interface CurrentLinks {
  readonly shared: SharedLinkSite;
  /** Folders (relative to the content folder) of hidden posts' bundles: drafts' files are not served at their place. */
  readonly hiddenFolders: readonly string[];
}

/**
 * The posts' and pages' current `LinkSite`, made again only when a store's
 * snapshot or listing is another object (a change of the folder): one pass
 * over the posts, never per request.
 */
export class LinkSiteSource {
  private made: { posts: LinkSources | undefined; pages: LinkSources | undefined; current: CurrentLinks } | undefined;

  constructor(
    private readonly posts: () => LinkSources | undefined,
    private readonly pages: () => LinkSources | undefined,
  ) {}

  current(): CurrentLinks {
    const posts = this.posts();
    const pages = this.pages();
    const made = this.made;
    if (made && same(made.posts, posts) && same(made.pages, pages)) return made.current;
    const sources: LinkSource[] = [];
    const hiddenFolders: string[] = [];
    for (const post of posts?.snapshot.bySlug.values() ?? []) {
      sources.push({ relPath: post.relPath, url: postUrl(post.slug) });
      const bundle = post.draft && !posts!.showDrafts && post.bundleDir ? linkFromOf(post, true).bundle : undefined;
      if (bundle) hiddenFolders.push(bundle.dir);
    }
    for (const page of pages?.snapshot.bySlug.values() ?? []) {
      sources.push({ relPath: page.relPath, url: pageUrl(page.slug) });
      if (page.draft && !pages!.showDrafts && page.bundleDir) hiddenFolders.push(folderOf(page.relPath));
    }
    const current = { shared: shareLinkSite(sources, [...(posts?.media ?? []), ...(pages?.media ?? [])]), hiddenFolders };
    this.made = { posts, pages, current };
    return current;
  }
}

/** The same posts and the same media files: each listing makes a new list, most often of the same files. */
function same(a: LinkSources | undefined, b: LinkSources | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.snapshot === b.snapshot && sameList(a.media, b.media));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The file a post's references are written in. `bundleFiles`: its bundle's
 * files are served at `/posts/<slug>/…` (a post's; a standalone page's are
 * served at their place instead).
 */
export function linkFromOf(post: Pick<Post, 'relPath' | 'file' | 'slug' | 'bundleDir'>, bundleFiles: boolean): LinkFrom {
  if (!bundleFiles || !post.bundleDir) return { relPath: post.relPath };
  const own = folderOf(post.relPath);
  // A bundle's `index.md` is in its folder; a Hexo post's asset folder is beside it, named after it.
  const dir = path.dirname(post.file) === post.bundleDir ? own : [own, path.basename(post.bundleDir)].filter(Boolean).join('/');
  return { relPath: post.relPath, bundle: { slug: post.slug, dir } };
}
