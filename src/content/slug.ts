/**
 * Slug rules (DESIGN.md, "Posts"): the file or bundle name, lower-cased and
 * made URL-safe; a leading `YYYY-MM-DD-` is dropped from the slug and becomes
 * the post's default date.
 */

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]+(?=.)/;

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
  return { slug: slugify(name), date: undefined };
}

/** True when a string can be used as a slug as it is. */
export function isSlug(text: string): boolean {
  return text.length > 0 && text.length <= 200 && slugify(text) === text;
}
