/**
 * Where a whole blog repository keeps its posts, drafts and site-wide files,
 * what is never read, and the rule of its old addresses: one value, made
 * once from the generator's config file (src/site-config/recognise-site.ts),
 * that the store's listing, the static files' route and `check` use instead
 * of Lede's own layout (docs/moving-from-another-generator.md,
 * "A whole blog repository").
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { recogniseSite, TOOL_NAMES, type RecognisedSite } from '../../site-config/recognise-site.js';
import { STATIC_FOLDER, type StaticFolder } from '../static-files.js';
import { configOf } from '../../site-config/site-fields.js';
import {
  astroRule,
  docusaurusBlogRule,
  eleventyRule,
  hexoRule,
  hugoRule,
  jekyllPattern,
  jekyllRule,
  pathRule,
  zolaRule,
  type AddressRule,
} from './permalinks.js';

/** A folder of posts inside the content folder. */
export interface PostFolder {
  /** Relative to the content folder, `/`-separated; `''` for the content folder itself. */
  readonly dir: string;
  /** Every post in it is a draft (Jekyll's `_drafts/`, Hexo's `source/_drafts/`). */
  readonly drafts: boolean;
  /** The address each post had, from the post as its old generator saw it. */
  readonly address: AddressRule | undefined;
}

/** Where the old site's standalone pages are: served as Lede's `pages/` are, at `/<slug>`. */
export interface PageFolder {
  /** Relative to the content folder; `''` for the content folder itself. */
  readonly dir: string;
  /** Only the markdown files at the top of `dir` with frontmatter (Jekyll's `about.md`), not its sub-folders. */
  readonly topLevelOnly: boolean;
}

/** A folder of site-wide files, served at `/<url>/…`. */
export interface StaticMount extends StaticFolder {
  /** First-level names under `dir` that are not served (Hexo's `source/_posts`). */
  readonly hidden: (name: string) => boolean;
}

export interface SiteLayout {
  /** The generator and its config, as recognised. */
  readonly site: RecognisedSite;
  /** `Jekyll`, `Hugo`, … */
  readonly name: string;
  /** The folders of posts that exist, drafts' folders too. */
  readonly postFolders: readonly PostFolder[];
  readonly staticMounts: readonly StaticMount[];
  /** The old site's standalone pages, when the tool keeps them apart from its posts. */
  readonly pages: PageFolder | undefined;
  /** Names of folders that are never read for posts, at any depth: dependencies and build output. */
  readonly skip: ReadonlySet<string>;
  /** The old address rule as the config gives it, in words for `check` (`/:year/:month/:day/:title.html`). */
  readonly permalink: string | undefined;
}

/** Never folders of posts, whatever the tool: dependencies (`_site/`, `.git/` are left out by their names already). */
const NEVER_READ = ['node_modules', 'vendor'];
/** Jekyll's usual folders of site-wide files, served at their own path. */
const JEKYLL_STATIC = ['assets', 'images', 'img', 'files', 'uploads', 'media', 'downloads'];

const nothingHidden = (): boolean => false;

/** The layout of the repository at `contentDir`, or `undefined` when it is a plain content folder. */
export function siteLayoutOf(contentDir: string): SiteLayout | undefined {
  const site = recogniseSite(contentDir);
  if (!site) return undefined;
  const isDir = (rel: string): boolean => statSync(path.join(contentDir, rel), { throwIfNoEntry: false })?.isDirectory() ?? false;
  const plan = planOf(site, contentDir, isDir);
  return {
    site,
    name: TOOL_NAMES[site.tool],
    postFolders: plan.posts.filter((folder) => folder.dir === '' || isDir(folder.dir)),
    staticMounts: plan.statics.filter((mount) => isDir(mount.dir)),
    pages: plan.pages && (plan.pages.dir === '' || isDir(plan.pages.dir)) ? plan.pages : undefined,
    skip: new Set([...NEVER_READ, ...(plan.skip ?? [])]),
    permalink: plan.permalink,
  };
}

interface Plan {
  posts: PostFolder[];
  statics: StaticMount[];
  pages?: PageFolder;
  skip?: string[];
  permalink: string | undefined;
}

function folder(dir: string, address: AddressRule | undefined, drafts = false): PostFolder {
  return { dir, drafts, address };
}

function mount(dir: string, url = '', hidden: (name: string) => boolean = nothingHidden): StaticMount {
  return { dir, url, hidden };
}

/** A folder named in a config (`source_dir: ./src/`), as a relative path without slashes at its ends. */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim().replace(/^\.\/|\/+$/g, '') : fallback;
}

