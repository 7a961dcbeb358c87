/**
 * Turns the bytes of one markdown file into a validated `Post`, or a
 * `ContentError` naming the file, the line where known, and the problem.
 * Never throws.
 */
import { isUtf8 } from 'node:buffer';
import { BodyUnavailable, readBodyBytes } from './body-file.js';
import { MAX_TRANSLATED_AT_PARSE_CHARS } from './bounds.js';
import { type BodyTranslation, translateBody, translationOf } from './body-translation.js';
import type { PostDate } from './dates.js';
import type { AuthorDirectory } from './foreign-fields.js';
import { lineAt } from './line-at.js';
import { mayHoldForeignMarkup } from './foreign-markup.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { type CheckedFields, checkFields, extraFields, FILE_TIME_NOTICE, hasOwnDate, heroField, publishedDate } from './post-fields.js';
import { decodeText, type PostHeader, PostProblem, type PostText, readPostHeader } from './post-header.js';
import type { NameParts } from './slug.js';
import { resolveRef } from './link-resolver.js';
import { bundleUrl } from './urls.js';
import { readTime, summarize } from './text.js';

export interface SourceFile {
  /** Absolute path. */
  file: string;
  /** Relative to the content folder. */
  relPath: string;
  bundleDir: string | undefined;
  name: NameParts;
  signature: FileSignature;
  /** The file's bytes; with `bodyOnDisk`, maybe only its first lines, the whole header among them. */
  bytes: Buffer;
  /**
   * Keep the body in the file, not in memory: the post holds where it starts,
   * and reads it (checked against `signature`) when it is rendered or indexed.
   * Other generators' template syntax in it is translated by the render thread
   * (src/content/body-translation.ts).
   */
  bodyOnDisk?: boolean;
  /** `bytes` may be only the file's first lines: a title that must come from the body is not looked for (the parse fails, and the caller reads the whole file). */
  headOnly?: boolean;
}

export interface PostDefaults {
  author: string;
  timezone: string;
  /** Authors by key, from `authors.yml` (Docusaurus): `authors: [jo]` names Jo by their name. */
  authors?: AuthorDirectory | undefined;
}

export type ParseResult = { ok: true; post: Post } | { ok: false; error: ContentError };

/**
 * The steps, each named: the bytes as text (src/content/post-header.ts), the
 * header as Lede's fields (the same file), the fields checked
 * (src/content/post-fields.ts), the body as the post keeps it, and the post.
 * The first problem found is the file's content error.
 */
export function parsePost(source: SourceFile, defaults: PostDefaults): ParseResult {
  const text = decodeText(source.bytes);
  if (text instanceof PostProblem) return failed(source, text);
  const header = readPostHeader(text.text, defaults.authors, source.name.title, source.headOnly);
  if (header instanceof PostProblem) return failed(source, header);
  const fields = checkFields(header, source.name, defaults.timezone);
  if (fields instanceof PostProblem) return failed(source, fields);
  const body = postBody(source, text, header.bodyStart);
  return { ok: true, post: makePost(source, defaults, header, fields, body) };
}

function failed(source: SourceFile, problem: PostProblem): ParseResult {
  return { ok: false, error: { file: source.relPath, line: problem.line, message: problem.message } };
}

/** The body as a post keeps it, the file's line it starts on, and what translating it found. */
interface PostBody {
  readonly body: Buffer | BodyInFile;
  readonly bodyLine: number;
  readonly notices: readonly ContentError[];
  /** Kept as written, with other generators' syntax its render thread translates (src/content/body-translation.ts). */
  readonly translateLater: boolean;
}

/**
 * The body: a view of the file's own bytes after the header (no copy),
 * unless template syntax of another generator had to be translated. It is
 * kept as UTF-8 bytes (half the size of a JS string for most text) and
 * decoded when a page is rendered; with `bodyOnDisk`, only where it starts
 * in the file. A body over `MAX_TRANSLATED_AT_PARSE_CHARS` is kept as
 * written, translated on the thread that renders it.
 */
