/**
 * Slug rules (DESIGN.md, "Posts"): the file or bundle name, lower-cased and
 * made URL-safe; a leading `YYYY-MM-DD-` (or the six-digit `YYMMDD-` some
 * blogs use) is dropped from the slug and becomes the post's default date.
 */

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]+(?=.)/;
/** `191215-name`: taken as a date only when it is one, so `100000-users` keeps its number. */
const LEADING_SHORT_DATE = /^(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[-_ ]+(?=.)/;

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

/** Splits a post's base name (without `.md`) into its slug and leading date. */
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
  return { slug: slugify(name), date: undefined };
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

/** True when a string can be used as a slug as it is. */
export function isSlug(text: string): boolean {
  return text.length > 0 && text.length <= 200 && slugify(text) === text;
}
