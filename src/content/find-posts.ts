/**
 * Finds the post files in a content folder: `name.md`, page bundles
 * `name/index.md`, and sections (`name/index.md` with other notes beside it:
 * each of them a post, the `index.md` too), in the content folder and in its
 * sub-folders at any depth (`2023/post.md`, `inside-rust/post.md`), as other
 * generators lay posts out.
 * Names starting with `.` or `_` and editor leftovers are not posts; a
 * symlink is followed only when its real target stays inside the folder (and
 * is not the folder itself, a folder holding it, or a cycle). `pages/` and
 * `static/` at the top are not folders of posts (docs/pages-and-static-files.md).
 */
import { isInside } from '../files/inside.js';
import { kindOf } from '../files/read-regular.js';
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { ContentError, FileSignature } from './post.js';
import { isServableBundlePath } from './servable-files.js';

export interface PostFile {
  file: string;
  /** Relative to the content folder, with `/` separators. */
  relPath: string;
  bundleDir: string | undefined;
  /** The file name without its extension, or the bundle's folder name: the slug comes from it. */
  baseName: string;
  signature: FileSignature;
}

/** A file that looks like a post but is not read as one, and why: `check` reports it. */
export interface SkippedFile {
  readonly file: string;
  readonly message: string;
}

export interface FoundPosts {
  files: PostFile[];
  errors: ContentError[];
  skipped: SkippedFile[];
  /** Folders that hold posts (not bundles), the content folder first: the watch covers each. */
  folders: string[];
  /** Media files in folders of posts (not in bundles), relative to the content folder: what links resolve against (src/content/link-site.ts). */
  media: string[];
  /** Some post file was reached through a symlink: a change to one name may change another's, so only a listing tells. */
  linked: boolean;
}

/** How a listing differs from Lede's own layout, for a whole blog repository (src/content/site-layout/site-layout.ts). */
export interface ListingRules {
  /** Names of folders never entered, at any depth (`node_modules`). */
  readonly skip?: ReadonlySet<string>;
  /** Top-level folders that are not folders of posts; `RESERVED_FOLDERS` unless given (Hugo's `content/pages/` holds posts). */
  readonly reserved?: ReadonlySet<string>;
}

/** The name a post file has without its extension (`post` of `post.md`). */
export function stemOf(name: string): string {
  return name.replace(MARKDOWN, '');
}

/** Markdown as the generators name it: `.md`, `.markdown`, `.mdx`, and Pelican's `.mkd`, `.mdown`. */
export const MARKDOWN = /\.(md|markdown|mdx|mkd|mdown)$/i;
/** What makes a folder with one markdown file a bundle: the media a post embeds. */
const MEDIA = /\.(png|jpe?g|gif|webp|avif|svg|mp4|webm|mov|mp3|m4a|ogg|wav|pdf)$/i;
/** Other markup that other generators read and Lede does not: reported, not served. */
export const OTHER_MARKUP = /\.(rst|adoc|asciidoc|org|textile|ipynb)$/i;
/** Top-level folders with a meaning of their own (docs/pages-and-static-files.md): standalone pages and site-wide files. */
export const RESERVED_FOLDERS: ReadonlySet<string> = new Set(['pages', 'static']);
/** Folders of posts nest at most this deep: deeper is a mistake (or a symlink loop). */
const MAX_DEPTH = 8;

/** True for names that are never posts: hidden, private, or an editor's leftovers. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.endsWith('~') || /\.(swp|swo|swx|tmp|bak|orig)$/i.test(name) || /^#.*#$/.test(name);
}

export function signatureOf(stats: Stats): FileSignature {
  return { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, size: stats.size, ino: stats.ino };
}

/** True when both name the same version of a file; `a` may be a `Stats` itself (no copy made). */
export function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size && a.ino === b.ino;
}

/**
 * Lists the folder synchronously: a `stat` costs microseconds this way, where
 * each promise round-trip through the thread pool costs tens of them, and a
 * folder of 10,000 posts is listed again every second.
 */
