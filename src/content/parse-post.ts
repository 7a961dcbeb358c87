/**
 * Turns the bytes of one markdown file into a validated `Post`, or a
 * `ContentError` naming the file, the line where known, and the problem.
 * Never throws.
 */
import { isUtf8 } from 'node:buffer';
import { describeIssue } from '../validate/describe-issue.js';
import { normaliseAlias } from './aliases.js';
import { DATE_FORMS, dateFromInstant, parseDate, type PostDate } from './dates.js';
import { mapForeignFields, type AuthorDirectory } from './foreign-fields.js';
import { translateMarkup } from './foreign-markup.js';
import { frontmatterSchema, KNOWN_KEYS } from './frontmatter.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { readHeader } from './read-header.js';
import { parseName, slugify, slugProblem, type NameParts } from './slug.js';
import { bundleUrl, postUrl } from './urls.js';
import { beforeSeparator, countWords, excerpt, leadingHeading, plainText, readTime } from './text.js';

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
  /** Authors by key, from `authors.yml` (Docusaurus): `authors: [jo]` names Jo by their name. */
  authors?: AuthorDirectory | undefined;
}

export type ParseResult = { ok: true; post: Post } | { ok: false; error: ContentError };

export function parsePost(source: SourceFile, defaults: PostDefaults): ParseResult {
  const fail = (message: string, line?: number): ParseResult => ({
    ok: false,
    error: { file: source.relPath, line, message },
  });

  if (!isUtf8(source.bytes)) return fail('is not UTF-8 text; save it with UTF-8 encoding');
  let text = source.bytes.toString('utf8');
  let bom = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bom = 3;
  }
  if (!text.trim()) return fail('is empty; a post needs frontmatter with at least a title');
  // YAML, TOML or a fence-less header (src/content/read-header.ts), then other
  // generators' fields read as Lede's (src/content/foreign-fields.ts).
  const header = readHeader(text);
  if (!header.ok) return fail(header.message, header.line);
  const mapped = mapForeignFields(header.data, defaults.authors);
  /** The line of a field as the author wrote it (`pubDate` for `date`). */
  const lineOf = (key: string): number | undefined => header.lineOf(mapped.sources[key] ?? key) ?? header.lineOf(key);
  /** A message about a Lede field, in the name the author used. */
  const named = (message: string, key: string): string => {
    const written = mapped.sources[key];
    return written ? message.replace(`field \`${key}\``, `field \`${written}\``) : message;
  };

  // No title: Docusaurus takes it from the body's opening `# Heading`, and so does Lede.
  let bodyStart = header.bodyStart;
  let data = mapped.data;
  if (data['title'] === undefined) {
    const heading = leadingHeading(text.slice(bodyStart));
    if (heading) {
      data = { ...data, title: heading.title };
      bodyStart = text.length - heading.rest.length;
    }
  }

  const result = frontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // A missing field has no line of its own: point at the frontmatter's start.
    const key = String(issue.path[0] ?? '');
    return fail(named(describeIssue(issue), key), lineOf(key) ?? 1);
  }
  const fm = result.data;

  const dateField = (key: 'publish_date' | 'date' | 'created_date' | 'updated_date'): PostDate | undefined | Error => {
    const value = fm[key];
    if (value === undefined) return undefined;
    const asText = value instanceof Date ? value.toISOString() : value;
    return parseDate(asText, defaults.timezone) ?? new Error(named(`field \`${key}\`: "${asText}" is not a date; write it as ${DATE_FORMS}`, key));
  };
  const dates: Partial<Record<'publish_date' | 'date' | 'created_date' | 'updated_date', PostDate>> = {};
  for (const key of ['publish_date', 'date', 'created_date', 'updated_date'] as const) {
    const parsed = dateField(key);
    if (parsed instanceof Error) return fail(parsed.message, lineOf(key));
    if (parsed) dates[key] = parsed;
  }

  let slug = source.name.slug;
  if (fm.slug !== undefined) {
    slug = slugify(fm.slug);
    const problem = slugProblem(slug, `field \`slug\` ("${fm.slug.length > 60 ? `${fm.slug.slice(0, 60)}…` : fm.slug}")`);
    if (problem) return fail(problem, lineOf('slug'));
  }
  // The same rule as the router's (src/content/slug.ts): a post is listed only if its URL answers.
  const nameProblem = fm.slug === undefined ? slugProblem(slug, 'the file name') : undefined;
  if (nameProblem) return fail(`${nameProblem}; rename it or set a \`slug\``);

  const aliases: string[] = [];
  for (const raw of fm.aliases === undefined ? [] : typeof fm.aliases === 'string' ? [fm.aliases] : fm.aliases) {
    const alias = normaliseAlias(raw);
    if (alias instanceof Error) return fail(named(`field \`aliases\`: ${alias.message}`, 'aliases'), lineOf('aliases'));
    if (!aliases.includes(alias)) aliases.push(alias);
  }

  const nameDate = source.name.date ? parseDate(source.name.date, defaults.timezone) : undefined;
  const published =
    dates.publish_date ?? dates.date ?? nameDate ?? dates.created_date ?? dateFromInstant(source.signature.mtimeMs, defaults.timezone);

  const heroField = fm.heroImage !== undefined ? 'heroImage' : fm.hero_image !== undefined ? 'hero_image' : fm.image !== undefined ? 'image' : undefined;
  const heroImage = heroField && fm[heroField];
  const fieldLines: Record<string, number> = {};
  for (const key of Object.keys(data)) {
    const line = lineOf(key);
    if (line !== undefined) fieldLines[key] = line;
  }

  // The body: a view of the file's own bytes after the header (no copy),
  // unless template syntax of another generator had to be translated. It is
  // kept as UTF-8 bytes (half the size of a JS string for most text) and
  // decoded when a page is rendered.
  const headBytes = bom + Buffer.byteLength(text.slice(0, bodyStart), 'utf8');
  let bodyBytes = source.bytes.subarray(headBytes);
  const bodyText = text.slice(bodyStart);
  const bodyLine = text.slice(0, bodyStart).split('\n').length;
  const translated = translateMarkup(bodyText, { postPath: (name) => postUrl(parseName(name).slug) });
  if (translated.markdown !== bodyText) bodyBytes = Buffer.from(translated.markdown, 'utf8');
  const notices: ContentError[] = [
    ...mapped.notices.map((n) => ({ file: source.relPath, line: lineOf(n.key), message: n.message })),
    ...translated.notices.map((n) => ({ file: source.relPath, line: bodyLine + n.line - 1, message: n.message })),
  ];
  const authors = mapped.authors?.length ? mapped.authors : [fm.author ?? defaults.author];
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fm)) if (!KNOWN_KEYS.has(key)) extra[key] = value;

  const post = new ParsedPost(
    {
      slug,
      file: source.file,
      relPath: source.relPath,
      bundleDir: source.bundleDir,
      title: fm.title,
      subtitle: fm.subtitle?.trim() || undefined,
      author: authors[0]!,
      authors,
      published,
      created: dates.created_date,
      updated: dates.updated_date,
      heroImage: heroImage && source.bundleDir ? bundleImage(slug, heroImage) : heroImage,
      heroImageAlt: fm.heroImageAlt?.trim() || fm.title,
      cta: fm.cta,
      tags: normaliseTags(fm.tags),
      draft: fm.draft ?? false,
      canonicalUrl: fm.canonical_url,
      toc: fm.toc,
      aliases,
      extra,
      signature: source.signature,
      fieldLines,
      heroImageSource: heroField && heroImage ? { field: heroField, ref: heroImage } : undefined,
      notices,
      bodyLine,
    },
    bodyBytes,
    fm.description?.trim() || undefined,
    fm.read_time,
  );
  return { ok: true, post };
}