function postBody(source: SourceFile, { text, bom }: PostText, bodyStart: number): PostBody {
  const headBytes = bom + Buffer.byteLength(text.slice(0, bodyStart), 'utf8');
  const bodyLine = lineAt(text, bodyStart);
  if (source.bodyOnDisk) return { body: headBytes, bodyLine, notices: NONE, translateLater: true };
  const bodyText = text.slice(bodyStart);
  if (bodyText.length > MAX_TRANSLATED_AT_PARSE_CHARS) {
    return { body: source.bytes.subarray(headBytes), bodyLine, notices: NONE, translateLater: mayHoldForeignMarkup(bodyText) };
  }
  const translated = translateBody(bodyText, translationOf(source.relPath));
  const body = translated.markdown !== bodyText ? Buffer.from(translated.markdown, 'utf8') : source.bytes.subarray(headBytes);
  return { body, bodyLine, notices: translationNotices(translated.notices, source.relPath, bodyLine), translateLater: false };
}

/** Notices of translating a body, at their lines in its file. */
function translationNotices(notices: readonly { line: number; message: string }[], relPath: string, bodyLine: number): ContentError[] {
  return notices.map((n) => ({ file: relPath, line: bodyLine + n.line - 1, message: n.message }));
}

function makePost(source: SourceFile, defaults: PostDefaults, header: PostHeader, fields: CheckedFields, body: PostBody): Post {
  const { fm, slug } = fields;
  const hero = heroField(fm);
  const heroImage = hero && fm[hero];
  const authors = header.authors?.length ? header.authors : [fm.author ?? defaults.author];
  const published = publishedDate(fields.dates, source.name, source.signature, defaults.timezone);
  const notices: readonly ContentError[] = compact([
    ...header.notices.map((n) => ({ file: source.relPath, line: header.lineOf(n.key), message: n.message })),
    ...header.defaults.map((n) => ({ file: source.relPath, ...n })),
    ...fields.notices.map((n) => ({ file: source.relPath, ...n })),
    ...(hasOwnDate(fields.dates, source.name) ? NONE : [{ file: source.relPath, line: undefined, message: FILE_TIME_NOTICE }]),
    ...body.notices,
  ]);
  return new ParsedPost(
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
      created: fields.dates.created_date,
      updated: fields.dates.updated_date,
      heroImage: heroImage && (source.bundleDir ? bundleImage(slug, heroImage) : ownFolderImage(source.relPath, heroImage)),
      heroImageAlt: fm.heroImageAlt?.trim() || fm.title,
      cta: fm.cta,
      tags: compact(fields.tags),
      draft: fm.draft ?? false,
      canonicalUrl: fm.canonical_url,
      toc: fm.toc,
      aliases: compact(fields.aliases),
      extra: extraFields(fm) ?? NO_FIELDS,
      signature: source.signature,
      fieldLines: header.fieldLines(),
      heroImageSource: hero && heroImage ? { field: hero, ref: heroImage } : undefined,
      headerNotices: notices,
      bodyLine: body.bodyLine,
      translateLater: body.translateLater,
    },
    body.body,
    fm.description?.trim() || undefined,
    fm.read_time,
  );
}

type DerivedFields = 'body' | 'description' | 'wordCount' | 'readTime' | 'notices';

/** Where a body left in its file starts: the byte offset after the header (a number, not an object per post). */
type BodyInFile = number;

/**
 * A post as the store keeps it: the frontmatter's fields, and the body as
 * UTF-8 bytes (about half the size of a JS string) with the fields derived
 * from it computed when first shown, not at start-up: the index of 10,000
 * posts only needs them for one page of cards. A class, so those lazy fields
 * are getters on its prototype: per-post getters and closures made each post
 * a dictionary-mode object about three times its size.
 */
export class ParsedPost implements Post {
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
  /** The notices of the header, and of the body when it was read with it. */
  private readonly headerNotices!: readonly ContentError[];
  readonly bodyLine!: number;
  /** The body is kept as written (in memory or in its file): its render thread translates it (src/content/body-translation.ts). */
  readonly translateLater!: boolean;
  #description: string | undefined;
  #wordCount: number | undefined;
  #readTime: string | number | undefined;

  constructor(
    fields: Omit<Post, DerivedFields> & { headerNotices: readonly ContentError[]; translateLater: boolean },
    private readonly bodySource: Buffer | BodyInFile,
    description: string | undefined,
    readTimeText: string | number | undefined,
  ) {
    Object.assign(this, fields);
    this.#description = description;
    this.#readTime = readTimeText;
  }

