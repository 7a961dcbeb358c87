/**
 * What a change to one named path means for the posts, found with a `stat`
 * or two instead of a listing of the whole folder: the watch names the file
 * of each event, and a reader's request names the post whose file it saw
 * change. A known post file edited is `changed`; a plain new `.md` file in a
 * folder of posts is `added`; a plain post file gone is `removed`; a name that
 * is no post and never was one is `nothing`. Anything that could change how
 * other files are read (a folder, a bundle, a symlink, an asset folder, a file
 * `check` reports) is `list`: only a listing of the folder tells
 * (src/content/find-posts.ts).
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { AUTHOR_FILES } from './author-directory.js';
import { isIgnoredName, MARKDOWN, OTHER_MARKUP, signatureOf, stemOf, type FoundPosts, type PostFile } from './find-posts.js';
import { SETTINGS_FILE } from '../settings.js';

export type NamedChange =
  | { readonly kind: 'changed'; readonly file: PostFile }
  | { readonly kind: 'added'; readonly file: PostFile }
  | { readonly kind: 'removed'; readonly file: PostFile }
  | { readonly kind: 'nothing' }
  | { readonly kind: 'list' };

/** What the last listing found, as the classifier needs it. */
export interface KnownFolder {
  /** The content folder's real path: every path here is under it. */
  readonly root: string;
  /** Put before relative paths (`pages/`), as the listing did. */
  readonly relPrefix: string;
  readonly found: FoundPosts;
  /** The post file at this path, as last listed. */
  fileAt(file: string): PostFile | undefined;
}

const LIST: NamedChange = { kind: 'list' };
const NOTHING: NamedChange = { kind: 'nothing' };

export function classifyNamed(target: string, known: KnownFolder): NamedChange {
  const rel = path.relative(known.root, target);
  // Outside the folder, or the folder itself: the listing knows.
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return LIST;
  const name = path.basename(target);
  const dir = path.dirname(target);
  const relPath = known.relPrefix + rel.split(path.sep).join('/');
  const stats = lstat(target);
  const post = known.fileAt(target);
  if (post) {
    if (stats?.isSymbolicLink()) return LIST;
    // Gone, or no longer a file: a bundle's `index.md` (the folder may hold another) and a post with an asset folder need the listing.
    // So does a note of a section, which may have been the last beside its page (then a bundle's).
    if (!stats?.isFile()) return post.bundleDir || inSection(known, dir, name) ? LIST : { kind: 'removed', file: post };
    return { kind: 'changed', file: { ...post, signature: signatureOf(stats) } };
  }
  // The settings and the authors' file are read by the listing; so are files `check` reports by name.
  if (dir === known.root && (name === SETTINGS_FILE || AUTHOR_FILES.includes(name))) return LIST;
  if (mentioned(known.found, relPath)) return LIST;
  if (!stats) {
    // Gone and never a post: a temporary file; a folder that held posts or a bundle needs the listing.
    return holdsPosts(known, target) ? LIST : NOTHING;
  }
  if (!stats.isFile() || isIgnoredName(name)) return stats.isFile() ? NOTHING : LIST;
  // A file in a bundle, or in a sub-folder that may become one (a lone post and an image): the listing's rules decide.
  if (!known.found.folders.includes(dir)) return LIST;
  // Other markup is reported by `check` (a listing finds it); other files at the top are not the posts' business.
  if (!MARKDOWN.test(name)) return dir === known.root && !OTHER_MARKUP.test(name) ? NOTHING : LIST;
  // `post.md` beside a folder `post/` makes it an asset folder: the listing's rules decide.
  if (exists(path.join(dir, stemOf(name)))) return LIST;
  if (inSection(known, dir, name)) return LIST;
  return { kind: 'added', file: { file: target, relPath, bundleDir: undefined, baseName: stemOf(name), signature: signatureOf(stats) } };
}

/** True when `dir` is a section (its page, an `index.md`, is a post), and `name` is not that page. */
function inSection(known: KnownFolder, dir: string, name: string): boolean {
  if (dir === known.root) return false;
  return SECTION_PAGES.some((page) => page !== name && known.fileAt(path.join(dir, page)) !== undefined);
}

const SECTION_PAGES = ['index.md', 'index.markdown', 'index.mdx'];

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function exists(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** A problem or a skipped file the last listing reported at this path. */
function mentioned(found: FoundPosts, relPath: string): boolean {
  return (
    found.errors.some((e) => e.file === relPath || e.file.startsWith(`${relPath}/`)) ||
    found.skipped.some((s) => s.file === relPath || s.file.startsWith(`${relPath}/`))
  );
}

/** True when a folder of posts or a bundle is at or under this path. */
function holdsPosts(known: KnownFolder, target: string): boolean {
  const under = target + path.sep;
  if (known.found.folders.some((dir) => dir === target || dir.startsWith(under))) return true;
  return known.found.files.some((file) => file.bundleDir !== undefined && (file.bundleDir === target || file.bundleDir.startsWith(under)));
}
