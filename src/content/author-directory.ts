/**
 * The authors file of a blog moved from Docusaurus: `authors.yml` (or
 * `_authors.yml`) in the content folder, mapping the keys that posts use
 * (`authors: [jo]`) to a name, and optionally a bio line, a link and an
 * avatar:
 *
 *     jo:
 *       name: Jo Writer
 *       title: Maintainer        # shown as the bio
 *       url: https://example.com/jo
 *       image_url: https://example.com/jo.png
 */
import { statSync } from 'node:fs';
import { readRegularFileSync, UnreadableFile } from '../files/read-regular.js';
import path from 'node:path';
import { readYaml, type YamlPath } from '../validate/yaml.js';
import type { ContentError } from './post.js';
import { isSafeUrl } from '../validate/safe-url.js';

export interface AuthorProfile {
  readonly name: string;
  readonly bio: string | undefined;
  readonly url: string | undefined;
  readonly avatar: string | undefined;
}

export interface AuthorDirectoryFile {
  /** By key as posts write it. */
  readonly authors: ReadonlyMap<string, AuthorProfile>;
  /** The file read (relative), if any. */
  readonly file: string | undefined;
  /** Changes when the file does: posts are read again then. */
  readonly version: string;
  readonly error: ContentError | undefined;
}

/** An authors file larger than this is refused: thousands of authors fit in it (docs/security.md). */
export const MAX_AUTHORS_BYTES = 1024 * 1024;

export const AUTHOR_FILES = ['authors.yml', '_authors.yml', 'authors.yaml', '_authors.yaml'];

/** `previous` is returned as it is when the file has not changed since (one `stat` per scan). */
export function readAuthorDirectory(contentDir: string, previous?: AuthorDirectoryFile): AuthorDirectoryFile {
  for (const name of AUTHOR_FILES) {
    const file = path.join(contentDir, name);
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile()) continue;
    const version = `${name}:${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    if (previous?.version === version) return previous;
    const fail = (message: string, line?: number): AuthorDirectoryFile => ({ authors: new Map(), file: name, version, error: { file: name, line, message } });
    // The one YAML reader of the project (src/validate/yaml.ts), with its lines for messages.
    let source: string;
    try {
      // Opened, then judged (src/files/read-regular.ts): a FIFO named authors.yml is a problem, never a hang.
      source = readRegularFileSync(file, MAX_AUTHORS_BYTES, 'the limit for the authors file').bytes.toString('utf8');
    } catch (err) {
      return fail(err instanceof UnreadableFile ? err.message : `cannot be read: ${(err as Error).message}`);
    }
    const read = readYaml(source);
    if (!read.ok) return fail(read.message, read.line);
    const data = read.data;
    const lineOf = (path: YamlPath): number | undefined => read.lineOf(path);
    if (data === null || data === undefined) return { authors: new Map(), file: name, version, error: undefined };
    if (typeof data !== 'object' || Array.isArray(data)) return fail('must map each author key to `name`, `title`, `url`, `image_url`', 1);
    const authors = new Map<string, AuthorProfile>();
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) return fail(`author \`${key}\` must have at least a \`name\``, lineOf([key]));
      const entry = value as Record<string, unknown>;
      const text = (k: string): string | undefined => (typeof entry[k] === 'string' && (entry[k] as string).trim() ? (entry[k] as string).trim() : undefined);
      const authorName = text('name');
      if (!authorName) return fail(`author \`${key}\` must have at least a \`name\``, lineOf([key]));
      // Links and avatars reach pages: only http(s) and relative ones (src/validate/safe-url.ts).
      const link = (k: string): string | undefined => {
        const value = text(k);
        return value && isSafeUrl(value) && !/^mailto:/i.test(value) ? value : undefined;
      };
      authors.set(key, { name: authorName, bio: text('title') ?? text('bio'), url: link('url'), avatar: link('image_url') ?? link('avatar') });
    }
    return { authors, file: name, version, error: undefined };
  }
  return { authors: new Map(), file: undefined, version: '', error: undefined };
}
