/**
 * What `npm run check` says about a whole blog repository: what was
 * recognised ("Jekyll site (_config.yml): 48 posts in _posts/, static files
 * from assets/, permalinks /:year/:month/:day/:title.html"), and, one line a
 * file, the config Lede does not run and the folders it does not read.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { MARKDOWN } from '../find-posts.js';
import type { ContentError } from '../post.js';
import type { SiteLayout } from './site-layout.js';

/** Folders a repository holds that are never read for posts, and why, by name. */
const NOT_READ: Readonly<Record<string, string>> = {
  node_modules: 'dependencies',
  vendor: 'dependencies',
  archetypes: "the tool's templates for new posts",
  scaffolds: "the tool's templates for new posts",
  themes: 'themes (their example posts are not this site’s)',
  layouts: 'templates',
  templates: 'templates',
  _site: 'build output',
  public: 'build output',
  dist: 'build output',
  resources: 'build output',
};

/** The one line that says what was recognised, with the number of posts read from each folder. */
export function describeLayout(layout: SiteLayout, posts: readonly { readonly relPath: string }[]): string {
  const parts = layout.postFolders.map((folder) => {
    const count = posts.filter((post) => (folder.dir ? post.relPath.startsWith(`${folder.dir}/`) : true)).length;
    const what = folder.drafts ? `draft${count === 1 ? '' : 's'}` : `post${count === 1 ? '' : 's'}`;
    return `${count} ${what} in ${folder.dir ? `${folder.dir}/` : 'the whole folder'}`;
  });
  if (!parts.length) parts.push('no folder of posts found');
  const statics = layout.staticMounts.map((mount) => `${mount.dir}/`);
  if (statics.length) parts.push(`static files from ${statics.join(', ')}`);
  if (layout.permalink) parts.push(`permalinks ${layout.permalink}`);
  return `${layout.name} site (${layout.site.configFile}): ${parts.join(', ')}`;
}

/** The config that is code or cannot be read, and each folder not read, as notices. */
export function layoutNotices(layout: SiteLayout, contentDir: string): ContentError[] {
  const { site } = layout;
  const notices: ContentError[] = [];
  if (site.code) {
    notices.push({
      file: site.configFile,
      line: undefined,
      message: 'is code; Lede does not run it: title, description, author and base URL not read (set them in _site.yml)',
    });
  } else if (site.problem) {
    notices.push({ file: site.configFile, line: undefined, message: `${site.problem}; title, description, author and base URL not read` });
  }
  const postDirs = layout.postFolders.map((folder) => folder.dir.split('/')[0]);
  const staticDirs = layout.staticMounts.map((mount) => mount.dir.split('/')[0]);
  for (const [name, why] of Object.entries(NOT_READ)) {
    if (postDirs.includes(name) || staticDirs.includes(name) || !existsSync(path.join(contentDir, name))) continue;
    notices.push({ file: name, line: undefined, message: `is not read for posts: ${why}` });
  }
  notices.push(...unreadFolders(layout, contentDir));
  return notices;
}

/** Deeper folders are not counted (a loop, or a mistake). */
const MAX_DEPTH = 8;

/**
 * Folders that hold markdown and are none of the layout's (a
 * Jekyll collection `_recipes/`, a `docs/` folder): one line each with the
 * number of markdown files in it, so no file is left out without a word.
 */
function unreadFolders(layout: SiteLayout, contentDir: string): ContentError[] {
  const covered = [
    ...layout.postFolders.map((f) => f.dir),
    ...layout.staticMounts.map((m) => m.dir),
    ...(layout.pages && !layout.pages.topLevelOnly ? [layout.pages.dir] : []),
  ];
  if (covered.includes('')) return [];
  const where = layout.postFolders.filter((f) => !f.drafts).map((f) => `${f.dir}/`);
  const notices: ContentError[] = [];
  // A folder that holds one of the layout's (Astro's `src/` holds `src/content/blog/`) is looked into, folder by folder.
  const visit = (rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(contentDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const { name } = entry;
      // Markdown beside the layout's folders (`src/notes.md`); the top level's files are named on their own.
      if (rel && entry.isFile() && MARKDOWN.test(name)) {
        notices.push({
          file: `${rel}/${name}`,
          line: undefined,
          message: `is not read: this ${layout.name} site's posts are read from ${where.join(', ') || 'no folder'}`,
        });
        continue;
      }
      if (!entry.isDirectory() || name.startsWith('.') || name in NOT_READ || layout.skip.has(name)) continue;
      const dir = rel ? `${rel}/${name}` : name;
      if (covered.includes(dir)) continue;
      if (covered.some((folder) => folder.startsWith(`${dir}/`))) {
        visit(dir);
        continue;
      }
      const count = markdownIn(path.join(contentDir, dir), 0);
      if (!count) continue;
      const files = `${count} markdown file${count === 1 ? '' : 's'}`;
      notices.push({
        file: dir,
        line: undefined,
        message: `is not read: ${files} in it, not served; this ${layout.name} site's posts are read from ${where.join(', ') || 'no folder'}`,
      });
    }
  };
  visit('');
  return notices;
}

function markdownIn(dir: string, depth: number): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let count = 0;
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (entry.isFile() && MARKDOWN.test(entry.name)) count++;
    else if (entry.isDirectory() && depth + 1 < MAX_DEPTH) count += markdownIn(path.join(dir, entry.name), depth + 1);
  }
  return count;
}
