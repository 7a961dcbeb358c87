/**
 * The site-wide files of every folder that serves them (src/content/site-layout/site-layout.ts,
 * `staticMountsOf`), listed as src/content/static-files.ts lists `static/`:
 * for `check` and the export. A file two folders would serve at one address
 * is served from the first, as the route does.
 */
import { MARKDOWN } from '../find-posts.js';
import type { ContentError } from '../post.js';
import { listStaticFiles, STATIC_FOLDER, type StaticFile, type StaticFiles } from '../static-files.js';
import { staticMountsOf, type SiteLayout } from './site-layout.js';

export interface MountedFiles extends StaticFiles {
  /**
   * Files of a repository's own folders that are not served (its pages'
   * sources, `CNAME`): the old site's business, named, not problems.
   */
  readonly notices: readonly ContentError[];
}

/** The sources of an old site's pages, in its folder of site-wide files (Hexo's `source/about/index.md`). */
const PAGE = /\.(md|markdown|mdx|html?|ejs|njk|liquid)$/i;

/** A markdown file in the folder the old site's pages are read from (Hexo's `source/about/index.md`) is served as a page. */
function servedAsPage(file: string, layout: SiteLayout | undefined): boolean {
  const pages = layout?.pages;
  if (!pages || pages.topLevelOnly || !MARKDOWN.test(file)) return false;
  return pages.dir === '' || file.startsWith(`${pages.dir}/`);
}

function asPage(problem: ContentError, layout: SiteLayout): ContentError {
  return { ...problem, message: `is a page of the ${layout.name} site; Lede serves standalone pages from pages/ only, so it is not served` };
}

export function listMountedFiles(contentDir: string, layout: SiteLayout | undefined): MountedFiles {
  const files: StaticFile[] = [];
  const problems: ContentError[] = [];
  const notices: ContentError[] = [];
  const seen = new Set<string>();
  for (const mount of staticMountsOf(contentDir, layout)) {
    const listed = listStaticFiles(contentDir, mount);
    if (mount.dir === STATIC_FOLDER && !mount.url) problems.push(...listed.problems);
    else
      notices.push(
        ...listed.problems
          .filter((problem) => !servedAsPage(problem.file, layout))
          .map((problem) => (PAGE.test(problem.file) && layout ? asPage(problem, layout) : problem)),
      );
    for (const file of listed.files) {
      if (seen.has(file.url)) continue;
      seen.add(file.url);
      files.push(file);
    }
  }
  return { files, problems, notices };
}
