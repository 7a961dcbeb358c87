/**
 * The steps of src/content/parse-post.ts that read a post's text: the bytes
 * as text, and the header as Lede's fields, before any field is checked.
 * The header is read by src/content/read-header.ts (YAML, TOML or
 * fence-less), other generators' fields are read as Lede's
 * (src/content/foreign-fields.ts), and a missing title is taken from the
 * body's opening `# Heading`, as Docusaurus does. Each field keeps the line
 * and the name its author wrote it under, for messages.
 */
import { isUtf8 } from 'node:buffer';
import { type AuthorDirectory, mapForeignFields, type MappedFrontmatter } from './foreign-fields.js';
import { readHeader } from './read-header.js';
import type { KeyLines } from './header-engines.js';
import { leadingHeading } from './text.js';

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
  if (!text.trim()) return new PostProblem('is empty; a post needs frontmatter with at least a title');
  return { text, bom };
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

export function readPostHeader(text: string, authors: AuthorDirectory | undefined): PostHeader | PostProblem {
  const header = readHeader(text);
  if (!header.ok) return new PostProblem(header.message, header.line);
  const mapped = mapForeignFields(header.data, authors);
  let bodyStart = header.bodyStart;
  let data = mapped.data;
  if (data.title === undefined) {
    const heading = leadingHeading(text.slice(bodyStart));
    if (heading) {
      data = { ...data, title: heading.title };
      bodyStart = text.length - heading.rest.length;
    }
  }
  return new PostHeader(data, bodyStart, mapped, header.lineOf);
}
