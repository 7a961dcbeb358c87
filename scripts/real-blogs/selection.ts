/**
 * Which files of a blog's repository are its posts, and what a new user
 * copies into `content/`. Pure: paths in (relative, `/`-separated), paths
 * out (scripts/real-blogs.ts).
 */
import path from 'node:path/posix';

export const MARKDOWN = /\.(md|markdown|mdx|mkd|mdown)$/i;
/** Media Lede may serve (src/content/servable-files.ts), images first. */
export const MEDIA = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp4|m4v|webm|ogv|mov|mp3|m4a|ogg|oga|opus|wav|flac|vtt|pdf)$/i;

/** Never content: dependencies, history, build output, and the tools' own templates and settings. */
const NOT_CONTENT = new Set([
  'node_modules',
  '.git',
  '_site',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.output',
  '.docusaurus',
  '.cache',
  'themes',
  'layouts',
  '_layouts',
  '_includes',
  '_sass',
  '_data',
  '_plugins',
  'archetypes',
  'scaffolds',
  'templates',
  'resources',
  'vendor',
]);

/** Files at a repository's root that are about the repository, not the blog. */
const REPO_FILES = /^(readme|license|licence|changelog|contributing|code_of_conduct|security|agents|claude|todo)(\.[\w.-]+)?$/i;

/** True when a repository path is part of the blog's content (not a dependency, build output, template or dot-folder). */
export function isContentPath(file: string, htmlFolders: ReadonlySet<string> = new Set()): boolean {
  const parts = file.split('/');
  const folders = parts.slice(0, -1);
  // A dot-folder is a tool's settings, except VuePress's `.vuepress/public/`: the site's static files.
  if (folders.some((part, i) => NOT_CONTENT.has(part) || (part.startsWith('.') && folders[i + 1] !== 'public'))) return false;
  if (folders.some((_, i) => htmlFolders.has(folders.slice(0, i + 1).join('/')))) return false;
  return !(parts.length === 1 && REPO_FILES.test(parts[0]!));
}

/** Folders named `public` that hold built HTML: a generator's output committed, not its static files. */
export function builtFolders(files: readonly string[]): Set<string> {
  const built = new Set<string>();
  for (const file of files) {
    const at = file.split('/').indexOf('public');
    if (at >= 0 && file.endsWith('.html'))
      built.add(
        file
          .split('/')
          .slice(0, at + 1)
          .join('/'),
      );
  }
  return built;
}

/**
 * The posts folder a new user copies: Jekyll's or Hexo's `_posts` when there
 * is one, else the deepest folder holding at least `share` of the markdown
 * files (Hugo's `content/posts`, a vault's root; `''` is the root).
 */
export function postsFolder(markdown: readonly string[], share = 0.9): string {
  if (markdown.length === 0) return '';
  const posts = markdown.find((file) => /^(?:source\/)?_posts\//.test(file));
  if (posts) return posts.slice(0, posts.indexOf('_posts') + '_posts'.length);
  const under = new Map<string, number>();
  for (const file of markdown) {
    const folders = file.split('/').slice(0, -1);
    for (let i = 1; i <= folders.length; i++) {
      const folder = folders.slice(0, i).join('/');
      under.set(folder, (under.get(folder) ?? 0) + 1);
    }
  }
  let best = '';
  for (const [folder, n] of under) {
    if (n >= share * markdown.length && folder.split('/').length > (best ? best.split('/').length : 0)) best = folder;
  }
  return best;
}

export interface Copy {
  readonly from: string;
  readonly to: string;
}

/**
 * What a new user copies, as the docs tell them: the posts folder's markdown
 * and media into `content/` (its layout kept), and the site-wide media
 * (`static/`, `public/`, `assets/`, Hexo's `source/`) into `content/static/`
 * at the path the old site served them from.
 */
export function copySelection(files: readonly string[]): { readonly postsFolder: string; readonly copies: readonly Copy[] } {
  const built = builtFolders(files);
  const content = files.filter((file) => isContentPath(file, built));
  const root = postsFolder(content.filter((file) => MARKDOWN.test(file)));
  const prefix = root ? `${root}/` : '';
  const copies: Copy[] = [];
  for (const file of content) {
    if (file.startsWith(prefix)) {
      if (MARKDOWN.test(file) || MEDIA.test(file)) copies.push({ from: file, to: file.slice(prefix.length) });
    } else if (MEDIA.test(file)) {
      copies.push({ from: file, to: path.join('static', sitePath(file)) });
    }
  }
  return { postsFolder: root, copies };
}

/** Where the old site served a media file outside the posts folder: below its `static/` or `public/` folder, Hexo's `source/`, else as it lies. */
export function sitePath(file: string): string {
  const parts = file.split('/');
  const at = parts.findIndex((part) => part === 'static' || part === 'public');
  if (at >= 0) return parts.slice(at + 1).join('/');
  if (parts[0] === 'source') return parts.slice(1).join('/');
  return file;
}
