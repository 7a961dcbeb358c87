/**
 * The steps of src/content/parse-post.ts that check a post's fields: the
 * schema (src/content/frontmatter.ts) and the bounds of src/content/bounds.ts,
 * then the dates, the slug, the aliases and the tags, each read into what a
 * post holds. The first problem found is the post's, named as its author
 * wrote the field and placed on its line.
 */
import { describeIssue } from '../validate/describe-issue.js';
import { normaliseAlias } from './aliases.js';
import { MAX_ALIAS_CHARS, MAX_ALIASES, MAX_LINE_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TEXT_CHARS } from './bounds.js';
import { DATE_FORMS, dateFromInstant, parseDate, type PostDate } from './dates.js';
import { type Frontmatter, frontmatterSchema, KNOWN_KEYS } from './frontmatter.js';
import type { FileSignature } from './post.js';
import { type DefaultNotice, type PostHeader, PostProblem } from './post-header.js';
import { type NameParts, slugify, slugProblem } from './slug.js';

type DateKey = 'publish_date' | 'date' | 'created_date' | 'updated_date';
export type PostDates = Partial<Record<DateKey, PostDate>>;

/** A post's fields once checked. */
export interface CheckedFields {
  readonly fm: Frontmatter;
  readonly dates: PostDates;
  readonly slug: string;
  readonly aliases: string[];
  readonly tags: string[];
  /** What `check` says of a field given a default here (a slug made from the title). */
  readonly notices: readonly DefaultNotice[];
}

/** Every check, in the order a problem is looked for; the first problem is the one reported. */
export function checkFields(header: PostHeader, name: NameParts, timezone: string): CheckedFields | PostProblem {
  const fm = validFrontmatter(header);
  if (fm instanceof PostProblem) return fm;
  const dates = postDates(fm, header, timezone);
  if (dates instanceof PostProblem) return dates;
  const notices: DefaultNotice[] = [];
  const slug = postSlug(fm, name, header, notices);
  if (slug instanceof PostProblem) return slug;
  const aliases = postAliases(fm, header);
  if (aliases instanceof PostProblem) return aliases;
  const tags = postTags(fm, header);
  if (tags instanceof PostProblem) return tags;
  return { fm, dates, slug, aliases, tags, notices };
}

/** The fields as the schema reads them, each text field within its bound. */
export function validFrontmatter(header: PostHeader): Frontmatter | PostProblem {
  const result = frontmatterSchema.safeParse(header.data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // A missing field has no line of its own: point at the frontmatter's start.
    const key = String(issue.path[0] ?? '');
    return header.problem(key, describeIssue(issue), header.lineOf(key) ?? 1);
  }
  const tooLong = tooLongField(result.data);
  return tooLong ? header.problem(tooLong.key, tooLong.message) : result.data;
}

/** The first text field over its bound, with the words of its content error. */
function tooLongField(fm: Frontmatter): { key: string; message: string } | undefined {
  const limits: [key: keyof Frontmatter & string, max: number][] = [
    ['title', MAX_LINE_CHARS],
    ['subtitle', MAX_LINE_CHARS],
    ['author', MAX_LINE_CHARS],
    ['heroImageAlt', MAX_LINE_CHARS],
    ['description', MAX_TEXT_CHARS],
    ['cta', MAX_TEXT_CHARS],
  ];
  for (const [key, max] of limits) {
    const value = fm[key];
    if (typeof value === 'string' && value.length > max) return { key, message: `field \`${key}\` is ${value.length} characters, over the ${max} limit` };
  }
  return undefined;
}

export function postDates(fm: Frontmatter, header: PostHeader, timezone: string): PostDates | PostProblem {
  const dates: PostDates = {};
  for (const key of ['publish_date', 'date', 'created_date', 'updated_date'] as const) {
    const value = fm[key];
    if (value === undefined) continue;
    const asText = value instanceof Date ? value.toISOString() : value;
    const parsed = parseDate(asText, timezone);
    if (!parsed) return header.problem(key, `field \`${key}\`: "${asText}" is not a date; write it as ${DATE_FORMS}`);
    dates[key] = parsed;
  }
  return dates;
}

/** The post gives its date itself: in a field, or in its file or folder name. */
export function hasOwnDate(dates: PostDates, name: NameParts): boolean {
  return Boolean(dates.publish_date ?? dates.date ?? name.date ?? dates.created_date);
}