export function findPosts(contentDir: string, rules: ListingRules = {}): FoundPosts {
  const found: FoundPosts = { files: [], errors: [], skipped: [], folders: [], media: [], linked: false };
  let root: string;
  try {
    root = realpathSync(contentDir);
  } catch (err) {
    found.errors.push({ file: '.', line: undefined, message: `cannot read the content folder: ${(err as Error).message}` });
    return found;
  }
  /** Files reached through a symlink, by their real path: served only when no other name serves them. */
  const viaLink = new Map<PostFile, string>();
  listFolder(root, root, '', 0, found, viaLink, false, rules);
  found.files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  if (viaLink.size) found.files = withoutSecondNames(root, found.files, viaLink, found.errors);
  found.linked = viaLink.size > 0;
  return found;
}

/**
 * One folder of posts: its markdown files are posts, its sub-folders bundles,
 * sections or more folders of posts. `sectionPage`: the name of the
 * section's own page in it (its `index.md`), listed already.
 */
function listFolder(
  root: string,
  dir: string,
  rel: string,
  depth: number,
  found: FoundPosts,
  viaLink: Map<PostFile, string>,
  linkedDir: boolean,
  rules: ListingRules,
  sectionPage?: string,
): void {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (!rel) found.errors.push({ file: '.', line: undefined, message: `cannot read the content folder: ${(err as Error).message}` });
    else found.errors.push({ file: rel, line: undefined, message: `cannot be read: ${(err as Error).message}` });
    return;
  }
  found.folders.push(dir);
  // Hexo's asset folders: `post.md` with its images in `post/` beside it, a bundle in all but layout.
  const stems = new Set(dirents.filter((d) => MARKDOWN.test(d.name)).map((d) => d.name.replace(MARKDOWN, '')));
  const assetFolders = new Set(dirents.filter((d) => d.isDirectory() && stems.has(d.name) && !containsMarkdown(path.join(dir, d.name))).map((d) => d.name));
  const outside = (file: string): void => {
    found.errors.push({ file, line: undefined, message: 'is a symlink to a place outside the content folder; it is not followed' });
  };
  /** Records a post file that a symlink (its own, or a folder's on its way) reaches, by its real path. */
  const add = (file: PostFile, linked: boolean): void => {
    found.files.push(file);
    if (linked) viaLink.set(file, realpathSync(file.file));
  };
  for (const d of dirents) {
    const relPath = rel ? `${rel}/${d.name}` : d.name;
    if (isIgnoredName(d.name)) {
      reportIgnored(dir, d, relPath, found);
      continue;
    }
    const full = path.join(dir, d.name);
    try {
      let stats: Stats = d.isSymbolicLink() ? lstatSync(full) : (statSync(full, { throwIfNoEntry: false }) as Stats);
      if (!stats) continue; // vanished between readdir and stat (an editor's save)
      const linked = linkedDir || stats.isSymbolicLink();
      if (stats.isSymbolicLink()) {
        const refused = refusedLink(root, full);
        if (refused) {
          found.errors.push({ file: relPath, line: undefined, message: refused });
          continue;
        }
        stats = statSync(full);
      }
      if (stats.isFile()) {
        if (d.name === sectionPage) continue;
        if (MARKDOWN.test(d.name)) {
          const stem = d.name.replace(MARKDOWN, '');
          const bundleDir = assetFolders.has(stem) ? path.join(dir, stem) : undefined;
          // A folder's README.md (VuePress, GitHub) is named for its folder, as an index.md is.
          const baseName = rel && /^readme$/i.test(stem) ? path.basename(dir) : stem;
          add({ file: full, relPath, bundleDir, baseName, signature: signatureOf(stats) }, linked);
        } else if (isServableBundlePath(relPath.split('/'))) {
          found.media.push(relPath);
        } else if (rel && /^authors\.ya?ml$/i.test(d.name)) {
          found.skipped.push({ file: relPath, message: 'is not read: the authors file is read at the top of the content folder only; move it there' });
        } else if (OTHER_MARKUP.test(d.name)) {
          found.skipped.push({
            file: relPath,
            message: `is not markdown (${path.extname(d.name)}); only .md, .markdown and .mdx files are posts, so it is not served`,
          });
        }
      } else if (!stats.isDirectory() && MARKDOWN.test(d.name)) {
        // A FIFO or a device is never opened for a post (src/files/read-regular.ts): it is named instead.
        found.errors.push({ file: relPath, line: undefined, message: `is ${kindOf(stats)}, not a regular file; only regular files are posts` });
      } else if (stats.isDirectory()) {
        if ((!rel && (rules.reserved ?? RESERVED_FOLDERS).has(d.name)) || assetFolders.has(d.name) || rules.skip?.has(d.name)) continue;
        const bundled = bundleFile(full);
        const bundle = bundled?.file;
        const section = bundled?.section ?? false;
        if (bundle && (!section || depth + 1 < MAX_DEPTH)) {
          const post = path.join(full, bundle);
          const real = realpathSync(post);
          if (!isInside(root, real)) {
            outside(`${relPath}/${bundle}`);
            continue;
          }
          // A section's page keeps its folder's files as a bundle's (its images resolve there).
          add(
            { file: post, relPath: `${relPath}/${bundle}`, bundleDir: full, baseName: d.name, signature: signatureOf(statSync(post)) },
            linked || real !== post,
          );
          // A section: its page is the post above, at the folder's slug; its other notes are posts too.
          if (section) listFolder(root, full, relPath, depth + 1, found, viaLink, linked, rules, bundle);
        } else if (depth + 1 < MAX_DEPTH) {
          listFolder(root, full, relPath, depth + 1, found, viaLink, linked, rules);
        } else {
          found.skipped.push({ file: relPath, message: `is more than ${MAX_DEPTH} folders deep; its posts are not read` });
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        found.errors.push({ file: relPath, line: undefined, message: `cannot be read: ${(err as Error).message}` });
      }
    }
  }
}

