/**
 * Turns the bytes of one markdown file into a validated `Post`, or a
 * `ContentError` naming the file, the line where known, and the problem.
 * Never throws.
 */
import { isUtf8 } from 'node:buffer';
import matter from 'gray-matter';
import { describeIssue } from '../validate/describe-issue.js';
import { normaliseAlias } from './aliases.js';
import { readYaml } from '../validate/yaml.js';
import { dateFromInstant, parseDate, type PostDate } from './dates.js';
import { frontmatterSchema, KNOWN_KEYS } from './frontmatter.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { slugify, slugProblem, type NameParts } from './slug.js';
import { bundleUrl } from './urls.js';
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

interface FrontmatterFound {
  /** The length of the block the engine was given. */
  blockLength?: number;
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

/** A frontmatter block the YAML engine could not read, with its line. */
class FrontmatterError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The frontmatter engines gray-matter splits with, by language: YAML between
 * `---` lines (src/validate/yaml.ts, the one YAML reader). A TOML engine is
 * one more entry. Each call gets its own engines, so the key lines of this
 * file's parse come back through `found`, never through module state.
 */
function frontmatterEngines(found: FrontmatterFound) {
  return {
    yaml: (block: string): object => {
      found.blockLength = block.length;
      // gray-matter's block is a slice of the whole file's text; a copy lets
      // the values the parser slices out of it keep only the block alive.
      const read = readYaml(detached(block));
      if (!read.ok) throw new FrontmatterError(read.message, read.line);
      found.lineOf = read.lineOf;
      return (read.data ?? {}) as object;
    },
  };
}

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
  if (!/^---[ \t]*\r?\n/.test(text)) {
    return fail('has no frontmatter; start the file with a line `---`, then `title: ...`, then `---`', 1);
  }

  // gray-matter splits the file; its YAML block starts with the newline that
  // ends the opening `---` line, so the block's line n is the file's line n.
  const found: FrontmatterFound = {};
  // With no closing line, gray-matter takes the whole rest of the file as the block.
  const unclosed = (): boolean => 3 + (found.blockLength ?? 0) >= text.length;
  const notClosed = 'the frontmatter is not closed; add a line `---` after it';
  let split: { data: unknown; matter: string; content: string };
  try {
    split = matter(text, { engines: frontmatterEngines(found) });
  } catch (err) {
    if (unclosed()) return fail(notClosed, 1);
    if (err instanceof FrontmatterError) return fail(err.message.replace(/^broken YAML/, 'broken YAML in the frontmatter'), err.line);
    return fail(`cannot read the frontmatter: ${(err as Error).message}`);
  }
  if (3 + split.matter.length >= text.length) return fail(notClosed, 1);
  const data = split.data as Record<string, unknown>;
  const lineOf = (key: string): number | undefined => (key in data ? found.lineOf?.([key]) : undefined);
  // The body is kept as UTF-8 bytes (half the size of a JS string for most
  // text), a view of the file's own bytes after the frontmatter (no copy),
  // and decoded when a page is rendered.
  const headBytes = bom + Buffer.byteLength(text.slice(0, text.length - split.content.length), 'utf8');
  const bodyBytes = source.bytes.subarray(headBytes);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('the frontmatter must be a mapping of `key: value` lines', 2);
  }

  const result = frontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // A missing field has no line of its own: point at the frontmatter's start.
    return fail(describeIssue(issue), lineOf(String(issue.path[0] ?? '')) ?? 1);
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
    if (alias instanceof Error) return fail(`field \`aliases\`: ${alias.message}`, lineOf('aliases'));
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
      author: fm.author ?? defaults.author,
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
    const plain = plainText(this.body);
    this.#wordCount ??= countWords(plain);
    // A copy: a slice would keep the whole plain text alive for as long as the post.
    this.#description ??= detached(excerpt(plain));
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
