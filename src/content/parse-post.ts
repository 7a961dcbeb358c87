/**
 * Turns the bytes of one markdown file into a validated `Post`, or a
 * `ContentError` naming the file, the line where known, and the problem.
 * Never throws.
 */
import matter from 'gray-matter';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { describeIssue } from '../describe-issue.js';
import { dateFromInstant, parseDate, type PostDate } from './dates.js';
import { frontmatterSchema, KNOWN_KEYS } from './frontmatter.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { isSlug, slugify, type NameParts } from './slug.js';
import { countWords, excerpt, plainText, readTime } from './text.js';

export interface SourceFile {
  /** Absolute path. */
  file: string;
  /** Relative to the content folder. */
  relPath: string;
  bundleDir: string | undefined;
  name: NameParts;
  signature: FileSignature;
  bytes: Buffer;
}

export interface PostDefaults {
  author: string;
  timezone: string;
}

export type ParseResult = { ok: true; post: Post } | { ok: false; error: ContentError };

/** YAML as plain data: dates stay text, so no time zone can shift them. */
const yamlEngine = (source: string): object => (parseYaml(source, { schema: 'core', prettyErrors: true }) ?? {}) as object;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parsePost(source: SourceFile, defaults: PostDefaults): ParseResult {
  const fail = (message: string, line?: number): ParseResult => ({
    ok: false,
    error: { file: source.relPath, line, message },
  });

  let text: string;
  try {
    text = utf8.decode(source.bytes);
  } catch {
    return fail('is not UTF-8 text; save it with UTF-8 encoding');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) return fail('is empty; a post needs frontmatter with at least a title');
  if (!/^---[ \t]*\r?\n/.test(text)) {
    return fail('has no frontmatter; start the file with a line `---`, then `title: ...`, then `---`', 1);
  }

  let data: Record<string, unknown>;
  let body: string;
  try {
    const parsed = matter(text, { engines: { yaml: yamlEngine } });
    data = parsed.data as Record<string, unknown>;
    body = parsed.content;
  } catch (err) {
    if (err instanceof YAMLParseError) {
      // The YAML starts on line 2, after the opening `---`.
      const line = err.linePos ? err.linePos[0].line + 1 : undefined;
      return fail(`broken YAML in the frontmatter: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, line);
    }
    return fail(`cannot read the frontmatter: ${(err as Error).message}`);
  }
  if (!/\r?\n---[ \t]*(\r?\n|$)/.test(text.slice(3))) {
    return fail('the frontmatter is not closed; add a line `---` after it', 1);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('the frontmatter must be a mapping of `key: value` lines', 2);
  }

  const result = frontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return fail(describeIssue(issue), lineOfKey(text, String(issue.path[0] ?? '')));
  }
  const fm = result.data;

  const dateField = (key: 'publish_date' | 'date' | 'created_date' | 'updated_date'): PostDate | undefined | Error => {
    const value = fm[key];
    if (value === undefined) return undefined;
    const asText = value instanceof Date ? value.toISOString() : value;
    return parseDate(asText, defaults.timezone) ?? new Error(`field \`${key}\`: "${asText}" is not a date; write it as YYYY-MM-DD`);
  };
  const dates: Partial<Record<'publish_date' | 'date' | 'created_date' | 'updated_date', PostDate>> = {};
  for (const key of ['publish_date', 'date', 'created_date', 'updated_date'] as const) {
    const parsed = dateField(key);
    if (parsed instanceof Error) return fail(parsed.message, lineOfKey(text, key));
    if (parsed) dates[key] = parsed;
  }

  let slug = source.name.slug;
  if (fm.slug !== undefined) {
    slug = slugify(fm.slug);
    if (!isSlug(slug)) return fail(`field \`slug\`: "${fm.slug}" has no letters or digits to make a URL from`, lineOfKey(text, 'slug'));
  }
  if (!slug) return fail('the file name has no letters or digits to make a URL from; rename it or set `slug`');

  const nameDate = source.name.date ? parseDate(source.name.date, defaults.timezone) : undefined;
  const published =
    dates.publish_date ?? dates.date ?? nameDate ?? dates.created_date ?? dateFromInstant(source.signature.mtimeMs, defaults.timezone);

  const plain = plainText(body);
  const wordCount = countWords(plain);
  const heroImage = fm.heroImage ?? fm.hero_image ?? fm.image;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fm)) if (!KNOWN_KEYS.has(key)) extra[key] = value;

  const post: Post = {
    slug,
    file: source.file,
    relPath: source.relPath,
    bundleDir: source.bundleDir,
    title: fm.title,
    subtitle: fm.subtitle?.trim() || undefined,
    description: fm.description?.trim() || excerpt(plain),
    author: fm.author ?? defaults.author,
    readTime: fm.read_time === undefined ? readTime(wordCount) : typeof fm.read_time === 'number' ? `${fm.read_time} min read` : fm.read_time,
    wordCount,
    published,
    created: dates.created_date,
    updated: dates.updated_date,
    heroImage: heroImage && source.bundleDir ? bundleUrl(slug, heroImage) : heroImage,
    heroImageAlt: fm.heroImageAlt?.trim() || fm.title,
    cta: fm.cta,
    tags: normaliseTags(fm.tags),
    draft: fm.draft ?? false,
    canonicalUrl: fm.canonical_url,
    extra,
    body,
    signature: source.signature,
  };
  return { ok: true, post };
}

/** A relative reference inside a page bundle becomes `/posts/<slug>/<file>`. */
export function bundleUrl(slug: string, ref: string): string {
  if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(ref)) return ref;
  return `/posts/${slug}/${ref.replace(/^\.\//, '')}`;
}

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

/** The 1-based line of a top-level frontmatter key, for messages. */
function lineOfKey(text: string, key: string): number | undefined {
  if (!key) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^---\s*$/.test(line)) break;
    if (line.startsWith(`${key}:`) || line.startsWith(`"${key}":`) || line.startsWith(`'${key}':`)) return i + 1;
  }
  return undefined;
}
