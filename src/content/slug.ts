/**
 * The slug rule (docs/writing-posts.md), the one place that says what a slug
 * is: the file or bundle name, lower-cased, its letters of every script
 * kept and the rest made hyphens; a leading `YYYY-MM-DD-` (or the six-digit
 * `YYMMDD-` some blogs use) is dropped from the slug and becomes the post's
 * default date, and a leading ordering number (`01-intro`, `36.v4`) is dropped.
 * The parser, the router, `npm run new` and `npm run check` all ask here, so
 * a post is listed exactly when its URL answers.
 */

const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]+(?=.)/;
/** `191215-name`: taken as a date only when it is one, so `100000-users` keeps its number. */
const LEADING_SHORT_DATE = /^(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[-_ ]+(?=.)/;

/** `36.v4`, `01-intro`, `1_intro`: an ordering number before the name (a dot or `_`, or a zero-padded number and `-` or a space). */
const LEADING_ORDER = /^(?:\d{1,3}[._][ \t]*(?!\d)|0\d{1,3}[- ]+)(?=.)/;

/**
 * Longest slug served, in bytes of UTF-8 (a character of most scripts other
 * than Latin is two or three). A file name holds up to 255 bytes, so without
 * a cap of its own `a-…-z.md` could give a 252-byte slug; 200 leaves room for
 * the static export's file names (`<slug>/index.html`, `.gz`) and is far
 * beyond any title a reader would type.
 */
export const MAX_SLUG_LENGTH = 200;

/**
 * Lower-case letters and digits of every script, and single hyphens, as
 * GitHub and Hugo keep them ("Привет мир" is `привет-мир`, "Straße" is
 * `straße`, 日本語 stays 日本語); percent-encoded in URLs
 * (src/content/urls.ts). Accents on Latin letters are folded (`café` is
 * `cafe`, as it always was here, so no existing address moves); other
 * scripts keep their marks (`й`, `が`). The result is NFC, so a name saved
 * decomposed (macOS) gives the same slug.
 */
export function slugify(text: string): string {
  // ASCII letters, digits and hyphens alone (most names): the same rule, without the Unicode passes.
  if (/^[\x20-\x7e]*$/.test(text)) return asciiSlug(text);
  return (
    text
      .normalize('NFKD')
      .replace(LATIN_MARKS, '$1')
      .toLowerCase()
      .normalize('NFC')
      .replace(/['’]/g, '')
      // A mark belongs to the letter before it: one after anything else (a symbol, a space) goes with it.
      .replace(/(^|[^\p{L}\p{N}\p{M}])\p{M}+/gu, '$1')
      .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
  );
}

/** A Latin letter and the combining marks after it (`é` decomposed): the marks go. */
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;

function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface NameParts {
  slug: string;
  /** The `YYYY-MM-DD` date the name gives, when it gives one. */
  date: string | undefined;
  /** The name as a title, for a post that has none: its date or ordering number off, `-` and `_` as spaces. */
  title: string;
}

/**
 * Splits a post's base name (without `.md`) into its slug and leading date;
 * the slug may still break the rule (see slugProblem). A name that is only a
 * date (`2024-02-09`, a daily note) gives that date and keeps it as its slug;
 * a leading ordering number (`36.v4`, `01-intro`) is not part of the slug,
 * unless nothing else is.
 */
export function parseName(name: string): NameParts {
  const match = LEADING_DATE.exec(name);
  if (match) {
    const rest = name.slice(match[0].length);
    const slug = slugify(rest);
    if (slug) return { slug, date: match[1], title: readable(rest) };
  }
  const short = LEADING_SHORT_DATE.exec(name);
  if (short) {
    const rest = name.slice(short[0].length);
    const slug = slugify(rest);
    // Two-digit years as POSIX strptime reads them: 69-99 are 1900s, 00-68 the 2000s.
    const year = Number(short[1]) >= 69 ? `19${short[1]}` : `20${short[1]}`;
    if (slug) return { slug, date: `${year}-${short[2]}-${short[3]}`, title: readable(rest) };
  }
  const order = LEADING_ORDER.exec(name);
  if (order) {
    const rest = name.slice(order[0].length);
    const slug = slugify(rest);
    if (/\p{L}/u.test(slug)) return { slug, date: undefined, title: readable(rest) };
  }
  const date = WHOLE_DATE.test(name) ? name : undefined;
  // The name itself when it is its own slug (most are): one string for both, not two.
  const slug = slugify(name);
  return { slug: slug === name ? name : slug, date, title: readable(name) };
}

/** A name that is a date and nothing else: Obsidian's and Logseq's daily notes. */
const WHOLE_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `my-first_post` as `My first post`; a name with capitals or no letters as written, its separators as spaces. */
function readable(name: string): string {
  if (!/\p{L}/u.test(name)) return name.trim();
  const words = name.replace(/[-_\s]+/g, ' ').trim() || name.trim();
  if (words !== words.toLowerCase()) return words;
  return words.charAt(0).toUpperCase() + words.slice(1);
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
  return { slug: rest || parts.slug, date, title: match[4] !== undefined && !match[4].includes('/') && rest ? readable(match[4]) : parts.title };
}

/**
 * Why `slug` (already slugified) cannot be served, in words for the author
 * of `source` (what gave the slug: "the file name", "field `slug`", "the
 * title"); undefined when it can.
 */
export function slugProblem(slug: string, source: string): string | undefined {
  if (!slug) return `${source} has no letters or digits to make a URL from`;
  const bytes = Buffer.byteLength(slug, 'utf8');
  if (bytes > MAX_SLUG_LENGTH) {
    const size = bytes === slug.length ? `${bytes} characters` : `${bytes} bytes as UTF-8`;
    return `${source} gives a slug of ${size}, over the limit of ${MAX_SLUG_LENGTH}`;
  }
  if (slugify(slug) !== slug) return `${source} gives "${slug}", which is not a slug`;
  return undefined;
}

/** True when a string can be used as a slug as it is: what the router accepts. */
export function isSlug(text: string): boolean {
  return text.length > 0 && text.length <= MAX_SLUG_LENGTH && Buffer.byteLength(text, 'utf8') <= MAX_SLUG_LENGTH && slugify(text) === text;
}
