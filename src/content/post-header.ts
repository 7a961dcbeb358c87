/**
 * The steps of src/content/parse-post.ts that read a post's text: the bytes
 * as text, and the header as Lede's fields, before any field is checked.
 * The header is read by src/content/read-header.ts (YAML, TOML or
 * fence-less), other generators' fields are read as Lede's
 * (src/content/foreign-fields.ts), and a missing title is taken from the
 * body's first `# Heading`, as Docusaurus does, else the file name
 * (src/content/default-title.ts), with a notice. Each field keeps the line
 * and the name its author wrote it under, for messages.
 */
import { isUtf8 } from 'node:buffer';
import { type AuthorDirectory, mapForeignFields, type MappedFrontmatter } from './foreign-fields.js';
import { readHeader } from './read-header.js';
import type { KeyLines } from './header-engines.js';
import { defaultTitle } from './default-title.js';

/** What is wrong with a post, in an author's words, and the line of the file it is on where known. */
export class PostProblem {
  constructor(
    readonly message: string,
    readonly line?: number,
  ) {}
}

/** A post's text, its byte order mark taken off. */
export interface PostText {
  readonly text: string;
  /** The bytes of the mark taken off (0 or 3): the body's byte offsets count them. */
  readonly bom: number;
}

export function decodeText(bytes: Buffer): PostText | PostProblem {
  if (!isUtf8(bytes)) return new PostProblem('is not UTF-8 text; save it with UTF-8 encoding');
  let text = bytes.toString('utf8');
  let bom = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bom = 3;
  }
  if (!text.trim()) return new PostProblem('is empty; write some text in it to make it a post');
  return { text, bom };
}

/** What `check` says of a field the post leaves out and a default fills (src/content/default-title.ts). */
export interface DefaultNotice {
  readonly line: number | undefined;
  readonly message: string;
}

/** A header read as Lede's fields, not yet checked. */
export class PostHeader {
  constructor(
    /** Lede's fields (and every other key, for templates). */
    readonly data: Record<string, unknown>,
    /** Index in the text where the body starts. */
    readonly bodyStart: number,
    private readonly mapped: MappedFrontmatter,
    private readonly keyLine: KeyLines,
    /** The defaults given to fields the post leaves out, for `check`. */
    readonly defaults: readonly DefaultNotice[] = [],
  ) {}

  /** The author names when the post gives several (src/content/foreign-fields.ts). */
  get authors(): readonly string[] | undefined {
    return this.mapped.authors;
  }

  /** The values set aside while mapping other generators' fields, each with its key. */
  get notices(): MappedFrontmatter['notices'] {
    return this.mapped.notices;
  }

  /** The line of a field as the author wrote it (`pubDate` for `date`). */
  lineOf(key: string): number | undefined {
    return this.keyLine(this.mapped.sources[key] ?? key) ?? this.keyLine(key);
  }

  /** A problem with a Lede field, named as the author wrote it, on its line. */
  problem(key: string, message: string, line = this.lineOf(key)): PostProblem {
    const written = this.mapped.sources[key];
    return new PostProblem(written ? message.replace(`field \`${key}\``, `field \`${written}\``) : message, line);
  }

  /** The line of each field the header sets. */
  fieldLines(): Record<string, number> {
    const lines: Record<string, number> = {};
    for (const key of Object.keys(this.data)) {
      const line = this.lineOf(key);
      if (line !== undefined) lines[key] = line;
    }
    return lines;
  }
}

/**
 * The header of `text` as Lede's fields. `nameTitle`: the file's name made
 * readable (src/content/slug.ts), the title of last resort. `headOnly`:
 * `text` may be only the first lines of the file, so a title that must come
 * from the body cannot be found here (a `PostProblem`: the caller reads the
 * whole file).
 */
export function readPostHeader(text: string, authors: AuthorDirectory | undefined, nameTitle: string, headOnly = false): PostHeader | PostProblem {
  const header = readHeader(text);
  if (!header.ok) return new PostProblem(header.message, header.line);
  const mapped = mapForeignFields(header.data, authors);
  if (mapped.data.title !== undefined) return new PostHeader(mapped.data, header.bodyStart, mapped, header.lineOf);
  if (headOnly) return new PostProblem('the title is in the body, which was not read');
  const title = defaultTitle(text, header.bodyStart, nameTitle);
  return new PostHeader({ ...mapped.data, title: title.title }, title.bodyStart, mapped, header.lineOf, [title.notice]);
}
