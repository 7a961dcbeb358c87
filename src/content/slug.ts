/**
 * The slug rule (docs/writing-posts.md), the one place that says what a slug
 * is: the file or bundle name, lower-cased and made URL-safe; a leading
 * `YYYY-MM-DD-` (or the six-digit `YYMMDD-` some blogs use) is dropped from the slug and becomes the post's default date.
 * The parser, the router, `npm run new` and `npm run check` all ask here, so
 * a post is listed exactly when its URL answers.
 */

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]+(?=.)/;
/** `191215-name`: taken as a date only when it is one, so `100000-users` keeps its number. */
const LEADING_SHORT_DATE = /^(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[-_ ]+(?=.)/;

/**
 * Longest slug served. A file name holds up to 255 bytes, so without a cap
 * of its own `a-…-z.md` could give a 252-character slug; 200 leaves room for
 * the static export's file names (`<slug>/index.html`, `.gz`) and is far
 * beyond any title a reader would type.
 */
export const MAX_SLUG_LENGTH = 200;

/** Lower-case, ASCII letters/digits and single hyphens; accents folded. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface NameParts {
  slug: string;
  /** The `YYYY-MM-DD` prefix of the name, when there is one. */
  date: string | undefined;
}

/** Splits a post's base name (without `.md`) into its slug and leading date; the slug may still break the rule (see slugProblem). */
export function parseName(name: string): NameParts {
  const match = LEADING_DATE.exec(name);
  if (match) {
    const slug = slugify(name.slice(match[0].length));
    if (slug) return { slug, date: match[1] };
  }
  const short = LEADING_SHORT_DATE.exec(name);
  if (short) {
    const slug = slugify(name.slice(short[0].length));
    // Two-digit years as POSIX strptime reads them: 69-99 are 1900s, 00-68 the 2000s.
    const year = Number(short[1]) >= 69 ? `19${short[1]}` : `20${short[1]}`;
    if (slug) return { slug, date: `${year}-${short[2]}-${short[3]}` };
  }
  // The name itself when it is its own slug (most are): one string for both, not two.
  const slug = slugify(name);
  return { slug: slug === name ? name : slug, date: undefined };
}

/**
 * The name parts of a post at `relPath` (relative to the content folder)
 * whose name is `baseName`: as `parseName`, and when the name carries no
 * date, a date spelled by its folders, as Docusaurus and Jekyll lay posts out
 * (`2025/12-25-name.md`, `2025/12/25/name.md`, `2025/12-25-name/index.md`).
 */
export function parsePostName(baseName: string, relPath: string): NameParts {
  const parts = parseName(baseName);
  if (parts.date) return parts;
  const at = relPath.lastIndexOf(`${baseName}`);
  const upToName = at < 0 ? '' : relPath.slice(0, at + baseName.length);
  const match = /(?:^|\/)(\d{4})\/(0?[1-9]|1[0-2])[-/](0?[1-9]|[12]\d|3[01])(?:[-_ /]+(.+))?$/.exec(upToName);
  if (!match) return parts;
  const date = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  // `2025/12-25-name`: the name is what follows the day; `2025/12/25/name`: the name itself.
  const rest = match[4] !== undefined && !match[4].includes('/') ? slugify(match[4]) : parts.slug;
  return { slug: rest || parts.slug, date };
}

/**
 * Why `slug` (already slugified) cannot be served, in words for the author
 * of `source` (what gave the slug: "the file name", "field `slug`", "the
 * title"); undefined when it can.
 */
export function slugProblem(slug: string, source: string): string | undefined {
  if (!slug) return `${source} has no letters or digits to make a URL from`;
  if (slug.length > MAX_SLUG_LENGTH) return `${source} gives a slug of ${slug.length} characters, over the limit of ${MAX_SLUG_LENGTH}`;
  if (slugify(slug) !== slug) return `${source} gives "${slug}", which is not a slug`;
  return undefined;
}

/** True when a string can be used as a slug as it is: what the router accepts. */
export function isSlug(text: string): boolean {
  return text.length > 0 && text.length <= MAX_SLUG_LENGTH && slugify(text) === text;
}
