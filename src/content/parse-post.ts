/**
 * Turns the bytes of one markdown file into a validated `Post`, or a
 * `ContentError` naming the file, the line where known, and the problem.
 * Never throws.
 */
import { isUtf8 } from 'node:buffer';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { describeIssue } from '../validate/describe-issue.js';
import { normaliseAlias } from './aliases.js';
import { describeYamlError, yamlErrorLine } from '../validate/yaml.js';
import { dateFromInstant, parseDate, type PostDate } from './dates.js';
import { frontmatterSchema, KNOWN_KEYS } from './frontmatter.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { isSlug, slugify, type NameParts } from './slug.js';
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

/**
 * YAML as plain data with the core schema: dates stay text, so no time zone
 * can shift them (and js-yaml is an order of magnitude faster than the
 * alternatives, which matters for a start-up scan of 10,000 posts).
 */
const yamlEngine = (source: string): object => (yaml.load(source, { schema: yaml.CORE_SCHEMA }) ?? {}) as object;


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

  const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(text.slice(3));
  if (!close) return fail('the frontmatter is not closed; add a line `---` after it', 1);
  const end = 3 + close.index + close[0].length;

  let data: Record<string, unknown>;
  // gray-matter gets only the frontmatter block: given the whole file it looks
  // the entire text up in its cache object, which costs more than the parse.
  // The body is kept as UTF-8 bytes (half the size of a JS string for most
  // text) and decoded when a page is rendered.
  // A view of the file's own bytes from the end of the frontmatter: no copy.
  const headBytes = bom + Buffer.byteLength(text.slice(0, end), 'utf8');
  const bodyBytes = source.bytes.subarray(headBytes);
  // The frontmatter decoded on its own: values the YAML parser slices out of
  // it then keep only this small string alive, not the whole file's text.
  const head = source.bytes.toString('utf8', bom, headBytes);
  try {
    data = matter(head, { engines: { yaml: yamlEngine } }).data as Record<string, unknown>;
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      // js-yaml counts lines from 0, and gray-matter hands it the YAML starting with the
      // newline that ends the opening `---` line: its line 0 is the file's line 1.
      const line = yamlErrorLine(err, text.slice(3, end));
      return fail(`broken YAML in the frontmatter: ${describeYamlError(err)}`, line === undefined ? undefined : line + 1);
    }
    return fail(`cannot read the frontmatter: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('the frontmatter must be a mapping of `key: value` lines', 2);
  }

  const result = frontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // A missing field has no line of its own: point at the frontmatter's start.
    return fail(describeIssue(issue), lineOfKey(text, String(issue.path[0] ?? '')) ?? 1);
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

  const aliases: string[] = [];
  for (const raw of fm.aliases === undefined ? [] : typeof fm.aliases === 'string' ? [fm.aliases] : fm.aliases) {
    const alias = normaliseAlias(raw);
    if (alias instanceof Error) return fail(`field \`aliases\`: ${alias.message}`, lineOfKey(text, 'aliases'));
    if (!aliases.includes(alias)) aliases.push(alias);
  }

  const nameDate = source.name.date ? parseDate(source.name.date, defaults.timezone) : undefined;
  const published =
    dates.publish_date ?? dates.date ?? nameDate ?? dates.created_date ?? dateFromInstant(source.signature.mtimeMs, defaults.timezone);

  const heroImage = fm.heroImage ?? fm.hero_image ?? fm.image;
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
