/**
 * Frontmatter as other generators write it, mapped onto Lede's fields before
 * validation, so a copied post is read for what its author meant. The one
 * table of these names is in docs/moving-from-another-generator.md.
 *
 * - `categories` / `category` (Jekyll, Hugo, Hexo, Pelican) and Hugo/Zola
 *   `taxonomies` join `tags`: Lede has one kind of topic, with its pages
 *   (`/tags/...`), and a reader looking for a post's subjects looks there.
 * - `summary` / `excerpt` / `spoiler` become the `description`.
 * - `authors` (a list or one name) and an `author` list: several bylines.
 * - the dates and images of each generator under their own names.
 * - `published: false` (Jekyll) and `status: draft` (Pelican) are drafts.
 * - the old address of a post (`permalink`, Zola's `path`, `redirect_from`)
 *   becomes an alias, so old links keep working.
 * - a `cta` that is not a sentence of text (`cta: 'react'`, a component's
 *   name in one Gatsby blog; a number; a mapping) is not a call to action.
 *
 * Before any of that, as every generator reads them: a key with an empty
 * value (`title:`, `canonical_url: ""`, as dev.to's and Obsidian's templates
 * leave them) is no key at all, and a key spelled in other capitals
 * (`Title`, `Date`, `Tags`: Hugo reads keys case-insensitively) is read as
 * Lede's or a mapped one's, unless the post also sets it in Lede's spelling.
 *
 * Pure: the keys it reads are listed in `MAPPED_KEYS`; `check` reports the
 * keys that are neither Lede's own nor mapped as ignored.
 */
import { KNOWN_KEYS } from './frontmatter.js';

export interface MappedFrontmatter {
  /** Lede's own keys (and every unknown key, untouched, for templates). */
  readonly data: Record<string, unknown>;
  /** Author names in order, when the post names more than one (or names them in `authors`). */
  readonly authors: readonly string[] | undefined;
  /** Foreign keys read into Lede's fields: not reported as ignored. */
  readonly mapped: readonly string[];
  /** The foreign key each Lede key was read from (`date` ← `pubDate`), for messages. */
  readonly sources: Readonly<Record<string, string>>;
  /** Keys whose value was set aside, with why, for `check` (keyed by frontmatter key). */
  readonly notices: readonly { readonly key: string; readonly message: string }[];
}

/** Foreign names for the description, first found wins (after `description` itself). */
const DESCRIPTION_KEYS = ['summary', 'excerpt', 'spoiler'];
/** Dates of last change under each generator's name. */
const UPDATED_KEYS = ['lastmod', 'last_modified_at', 'updated', 'updatedDate', 'modified', 'dateModified'];
/** Publication dates under other names (Astro `pubDate`, Hugo `publishDate`, Eleventy/Jekyll data). */
const PUBLISHED_KEYS = ['pubDate', 'publishDate', 'publishdate', 'pubdate', 'date_published', 'datePublished'];
/** Cover images. */
const IMAGE_KEYS = ['featured_image', 'featuredImage', 'featureImage', 'feature_image', 'cover_image', 'coverImage', 'thumbnail', 'banner'];

export const MAPPED_KEYS: ReadonlySet<string> = new Set([
  'categories',
  'category',
  'taxonomies',
  'authors',
  'status',
  'published',
  'permalink',
  'path',
  'redirect_from',
  'hide_table_of_contents',
  'ShowToc',
  'showToc',
  'cover',
  ...DESCRIPTION_KEYS,
  ...UPDATED_KEYS,
  ...PUBLISHED_KEYS,
  ...IMAGE_KEYS,
]);

/** `Author names` as Docusaurus writes them: keys into `authors.yml`, or inline `{ name, ... }`. */
export type AuthorDirectory = ReadonlyMap<string, { readonly name: string }>;