  /**
   * The body's UTF-8 bytes in a buffer of their own, to hand to a render
   * thread without decoding it here: a copy of those held, or those read from
   * the file (as written: `translation` says whether the thread translates
   * them). Throws `BodyUnavailable` when the file is no longer this version.
   */
  copyBodyBytes(): Buffer {
    const source = this.bodySource;
    if (Buffer.isBuffer(source)) return Buffer.from(new Uint8Array(source).buffer);
    return writtenBody(this.file, this.relPath, this.signature, source);
  }

  /** How the thread that renders the body translates it, when it was not translated here. */
  get translation(): BodyTranslation | undefined {
    return this.translateLater ? translationOf(this.relPath) : undefined;
  }

  /** Where the body is, for a thread that reads it itself (`bodySourceOf`). */
  bodySourceForThread(): BodySource {
    const source = this.bodySource;
    if (Buffer.isBuffer(source)) return { kind: 'bytes', bytes: new Uint8Array(source), translation: this.translation };
    return { kind: 'file', file: this.file, relPath: this.relPath, signature: this.signature, offset: source };
  }

  headerNoticesOnly(): readonly ContentError[] {
    return this.headerNotices;
  }

  /**
   * The same post at another slug (two files whose names give one slug: the
   * second is served at an address of its own, src/content/snapshot.ts). It
   * shares the body and what was derived from it.
   */
  withSlug(slug: string): ParsedPost {
    // Its own fields (the header's, its notices, where the body is), with the other slug.
    const fields: ConstructorParameters<typeof ParsedPost>[0] = {
      ...(this as Omit<Post, DerivedFields>),
      headerNotices: this.headerNotices,
      translateLater: this.translateLater,
      slug,
    };
    const copy = new ParsedPost(fields, this.bodySource, this.#description, this.#readTime);
    copy.#wordCount = this.#wordCount;
    return copy;
  }

  /** What `check` says: the header's notices, and the body's, which a body kept as written gives when translated here. */
  get notices(): readonly ContentError[] {
    const translation = this.translation;
    if (!translation) return this.headerNotices;
    const written = this.body;
    // A body left in a file that changed since: the store reads the new version.
    if (!written) return this.headerNotices;
    return [...this.headerNotices, ...translationNotices(translateBody(written, translation).notices, this.relPath, this.bodyLine)];
  }

  /**
   * The body as rendered: other generators' syntax translated (`check`).
   * Done here for a body kept as written, which costs the main thread the
   * pass the server leaves to its render threads.
   */
  get renderedMarkdown(): string {
    const translation = this.translation;
    return translation ? translateBody(this.body, translation).markdown : this.body;
  }

  /**
   * The body as text, as kept: a body over `MAX_TRANSLATED_AT_PARSE_CHARS`
   * or kept in its file is as written (search indexes it so); empty when it
   * is in a file that changed since (the store reads the new version).
   */
  get body(): string {
    const source = this.bodySource;
    if (Buffer.isBuffer(source)) return source.toString('utf8');
    try {
      return this.copyBodyBytes().toString('utf8');
    } catch (err) {
      if (err instanceof BodyUnavailable) return '';
      throw err;
    }
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

  /**
   * Takes the word count and excerpt from a render worker, so no getter has
   * to make them on the main thread (src/render/post-bodies.ts).
   */
  adoptSummary(wordCount: number, excerptText: string): void {
    this.#wordCount ??= wordCount;
    this.#description ??= excerptText;
  }

  /** The word count and the excerpt, from one pass over the plain text, which is then let go. */
  private derive(): void {
    const summary = summarize(this.body);
    this.#wordCount ??= summary.wordCount;
    // A copy: a slice would keep the whole plain text alive for as long as the post.
    this.#description ??= detached(summary.excerpt);
  }
}

/**
 * The body of a post as UTF-8 bytes in a buffer of their own, which a render
 * thread can take (transfer) and decode: decoding 2 MB here costs the event
 * loop 15 ms or more per post, eight posts on a listing at once.
 */
export function bodyBytesOf(post: Post): Uint8Array {
  return post instanceof ParsedPost ? post.copyBodyBytes() : new TextEncoder().encode(post.body);
}

/** How the thread that renders the post's body translates it, when it was not translated as it was read. */
export function bodyTranslationOf(post: Post): BodyTranslation | undefined {
  return post instanceof ParsedPost ? post.translation : undefined;
}

/** The body as rendered, other generators' syntax translated (`check`; the server translates on its render threads). */
export function renderedMarkdownOf(post: Post): string {
  return post instanceof ParsedPost ? post.renderedMarkdown : post.body;
}

/**
 * Where a post's body is, for a thread that reads it itself (`npm run
 * check`'s render threads, src/cli/check-worker.ts): a copy of the bytes
 * held in memory (with how to translate them, when they are as written), or
 * the place of the body in its file, read there with the same checks as
 * `copyBodyBytes` (the file still this version, UTF-8).
 */
export type BodySource =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly translation?: BodyTranslation | undefined }
  | { readonly kind: 'file'; readonly file: string; readonly relPath: string; readonly signature: FileSignature; readonly offset: number };

/** A body kept in its file, as written there, if the file is still this version and UTF-8 (else `BodyUnavailable`). */
function writtenBody(file: string, relPath: string, signature: FileSignature, offset: number): Buffer {
  const bytes = readBodyBytes(file, relPath, signature, offset);
  if (!isUtf8(bytes)) throw new BodyUnavailable(relPath, 'is not UTF-8 text; save it with UTF-8 encoding');
  return bytes;
}

export function bodySourceOf(post: Post): BodySource {
  if (post instanceof ParsedPost) return post.bodySourceForThread();
  return { kind: 'bytes', bytes: new TextEncoder().encode(post.body) };
}

/**
 * The body of a `BodySource` as rendered (`markdown`, other generators'
 * syntax translated, as `renderedMarkdownOf` gives it), and whether the body
 * as written may hold that syntax (`foreign`: `mayHoldForeignMarkup`; a body
 * held in memory and translated when it was read had its notices kept).
 * Throws `BodyUnavailable` as `copyBodyBytes` does.
 */
export function readBodySource(source: BodySource): { markdown: string; foreign: boolean } {
  if (source.kind === 'bytes') {
    const text = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength).toString('utf8');
    const foreign = mayHoldForeignMarkup(text);
    return { markdown: foreign && source.translation ? translateBody(text, source.translation).markdown : text, foreign };
  }
  const written = writtenBody(source.file, source.relPath, source.signature, source.offset).toString('utf8');
  // Without any of the syntax, translating gives the text back.
  const foreign = mayHoldForeignMarkup(written);
  return { markdown: foreign ? translateBody(written, translationOf(source.relPath)).markdown : written, foreign };
}

