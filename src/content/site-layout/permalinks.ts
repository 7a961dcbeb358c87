/**
 * A post's address under the generator it came from, so that old links
 * answer (docs/moving-from-another-generator.md, "A whole blog repository").
 * Each rule is the tool's own, from its config or its documented default:
 *
 * - Jekyll: `permalink:` of `_config.yml`, a template or a named style
 *   (`date`, the default, is `/:categories/:year/:month/:day/:title:output_ext`);
 *   https://jekyllrb.com/docs/permalinks/
 * - Hexo: `permalink:` of `_config.yml`, default `:year/:month/:day/:title/`,
 *   where `:title` is the file's path under `source/_posts`;
 *   https://hexo.io/docs/permalinks
 * - Hugo: `[permalinks]` by section, else the file's path under `content/`
 *   with the slug (or file name) last, in lower case;
 *   https://gohugo.io/content-management/urls/
 * - Zola: the section's path and the slug (`2024-01-02-name.md` is `name`);
 * - Eleventy: the file's path under its input folder;
 * - Astro: `/<collection>/<id>/`; Docusaurus: `/blog/<yyyy>/<mm>/<dd>/<name>`;
 *   MkDocs: the file's path under `docs/`.
 */
import { DateTime } from 'luxon';
import type { PostDate } from '../dates.js';

/** What an old address is made of: the post as its old generator saw it. */
export interface PostFacts {
  /** The file's path inside its folder of posts, `/`-separated (`2024-01-02-hello.md`, `lorem/hello/index.md`). */
  readonly path: string;
  /** The post's date, its calendar day as written. */
  readonly published: PostDate;
  /** The site's time zone: Jekyll and Hexo put a post with a time of day on the day it is there. */
  readonly zone: string;
  /** The post's frontmatter as written. */
  readonly header: Readonly<Record<string, unknown>>;
  /** The post's title. */
  readonly title: string;
}

/** The old address of a post, or `undefined` when the rule cannot make one (a placeholder it does not know). */
export type AddressRule = (post: PostFacts) => string | undefined;

const LEADING_DATE = /^(\d{4})-(\d{2})-(\d{2})[-_]/;

/** The file's path without its extension, a bundle's `index` dropped (`lorem/hello/index.md` is `lorem/hello`). */
export function pathStem(path: string): string {
  return path.replace(/\.[^./]+$/, '').replace(/(^|\/)(index|README|_index)$/i, '');
}

/** The last segment of a path stem. */
function lastSegment(stem: string): string {
  return stem.slice(stem.lastIndexOf('/') + 1);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Date parts (`2024`, `01`, `02`, `14`, `05`, `09`, …): as written, or seen
 * in `zone` when given and the post has a time of day (Jekyll's `timezone`,
 * Hexo's: `2021-03-05 02:30 +0000` is 4 March in New York).
 */
function dateParts(date: PostDate, zone?: string): Record<string, string> {
  const seen = zone && date.hasTime ? DateTime.fromMillis(date.instant, { zone }) : undefined;
  const [year = '', month = '', day = ''] = (seen?.isValid ? seen.toISODate()! : date.date).split('-');
  const time = seen?.isValid ? seen.toFormat('HH:mm:ss') : date.hasTime ? date.iso.slice(11, 19) : '00:00:00';
  const [hour = '00', minute = '00', second = '00'] = time.split(':');
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const yday = String(Math.round((utc - Date.UTC(Number(year), 0, 1)) / 86_400_000) + 1).padStart(3, '0');
  // Names from tables, not Intl: a scan of 10,000 posts asks for them 10,000 times.
  const monthName = MONTHS[Number(month) - 1] ?? '';
  const weekday = WEEKDAYS[new Date(utc).getUTCDay()] ?? '';
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    i_month: String(Number(month)),
    i_day: String(Number(day)),
    short_year: year.slice(2),
    y_day: yday,
    short_month: monthName.slice(0, 3),
    long_month: monthName,
    monthname: monthName.toLowerCase(),
    weekdayname: weekday.toLowerCase(),
    weekday: String(new Date(utc).getUTCDay()),
    yearday: String(Number(yday)),
  };
}

/** Fills `:name` placeholders from `values`; `undefined` when one is unknown. */
function fill(pattern: string, values: Readonly<Record<string, string>>): string | undefined {
  let unknown = false;
  const filled = pattern.replace(/:([a-z_]+)/gi, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) unknown = true;
    return value ?? whole;
  });
  if (unknown) return undefined;
  return `/${filled}`.replace(/\/{2,}/g, '/');
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value))
    return value
      .flat()
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .map(String);
  return [];
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

/** Lower case, runs of other characters as one `-`: the slugs Hugo's `urlize`, Zola and Astro make of ASCII names. */
export function urlSlug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}_\-\s]+/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/**
 * A path segment as Hugo writes it in a URL (its `MakePath`, then lower
 * case): letters, digits and marks of any script and `. _ ~ # + % -` kept,
 * blanks as `-`, anything else dropped, runs of `-` as one ("01 My Notes"
 * is `01-my-notes`, "CPU（中央处理器）" is `cpu中央处理器`, "Auto.JS" is `auto.js`).
 */
