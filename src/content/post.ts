import type { PostDate } from './dates.js';

/** What the store knows of a file on disk, to tell when it changed. */
export interface FileSignature {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly size: number;
  readonly ino: number;
}

/** A parsed, validated post. */
export interface Post {
  readonly slug: string;
  /** Absolute path of the markdown file. */
  readonly file: string;
  /** Path relative to the content folder, for messages. */
  readonly relPath: string;
  /** The page bundle folder (absolute) when the post is `name/index.md`. */
  readonly bundleDir: string | undefined;
  readonly title: string;
  readonly subtitle: string | undefined;
  /** The frontmatter description, else an excerpt of the body. */
  readonly description: string;
  readonly author: string;
  /** Every byline, `author` first (`authors: [a, b]` of other generators); `[author]` for most posts. */
  readonly authors: readonly string[];
  /** As written (`8 mins`), else computed from the word count. */
  readonly readTime: string;
  readonly wordCount: number;
  /** When the post goes live; its listing date. */
  readonly published: PostDate;
  readonly created: PostDate | undefined;
  readonly updated: PostDate | undefined;
  readonly heroImage: string | undefined;
  readonly heroImageAlt: string;
  /** Inline markdown for the CTA footer; `false` hides it; undefined means the site default. */
  readonly cta: string | false | undefined;
  readonly tags: readonly string[];
  readonly draft: boolean;
  readonly canonicalUrl: string | undefined;
  /** Frontmatter `toc`: false hides the table of contents, true forces it; undefined decides by the number of sections. */
  readonly toc: boolean | undefined;
  /** Old addresses (normalised paths, an old slug as its post URL) that redirect here. */
  readonly aliases: readonly string[];
  /** Frontmatter keys the schema does not know, for templates. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The markdown body (template syntax of other generators translated: src/content/foreign-markup.ts). */
  readonly body: string;
  /** The file's line where the body starts. */
  readonly bodyLine: number;
  /**
   * What `check` says about a post that is served: a template tag or a
   * component it cannot use, a key read another way. Not problems.
   */
  readonly notices: readonly ContentError[];
  readonly signature: FileSignature;
  /** The 1-based line of each frontmatter field the file sets, from the parse, for messages. */
  readonly fieldLines: Readonly<Record<string, number>>;
  /** The hero image as written (before a bundle resolves it), with its field, for `npm run check`. */
  readonly heroImageSource: { readonly field: 'heroImage' | 'hero_image' | 'image'; readonly ref: string } | undefined;
}

/** A problem with one content file, in words an author understands. */
export interface ContentError {
  /** Path relative to the content folder. */
  readonly file: string;
  /** 1-based line in the file, where known. */
  readonly line: number | undefined;
  readonly message: string;
  /**
   * The frontmatter field the problem is about, when it was found across
   * posts without a line (a slug clash, a contested alias): `check` finds
   * the field's line.
   */
  readonly field?: string | undefined;
}

export function formatContentError(error: ContentError): string {
  return `${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`;
}