/**
 * The notices of a post's header alone: its `notices` when its body holds
 * none of other generators' syntax (`mayHoldForeignMarkup` false on the
 * body as written), without reading a body kept in its file.
 */
export function headerNoticesOf(post: Post): readonly ContentError[] {
  return post instanceof ParsedPost ? post.headerNoticesOnly() : post.notices;
}

/** Gives a post its word count and excerpt, made elsewhere (a render worker). */
export function adoptSummary(post: Post, wordCount: number, excerptText: string): void {
  if (post instanceof ParsedPost) post.adoptSummary(wordCount, excerptText);
}

/**
 * Memory a post holds for as long as the server runs (100,000 posts: 1.5 KB
 * each): no object of its own for the common empty cases, and arrays of
 * their exact length (an array grown by `push` keeps room for 17).
 */
const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NONE: readonly never[] = Object.freeze([]);

function compact<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** A string that shares no memory with the one it was cut from. */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** A single file's hero image, from its own folder (src/content/link-resolver.ts); one that climbs out of the content folder is none. */
function ownFolderImage(relPath: string, ref: string): string | undefined {
  const resolved = resolveRef(ref, { relPath });
  if (!resolved) return ref;
  return resolved.kind === 'outside' ? undefined : resolved.url;
}

/** A bundle's hero image; one that climbs out of the bundle is no image at all (not `#`). */
function bundleImage(slug: string, ref: string): string | undefined {
  const url = bundleUrl(slug, ref);
  return url === '#' ? undefined : url;
}