/**
 * Why a symlink in the content folder is not followed, or `undefined` when it
 * may be. Its real target decides: outside the folder, the folder itself or
 * a folder holding it (`ln -s . rootlink` made every file of the folder,
 * drafts' sources included, a file of the bundle `rootlink`), or a cycle.
 */
function refusedLink(root: string, link: string): string | undefined {
  let target: string;
  try {
    target = realpathSync(link);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'is a symlink in a cycle; it is not followed';
    // A link to nothing is skipped like a file that vanished; `check` names it (src/content/special-files.ts).
    throw err;
  }
  if (isInside(target, root)) return 'is a symlink to the content folder or a folder holding it; it is not followed';
  if (!isInside(root, target)) return 'is a symlink to a place outside the content folder; it is not followed';
  return undefined;
}

/**
 * A post file reached by two names (`copy.md -> post.md`, a folder link to a
 * bundle) is served once, under the name that is not a link: a second name
 * gives a second URL, and with its own name date a second publishing date,
 * to the same text. Only files that came through a link cost a look here.
 */
function withoutSecondNames(root: string, files: PostFile[], viaLink: ReadonlyMap<PostFile, string>, errors: ContentError[]): PostFile[] {
  const owner = new Map<string, PostFile>();
  for (const file of files) if (!viaLink.has(file)) owner.set(file.file, file);
  const kept: PostFile[] = [];
  for (const file of files) {
    const target = viaLink.get(file);
    if (target === undefined) {
      kept.push(file);
      continue;
    }
    const first = owner.get(target);
    if (first) {
      errors.push({
        file: file.relPath,
        line: undefined,
        message: `is a symlink to ${path.relative(root, target)}, which is already served as ${first.relPath}; it is not served twice`,
      });
      continue;
    }
    owner.set(target, file);
    kept.push(file);
  }
  return kept;
}