export function mapForeignFields(written: Readonly<Record<string, unknown>>, directory: AuthorDirectory = new Map()): MappedFrontmatter {
  const spelled = ledeSpelling(written);
  const raw = spelled?.data ?? written;
  // Most posts are Lede's own: nothing to map, and no copy made (a start-up scan reads 10,000).
  if (!needsMapping(raw)) return { data: raw as Record<string, unknown>, authors: undefined, mapped: [], notices: [], sources: spelled?.sources ?? {} };
  const data: Record<string, unknown> = { ...raw };
  const mapped: string[] = [];
  const notices: { key: string; message: string }[] = [];
  const sources: Record<string, string> = { ...spelled?.sources };
  const setFrom = (ledeKey: string, foreignKey: string, value: unknown): void => {
    data[ledeKey] = value;
    sources[ledeKey] = foreignKey;
  };
  const take = (key: string): unknown => {
    if (!(key in data)) return undefined;
    mapped.push(key);
    const value = data[key];
    delete data[key];
    return value;
  };

  // Topics: categories join the tags. Tags alone are left for the schema to judge (`tags: 3` is an error).
  const foreign: unknown[] = [];
  const addTopics = (into: unknown[], value: unknown): void => {
    if (typeof value === 'string') into.push(...value.split(','));
    else if (Array.isArray(value)) into.push(...value.flat());
    else if (typeof value === 'number') into.push(String(value));
  };
  // Jekyll splits a `categories` string on spaces (`categories: jekyll update` is two); with a comma, commas divide.
  const categories = take('categories');
  addTopics(foreign, typeof categories === 'string' && !categories.includes(',') ? categories.split(/\s+/) : categories);
  addTopics(foreign, take('category'));
  const taxonomies = take('taxonomies');
  if (isRecord(taxonomies)) for (const value of Object.values(taxonomies)) addTopics(foreign, value);
  const tags = data.tags;
  const tagObjects = Array.isArray(tags) && tags.some(isRecord);
  if (foreign.length || tagObjects) {
    const topics: unknown[] = [];
    if (tags !== undefined) addTopics(topics, tags);
    topics.push(...foreign);
    data.tags = topics.map(topicName).filter((t): t is string => t !== undefined);
  }

  // Description.
  for (const key of DESCRIPTION_KEYS) {
    const value = take(key);
    if (data.description === undefined && typeof value === 'string' && value.trim()) setFrom('description', key, value);
  }

  // Authors: `authors: [a, b]`, `authors: a`, `author: [a, b]`, Docusaurus keys and objects.
  let authors: string[] | undefined;
  const authorList = take('authors');
  if (authorList !== undefined) authors = authorNames(authorList, directory);
  if (Array.isArray(data.author)) authors = authorNames(data.author, directory);
  else if (isRecord(data.author)) authors = authorNames([data.author], directory);
  if (authors !== undefined) {
    if (authors.length) data.author = authors[0];
    else delete data.author;
    if (authors.length <= 1 && authorList === undefined) authors = undefined;
  }

  // Dates. MkDocs Material's blog writes them as a mapping: `date: { created: …, updated: … }`.
  const dateMap = data.date;
  if (isRecord(dateMap)) {
    delete data.date;
    if (dateMap.created !== undefined && data.publish_date === undefined) setFrom('date', 'date', dateMap.created);
    const updated = dateMap.updated ?? dateMap.modified;
    if (updated !== undefined && data.updated_date === undefined) setFrom('updated_date', 'date', updated);
  }
  for (const key of PUBLISHED_KEYS) {
    const value = take(key);
    if (value !== undefined && data.publish_date === undefined && data.date === undefined) setFrom('date', key, value);
  }
  for (const key of UPDATED_KEYS) {
    const value = take(key);
    if (value !== undefined && data.updated_date === undefined) setFrom('updated_date', key, value);
  }

  // Drafts.
  const published = take('published');
  if (published === false && data.draft === undefined) data.draft = true;
  if (typeof published === 'string' || published instanceof Date) {
    if (data.date === undefined && data.publish_date === undefined) data.date = published;
  }
  const status = take('status');
  if (typeof status === 'string' && /^(draft|hidden)$/i.test(status.trim()) && data.draft === undefined) data.draft = true;

  // Images.
  const cover = take('cover');
  const coverImage = isRecord(cover) ? cover.image : cover;
  if (isRecord(cover) && typeof cover.alt === 'string' && data.heroImageAlt === undefined) data.heroImageAlt = cover.alt;
  for (const [key, value] of [['cover', coverImage], ...IMAGE_KEYS.map((k) => [k, take(k)] as const)] as const) {
    if (typeof value === 'string' && value.trim() && !hasImage(data)) setFrom('heroImage', key, value);
  }

  // Table of contents. Hugo themes (LoveIt, DoIt) write `toc: { enable: true, auto: … }`.
  if (isRecord(data.toc)) {
    const enable = data.toc.enable;
    if (typeof enable === 'boolean') data.toc = enable;
    else delete data.toc;
  }
  const hideToc = take('hide_table_of_contents');
  if (hideToc === true && data.toc === undefined) data.toc = false;
  for (const key of ['ShowToc', 'showToc']) {
    const show = take(key);
    if (typeof show === 'boolean' && data.toc === undefined) data.toc = show;
  }

  // Old addresses.
  const oldPaths: string[] = [];
  for (const key of ['permalink', 'path', 'redirect_from']) {
    const value = take(key);
    for (const item of Array.isArray(value) ? value : [value]) {
      // A template (`/blog/{{ title | slugify }}/`), a full URL or `false` (Eleventy) names no old address.
      if (typeof item === 'string' && item.includes('/') && !/[{}]|^[a-z][a-z0-9+.-]*:|^\/\//i.test(item.trim()) && item.trim() !== '/') {
        oldPaths.push(item.trim());
      }
    }
    // Zola's `path = "2020/07/27/post"` (or `inside-rust/2020/07/27/post`) carries the date the post was published.
    if (key === 'path' && typeof value === 'string' && data.date === undefined && data.publish_date === undefined) {
      const dated = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\//.exec(value);
      if (dated) setFrom('date', 'path', `${dated[1]}-${dated[2]}-${dated[3]}`);
    }
  }
  if (oldPaths.length) {
    const existing = data.aliases;
    const list = existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
    data.aliases = [...list, ...oldPaths];
    if (existing === undefined) sources.aliases = raw.path !== undefined ? 'path' : raw.permalink !== undefined ? 'permalink' : 'redirect_from';
  }

  // A call to action is a sentence, or a link: one bare word is some other generator's setting.
  const cta = data.cta;
  if (cta !== undefined && cta !== false && !(typeof cta === 'string' && isCtaText(cta))) {
    delete data.cta;
    notices.push({
      key: 'cta',
      message: `field \`cta\`: ${JSON.stringify(cta)} is not a sentence or a link, so it is not shown as a call to action (another generator's setting?); the site's default CTA is shown`,
    });
  }

  return { data, authors, mapped, notices, sources };
}

