/**
 * A post's address under its old generator's permalink rule (its config's,
 * else the tool's documented default), for Jekyll, Hugo, Hexo and Zola; and
 * the site title its config names. Pure (scripts/real-blogs.ts).
 */
import type { Fields } from './sources.js';

export type Generator = 'jekyll' | 'hugo' | 'hexo' | 'zola';

export interface SiteConfig {
  readonly generator: Generator | undefined;
  readonly title: string | undefined;
  /** Jekyll's and Hexo's `permalink`; Hugo's `permalinks` by section. */
  readonly permalink: string | undefined;
  readonly permalinks: Readonly<Record<string, string>>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** Reads what matters here from a parsed config (`_config.yml`, `hugo.toml`, `config.toml`, `mkdocs.yml`, ...). */
export function siteConfig(generator: Generator | undefined, config: Fields): SiteConfig {
  const permalinks: Record<string, string> = {};
  const raw = config.permalinks;
  if (raw && typeof raw === 'object') {
    for (const [section, rule] of Object.entries(raw)) if (typeof rule === 'string') permalinks[section] = rule;
  }
  return { generator, title: str(config.title) ?? str(config.site_name), permalink: str(config.permalink), permalinks };
}

/** Hugo's and Jekyll's slug of a name: lower case, runs of anything but letters and digits as one `-`. */
export function urlize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A path part as Hugo's MakePath writes it, lower case: letters, digits and
 * marks of any script and `. _ ~ # + % -` kept, blanks as `-`, anything
 * else dropped, runs of `-` as one (gohugoio/hugo, helpers/path.go).
 */
export function hugoPath(part: string): string {
  return part
    .trim()
    .toLowerCase()
    .replace(/\s+/gu, '-')
    .replace(/[^\p{L}\p{N}\p{M}._~#+%-]+/gu, '')
    .replace(/-{2,}/g, '-');
}

const DATED = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/;

function ymd(fields: Fields, fileDate: readonly string[] | undefined): readonly [string, string, string] | undefined {
  const date = fields.date ?? fields.pubdate;
  const m = (typeof date === 'string' ? /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(date) : null) ?? null;
  if (m) return [m[1]!, m[2]!.padStart(2, '0'), m[3]!.padStart(2, '0')];
  if (date instanceof Date) return [String(date.getUTCFullYear()), String(date.getUTCMonth() + 1).padStart(2, '0'), String(date.getUTCDate()).padStart(2, '0')];
  return fileDate ? [fileDate[0]!, fileDate[1]!, fileDate[2]!] : undefined;
}

function fill(rule: string, values: Readonly<Record<string, string>>): string {
  const filled = rule.replace(/:([a-z_]+)/g, (whole, key: string) => values[key] ?? whole);
  return `/${filled.replace(/^\/+/, '')}`.replace(/\/{2,}/g, '/');
}

const JEKYLL_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/**
 * The old address of a post at `file` (relative to the repository root), or
 * `undefined` when its generator's rule cannot be followed here.
 */
export function oldAddress(site: SiteConfig, file: string, fields: Fields): string | undefined {
  const own = str(fields.permalink) ?? str(fields.url);
  if (own && !own.includes(':') && !own.includes('{')) return own.startsWith('/') ? own : `/${own}`;
  const parts = file.split('/');
  const base = parts[parts.length - 1]!.replace(/\.[^.]+$/, '');
  const name = base === 'index' || base === '_index' ? (parts[parts.length - 2] ?? base) : base;
  const dated = DATED.exec(name);
  const date = ymd(fields, dated ? dated.slice(1, 4) : undefined);
  const slug = str(fields.slug);
  switch (site.generator) {
    case 'jekyll': {
      if (!parts.includes('_posts') || !dated || !date) return undefined;
      const rule = JEKYLL_STYLES[site.permalink ?? 'date'] ?? site.permalink!;
      const categories = [fields.categories, fields.category]
        .flatMap((c) => (Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(/\s+/) : []))
        .filter(Boolean);
      const title = slug ?? dated[4]!;
      return fill(rule, {
        year: date[0],
        month: date[1],
        day: date[2],
        title,
        slug: title,
        categories: categories.join('/').toLowerCase(),
        output_ext: '.html',
      });
    }
    case 'hexo': {
      const at = parts.indexOf('_posts');
      if (at < 0 || !date) return undefined;
      const title = parts
        .slice(at + 1)
        .join('/')
        .replace(/\.[^.]+$/, '');
      const rule = site.permalink ?? ':year/:month/:day/:title/';
      return fill(rule, {
        year: date[0],
        month: date[1],
        day: date[2],
        i_month: String(Number(date[1])),
        i_day: String(Number(date[2])),
        title,
        name: base,
        post_title: title,
      });
    }
    case 'hugo': {
      const at = parts.indexOf('content');
      if (at < 0 || base === '_index') return undefined;
      const section = parts[at + 1] !== undefined && parts.length - at > 2 ? parts[at + 1]! : '';
      const rule = site.permalinks[section];
      // Hugo's default: the whole path under content/, each part made a path as Hugo's MakePath does.
      if (!rule) return `/${[...parts.slice(at + 1, -1), slug ?? name].map(hugoPath).filter(Boolean).join('/')}/`;
      const title = urlize(str(fields.title) ?? name);
      return fill(rule, {
        year: date?.[0] ?? '',
        month: date?.[1] ?? '',
        day: date?.[2] ?? '',
        slug: slug ?? title,
        title,
        filename: name,
        contentbasename: name,
        section,
      });
    }
    case 'zola': {
      const at = parts.indexOf('content');
      if (at < 0 || base === '_index') return undefined;
      const path = str(fields.path);
      if (path) return `/${path.replace(/^\/+|\/+$/g, '')}/`;
      const folders = parts.slice(at + 1, base === 'index' ? -2 : -1);
      const undated = name.replace(/^\d{4}-\d{2}-\d{2}[-_]/, '');
      return `/${[...folders, slug ?? urlize(undated)].join('/')}/`;
    }
    default:
      return undefined;
  }
}