/**
 * The markdown file that makes `dir` a page bundle: `index.md` (or
 * `.markdown`, `.mdx`), else its only markdown file when it is named after
 * the folder, or has images (or other media) beside it and no folder of
 * posts (Eleventy's `fourthpost/fourthpost.md` next to `possum.png`). A
 * folder holding one lone post, or one post and other files, stays a folder
 * of posts. `section`: the folder is a section rather than a bundle (`isSection`).
 */
function bundleFile(dir: string): { file: string; section: boolean } | undefined {
  // One listing of the folder tells both which file and whether it is a section: a folder of 10,000 bundles is listed every second.
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const index = entries.find((d) => d.name === 'index.md') ?? entries.find((d) => /^index\.(md|markdown|mdx)$/i.test(d.name));
  if (index && !index.isDirectory()) return { file: index.name, section: isSection(dir, entries, index.name) };
  const visible = entries.filter((d) => !isIgnoredName(d.name));
  const markdown = visible.filter((d) => MARKDOWN.test(d.name));
  if (markdown.length !== 1) return undefined;
  const only = markdown[0]!.name;
  if (only.replace(MARKDOWN, '').toLowerCase() === path.basename(dir).toLowerCase()) return { file: only, section: isSection(dir, entries, only) };
  // Images (or audio, video, PDFs) beside it, and no folder among them that could hold posts of its own.
  if (!visible.some((d) => MEDIA.test(d.name))) return undefined;
  for (const other of visible) {
    if (other.name === only) continue;
    const stats = statSync(path.join(dir, other.name), { throwIfNoEntry: false });
    if (stats?.isDirectory() && containsMarkdown(path.join(dir, other.name))) return undefined;
  }
  return { file: only, section: false };
}

/**
 * A folder whose page (`index.md`) has other markdown beside it, or in a
 * sub-folder of it: a section, whose page is a post and whose other notes
 * are posts too (docs/writing-posts.md). A page bundle's `index.md` stands
 * alone with its media. `entries`: the folder's listing.
 */
function isSection(dir: string, entries: readonly Dirent[], page: string): boolean {
  for (const d of entries) {
    if (d.name === page || isIgnoredName(d.name)) continue;
    if (MARKDOWN.test(d.name) && !d.isDirectory()) return true;
    if ((d.isDirectory() || d.isSymbolicLink()) && containsMarkdown(path.join(dir, d.name))) return true;
  }
  return false;
}

function containsMarkdown(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => MARKDOWN.test(n) && !isIgnoredName(n));
  } catch {
    return false;
  }
}

/**
 * An ignored name worth a word in `check`: a markdown file (`_index.md`, a
 * Hugo or Zola section page) or a folder of them (`_posts`, `_drafts`).
 * Dot files and editors' leftovers are silent.
 */
function reportIgnored(dir: string, d: Dirent, relPath: string, found: FoundPosts): void {
  // A hidden markdown file (`.draft.md`, a vault's `.keystore notes.md`): named, not left out without a word.
  // Hidden folders (.git, .obsidian, .github) are the tools', not the writer's: never looked into.
  if (d.name.startsWith('.') && d.isFile() && MARKDOWN.test(d.name)) {
    found.skipped.push({ file: relPath, message: 'is not a post: names starting with . are hidden, and not read; rename it to publish it' });
    return;
  }
  if (!d.name.startsWith('_')) return;
  if (d.isFile() && MARKDOWN.test(d.name)) {
    const section = /^_index\./i.test(d.name) ? ' (a section page of Hugo or Zola)' : '';
    found.skipped.push({ file: relPath, message: `is not a post${section}: names starting with _ are not read` });
  } else if (d.isDirectory() && containsMarkdown(path.join(dir, d.name))) {
    found.skipped.push({
      file: relPath,
      message: "is not read: folders starting with _ hold no posts; move the posts out of it (Jekyll's _posts: into the content folder)",
    });
  }
}