/** Every key Lede reads, own or mapped, by its lower-case spelling (the first of two spellings wins: `publishDate`). */
const BY_LOWER_CASE: ReadonlyMap<string, string> = (() => {
  const keys = new Map<string, string>();
  for (const key of [...KNOWN_KEYS, ...MAPPED_KEYS]) if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
  return keys;
})();

function isEmptyValue(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The header without its empty values, and with keys in other capitals
 * under the spelling Lede reads (`Title` as `title`), each with the key it
 * was written as; `undefined` when it has neither (most headers: no copy).
 */
function ledeSpelling(raw: Readonly<Record<string, unknown>>): { data: Record<string, unknown>; sources: Record<string, string> } | undefined {
  let needed = false;
  for (const key in raw) {
    if (isEmptyValue(raw[key]) || respelling(raw, key) !== undefined) {
      needed = true;
      break;
    }
  }
  if (!needed) return undefined;
  const data: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isEmptyValue(value)) continue;
    const lede = respelling(raw, key);
    if (lede === undefined || lede in data) {
      data[key] = value;
    } else {
      data[lede] = value;
      sources[lede] = key;
    }
  }
  return { data, sources };
}

/** The key Lede reads `key` as when it is spelled in other capitals, and the post does not set that key itself (with a value). */
function respelling(raw: Readonly<Record<string, unknown>>, key: string): string | undefined {
  if (KNOWN_KEYS.has(key) || MAPPED_KEYS.has(key)) return undefined;
  const lede = BY_LOWER_CASE.get(key.toLowerCase());
  if (lede === undefined) return undefined;
  return Object.hasOwn(raw, lede) && !isEmptyValue(raw[lede]) ? undefined : lede;
}

function needsMapping(raw: Readonly<Record<string, unknown>>): boolean {
  for (const key in raw) if (MAPPED_KEYS.has(key)) return true;
  const { author, cta, tags, date, toc } = raw;
  return (
    isRecord(date) ||
    isRecord(toc) ||
    (author !== undefined && typeof author !== 'string') ||
    (cta !== undefined && cta !== false && !(typeof cta === 'string' && isCtaText(cta))) ||
    (Array.isArray(tags) && tags.some(isRecord))
  );
}

function isCtaText(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || /\s/.test(trimmed) || /\]\(|https?:\/\//.test(trimmed);
}

function hasImage(data: Record<string, unknown>): boolean {
  return data.heroImage !== undefined || data.hero_image !== undefined || data.image !== undefined;
}

/** Docusaurus tags may be `{ label, permalink }`. */
function topicName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (isRecord(value)) {
    const name = value.label ?? value.name;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  }
  return undefined;
}

/** Names from `a, b`, `[a, b]`, Docusaurus keys (`authors.yml`) and `{ name }` objects. */
function authorNames(value: unknown, directory: AuthorDirectory): string[] {
  const items = typeof value === 'string' ? value.split(/[,;]/) : Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of items) {
    let name: string | undefined;
    if (typeof item === 'string') name = directory.get(item.trim())?.name ?? item.trim();
    else if (typeof item === 'number') name = String(item);
    else if (isRecord(item)) {
      const inline = item.name;
      const key = item.key;
      name = typeof inline === 'string' ? inline.trim() : typeof key === 'string' ? directory.get(key)?.name : undefined;
    }
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