type DerivedFields = 'body' | 'description' | 'wordCount' | 'readTime';

/**
 * A post as the store keeps it: the frontmatter's fields, and the body as
 * UTF-8 bytes (about half the size of a JS string) with the fields derived
 * from it computed when first shown, not at start-up: the index of 10,000
 * posts only needs them for one page of cards. A class, so those lazy fields
 * are getters on its prototype: per-post getters and closures made each post
 * a dictionary-mode object about three times its size.
 */
class ParsedPost implements Post {
  readonly slug!: string;
  readonly file!: string;
  readonly relPath!: string;
  readonly bundleDir!: string | undefined;
  readonly title!: string;
  readonly subtitle!: string | undefined;
  readonly author!: string;
  readonly authors!: readonly string[];
  readonly published!: PostDate;
  readonly created!: PostDate | undefined;
  readonly updated!: PostDate | undefined;
  readonly heroImage!: string | undefined;
  readonly heroImageAlt!: string;
  readonly cta!: string | false | undefined;
  readonly tags!: readonly string[];
  readonly draft!: boolean;
  readonly canonicalUrl!: string | undefined;
  readonly toc!: boolean | undefined;
  readonly aliases!: readonly string[];
  readonly extra!: Readonly<Record<string, unknown>>;
  readonly signature!: FileSignature;
  readonly fieldLines!: Readonly<Record<string, number>>;
  readonly heroImageSource!: Post['heroImageSource'];
  readonly notices!: readonly ContentError[];
  readonly bodyLine!: number;
  #description: string | undefined;
  #wordCount: number | undefined;
  #readTime: string | number | undefined;

  constructor(
    fields: Omit<Post, DerivedFields>,
    private readonly bodyBytes: Buffer,
    description: string | undefined,
    readTimeText: string | number | undefined,
  ) {
    Object.assign(this, fields);
    this.#description = description;
    this.#readTime = readTimeText;
  }

  get body(): string {
    return this.bodyBytes.toString('utf8');
  }

  get wordCount(): number {
    if (this.#wordCount === undefined) this.derive();
    return this.#wordCount!;
  }

  /** The frontmatter description, else an excerpt of the body. */
  get description(): string {
    if (this.#description === undefined) this.derive();
    return this.#description!;
  }

  get readTime(): string {
    const written = this.#readTime;
    if (typeof written === 'string') return written;
    if (typeof written === 'number') return `${written} min read`;
    return readTime(this.wordCount);
  }

  /** The word count and the excerpt, from one pass over the plain text, which is then let go. */
  private derive(): void {
    const body = this.body;
    const plain = plainText(body);
    this.#wordCount ??= countWords(plain);
    // The author's own excerpt (`<!--more-->`, `<!-- truncate -->`) when there is one.
    const before = this.#description === undefined ? beforeSeparator(body) : undefined;
    const chosen = before === undefined ? '' : plainText(before);
    // A copy: a slice would keep the whole plain text alive for as long as the post.
    this.#description ??= detached(chosen ? excerpt(chosen, 300) : excerpt(plain));
  }
}

/** A string that shares no memory with the one it was cut from. */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** A bundle's hero image; one that climbs out of the bundle is no image at all (not `#`). */
function bundleImage(slug: string, ref: string): string | undefined {
  const url = bundleUrl(slug, ref);
  return url === '#' ? undefined : url;
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