/** What `check` says of a post dated by its file's modification time, which a copy or a checkout changes. */
export const FILE_TIME_NOTICE = "has no date (no `date` field, none in its file or folder name); the file's modification time is its date until you add one";

/** When the post goes live: its own date, else the file name's, else its creation date, else the file's time. */
export function publishedDate(dates: PostDates, name: NameParts, signature: FileSignature, timezone: string): PostDate {
  const nameDate = name.date ? parseDate(name.date, timezone) : undefined;
  return dates.publish_date ?? dates.date ?? nameDate ?? dates.created_date ?? dateFromInstant(signature.mtimeMs, timezone);
}

export function postSlug(fm: Frontmatter, name: NameParts, header: PostHeader, notices: DefaultNotice[] = []): string | PostProblem {
  if (fm.slug !== undefined) {
    const slug = slugify(fm.slug);
    const problem = slugProblem(slug, `field \`slug\` ("${fm.slug.length > 60 ? `${fm.slug.slice(0, 60)}…` : fm.slug}")`);
    return problem ? header.problem('slug', problem) : slug;
  }
  // The same rule as the router's (src/content/slug.ts): a post is listed only if its URL answers.
  const problem = slugProblem(name.slug, 'the file name');
  if (!problem) return name.slug;
  // A name with no letters or digits (`🎉.md`): the title may have some.
  const fromTitle = slugify(fm.title);
  if (name.slug === '' && !slugProblem(fromTitle, 'the title')) {
    notices.push({
      line: header.lineOf('title'),
      message: `the file name has no letters or digits to make a URL from; the title gives the slug "${fromTitle}"`,
    });
    return fromTitle;
  }
  return new PostProblem(`${problem}; rename it or set a \`slug\``);
}

export function postAliases(fm: Frontmatter, header: PostHeader): string[] | PostProblem {
  const raw = fm.aliases === undefined ? [] : typeof fm.aliases === 'string' ? [fm.aliases] : fm.aliases;
  if (raw.length > MAX_ALIASES) return header.problem('aliases', `field \`aliases\`: ${raw.length} aliases, over the limit of ${MAX_ALIASES}`);
  const long = raw.find((a) => a.length > MAX_ALIAS_CHARS);
  if (long !== undefined) return header.problem('aliases', `field \`aliases\`: an alias of ${long.length} characters, over the ${MAX_ALIAS_CHARS} limit`);
  const aliases: string[] = [];
  for (const written of raw) {
    const alias = normaliseAlias(written);
    if (alias instanceof Error) return header.problem('aliases', `field \`aliases\`: ${alias.message}`);
    if (!aliases.includes(alias)) aliases.push(alias);
  }
  return aliases;
}

export function postTags(fm: Frontmatter, header: PostHeader): string[] | PostProblem {
  const tags = normaliseTags(fm.tags);
  if (tags.length > MAX_TAGS) return header.problem('tags', `field \`tags\`: ${tags.length} tags, over the limit of ${MAX_TAGS}`);
  const long = tags.find((t) => t.length > MAX_TAG_CHARS);
  if (long !== undefined) return header.problem('tags', `field \`tags\`: a tag of ${long.length} characters, over the ${MAX_TAG_CHARS} limit`);
  return tags;
}

/** Tags from a list or a comma-separated string, trimmed, each once (by its slug). */
function normaliseTags(tags: string | readonly (string | number)[] | undefined): string[] {
  if (tags === undefined) return [];
  const list = typeof tags === 'string' ? tags.split(',') : tags.map(String);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const tag = raw.trim();
    const key = slugify(tag);
    if (tag && key && !seen.has(key)) {
      seen.add(key);
      out.push(tag);
    }
  }
  return out;
}

/** The hero image field the post sets, first of `heroImage`, `hero_image`, `image`. */
export function heroField(fm: Frontmatter): 'heroImage' | 'hero_image' | 'image' | undefined {
  return fm.heroImage !== undefined ? 'heroImage' : fm.hero_image !== undefined ? 'hero_image' : fm.image !== undefined ? 'image' : undefined;
}

/** The keys the schema does not know, for templates; `undefined` when there are none. */
export function extraFields(fm: Frontmatter): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fm)) {
    if (KNOWN_KEYS.has(key)) continue;
    extra ??= {};
    extra[key] = value;
  }
  return extra;
}