function hugoPathSegment(segment: string): string {
  return segment
    .trim()
    .toLowerCase()
    .replace(/\s+/gu, '-')
    .replace(/[^\p{L}\p{N}\p{M}._~#+%-]+/gu, '')
    .replace(/-{2,}/g, '-');
}

const JEKYLL_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** Jekyll's rule: a named style or a template. */
export function jekyllPattern(permalink: unknown): string {
  const text = textOf(permalink) ?? 'date';
  return JEKYLL_STYLES[text] ?? text;
}

/** Jekyll's rule; `folderCategories`: the folders above a `_posts/` that is not at the top (`blog/_posts/` is in `blog`). */
export function jekyllRule(pattern: string, folderCategories: readonly string[] = []): AddressRule {
  return (post) => {
    const stem = lastSegment(pathStem(post.path));
    // `:title` keeps the file name's case; `:slug` is it in lower case (jekyllrb.com/docs/permalinks/#placeholders).
    const title = textOf(post.header.slug) ?? stem.replace(LEADING_DATE, '');
    const categories = [...folderCategories, ...list(post.header.categories), ...list(post.header.category)].map((c) => c.toLowerCase());
    return fill(pattern, {
      ...dateParts(post.published, post.zone),
      title: title.replace(/\s+/g, '-'),
      slug: urlSlug(title),
      name: stem,
      path: pathStem(post.path),
      basename: stem,
      categories: [...new Set(categories)].join('/'),
      output_ext: '.html',
    });
  };
}

export function hexoRule(permalink: unknown, newPostName: unknown): AddressRule {
  const pattern = textOf(permalink) ?? ':year/:month/:day/:title/';
  // `new_post_name: :year-:month-:day-:title.md` names files with their date before the title, which `:title` leaves out.
  const datedNames = /^:year-:month-:day-/.test(textOf(newPostName) ?? '');
  return (post) => {
    const stem = pathStem(post.path);
    const title = textOf(post.header.slug) ?? (datedNames ? stem.replace(/(^|\/)\d{4}-\d{2}-\d{2}-(?=[^/]*$)/, '$1') : stem);
    const categories = list(post.header.categories ?? post.header.category);
    return fill(pattern, {
      ...dateParts(post.published, post.zone),
      title,
      name: lastSegment(title),
      post_title: post.title,
      category: categories.length ? categories.join('/') : 'uncategorized',
    });
  };
}

/** Hugo: `section -> pattern` from `[permalinks]` (or `[permalinks.page]`); other sections keep their path. */
export function hugoRule(patterns: Readonly<Record<string, string>>): AddressRule {
  return (post) => {
    const url = textOf(post.header.url);
    if (url) return url.startsWith('/') ? url : `/${url}`;
    const stem = pathStem(post.path);
    const segments = stem.split('/');
    const file = segments.pop() ?? '';
    const section = segments[0] ?? '';
    const slug = textOf(post.header.slug);
    const pattern = patterns[section];
    // Hugo's default: the path, made a URL as its `MakePath` does (lower case, blanks as `-`).
    if (!pattern) return `/${[...segments, slug ?? file].map(hugoPathSegment).join('/')}/`;
    const title = urlSlug(post.title);
    return fill(pattern, {
      ...dateParts(post.published),
      section,
      sections: segments.join('/'),
      title,
      slug: slug ?? title,
      filename: file,
      contentbasename: file,
      slugorfilename: slug ?? file,
      slugorcontentbasename: slug ?? file,
    })?.toLowerCase();
  };
}

export function zolaRule(post: PostFacts): string {
  const segments = pathStem(post.path).split('/');
  const file = segments.pop() ?? '';
  const slug = textOf(post.header.slug) ?? urlSlug(file.replace(LEADING_DATE, ''));
  return `/${[...segments, slug].join('/')}/`;
}

/** MkDocs (with `use_directory_urls`, its default): the file's path under `docs/`, as a folder. */
export function pathRule(post: PostFacts): string {
  const stem = pathStem(post.path);
  return stem ? `/${stem}/` : '/';
}

/**
 * Eleventy: the file's path under the input folder, as a folder; a file
 * named after its folder is that folder's index (`blog/fourth/fourth.md` is
 * `/blog/fourth/`; https://www.11ty.dev/docs/permalinks/#cool-uris).
 */
export function eleventyRule(post: PostFacts): string {
  const segments = pathStem(post.path).split('/').filter(Boolean);
  if (segments.length > 1 && segments.at(-1) === segments.at(-2)) segments.pop();
  return segments.length ? `/${segments.join('/')}/` : '/';
}

/** Astro's content collections: `/<collection>/<id>/`, the id the path in lower case (or the frontmatter's `slug`). */
export function astroRule(collection: string): AddressRule {
  return (post) => {
    const id = textOf(post.header.slug) ?? pathStem(post.path).split('/').map(urlSlug).join('/');
    return `/${collection}/${id}/`;
  };
}

/** Docusaurus's blog: a dated file name (`2021-03-09-name.md`) is `/blog/2021/03/09/name`. */
export function docusaurusBlogRule(post: PostFacts): string {
  const slug = textOf(post.header.slug);
  if (slug) return `/blog/${slug.replace(/^\/+/, '')}`;
  const stem = pathStem(post.path);
  return `/blog/${stem.replace(/(^|\/)(\d{4})-(\d{2})-(\d{2})-([^/]*)$/, '$1$2/$3/$4/$5')}`;
}