/** Each tool's folders and address rule, from its config or the documented defaults. */
function planOf(site: RecognisedSite, contentDir: string, isDir: (rel: string) => boolean): Plan {
  const config = configOf(site);
  switch (site.tool) {
    case 'jekyll': {
      const pattern = jekyllPattern(config.permalink);
      const rule = jekyllRule(pattern);
      // Jekyll reads `_posts/` in any folder too; the folders above it are the posts' first categories.
      const nested = nestedPostFolders(contentDir).map((dir) => folder(dir, jekyllRule(pattern, dir.split('/').slice(0, -1))));
      return {
        posts: [folder('_posts', rule), folder('_drafts', rule, true), ...nested],
        statics: JEKYLL_STATIC.map((dir) => mount(dir, dir)),
        pages: { dir: '', topLevelOnly: true },
        permalink: pattern,
      };
    }
    case 'hexo': {
      const source = text(config.source_dir, 'source');
      const rule = hexoRule(config.permalink, config.new_post_name);
      return {
        posts: [folder(`${source}/_posts`, rule), folder(`${source}/_drafts`, rule, true)],
        // Everything in source/ but the posts is copied to the site (names starting with _ are not).
        statics: [mount(source, '', (name) => name.startsWith('_'))],
        // Hexo's pages: `source/about/index.md` and the like (its `_posts/` are left out by their name).
        pages: { dir: source, topLevelOnly: false },
        permalink: typeof config.permalink === 'string' && config.permalink.trim() ? config.permalink.trim() : ':year/:month/:day/:title/',
      };
    }
    case 'hugo': {
      const content = text(config.contentdir, 'content');
      const patterns = hugoPatterns(config.permalinks);
      const described = Object.entries(patterns).map(([section, pattern]) => `${section}: ${pattern}`);
      return {
        posts: [folder(content, hugoRule(patterns))],
        statics: [mount(text(config.staticdir, 'static'))],
        permalink: described.length ? described.join(', ') : '/<section>/<slug>/',
      };
    }
    case 'zola':
      return { posts: [folder('content', zolaRule)], statics: [mount('static')], permalink: '/<section>/<slug>/' };
    case 'eleventy': {
      // The input folder is set in code Lede does not run; eleventy-base-blog's is content/.
      const input = ['content', 'src', 'posts', 'blog'].find(isDir) ?? '';
      return {
        posts: [folder(input, eleventyRule)],
        statics: [mount('public')],
        skip: ['public', 'dist', 'build'],
        permalink: `the file's path under ${input ? `${input}/` : 'the repository'}`,
      };
    }
    case 'astro': {
      // Every collection under src/content/, and the folders a content layer's glob loader
      // reads most often outside it (src/blog/); each collection's posts at /<collection>/<id>/.
      const collections = [
        ...subfolders(contentDir, 'src/content').map((name) => `src/content/${name}`),
        ...['src/blog', 'src/posts', 'src/post', 'src/articles', 'src/data/blog'].filter(isDir),
      ];
      return {
        posts: collections.map((dir) => folder(dir, astroRule(path.posix.basename(dir)))),
        statics: [mount('public')],
        pages: { dir: 'src/pages', topLevelOnly: false },
        permalink: collections.length ? collections.map((dir) => `/${path.posix.basename(dir)}/<id>/`).join(', ') : undefined,
      };
    }
    case 'docusaurus':
      return { posts: [folder('blog', docusaurusBlogRule)], statics: [mount('static')], permalink: '/blog/<yyyy>/<mm>/<dd>/<name>' };
    case 'mkdocs': {
      const docs = text(config.docs_dir, 'docs');
      return { posts: [folder(docs, pathRule)], statics: [mount(docs)], permalink: `the file's path under ${docs}/` };
    }
    case 'obsidian':
      return { posts: [folder('', undefined)], statics: [], permalink: undefined };
  }
}

/** The folders in `rel`, by name, sorted; none when it is not a folder. */
function subfolders(contentDir: string, rel: string): string[] {
  try {
    return readdirSync(path.join(contentDir, rel), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** `<folder>/_posts` one or two folders down (`blog/_posts`, `en/blog/_posts`), left of dependencies and `_` folders. */
function nestedPostFolders(contentDir: string, rel = '', depth = 0): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(rel ? path.join(contentDir, rel) : contentDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || /^[._]/.test(entry.name) || NEVER_READ.includes(entry.name)) continue;
    const here = rel ? `${rel}/${entry.name}` : entry.name;
    if (statSync(path.join(contentDir, here, '_posts'), { throwIfNoEntry: false })?.isDirectory()) found.push(`${here}/_posts`);
    if (depth < 1) found.push(...nestedPostFolders(contentDir, here, depth + 1));
  }
  return found;
}

/** `[permalinks] posts = …` or `[permalinks.page] posts = …` (Hugo 0.120 and later). */
function hugoPatterns(value: unknown): Record<string, string> {
  const patterns: Record<string, string> = {};
  if (!value || typeof value !== 'object') return patterns;
  const table = value as Record<string, unknown>;
  const page = table.page && typeof table.page === 'object' ? (table.page as Record<string, unknown>) : table;
  for (const [section, pattern] of Object.entries(page)) if (typeof pattern === 'string') patterns[section] = pattern;
  return patterns;
}

/**
 * The folders of site-wide files of `contentDir`, each with its address
 * prefix: Lede's `static/` at the root, and a repository's own (`public/`,
 * Jekyll's `assets/` and `images/`, …) after it.
 */
export function staticMountsOf(contentDir: string, layout = siteLayoutOf(contentDir)): readonly StaticMount[] {
  const own = mount(STATIC_FOLDER);
  if (!layout) return [own];
  return [own, ...layout.staticMounts.filter((m) => m.dir !== own.dir || m.url !== own.url)];
}
