/**
 * Reads and parses one post file for the store, opened then judged
 * (src/files/read-regular.ts, docs/security.md "Files are opened, then
 * judged"): a file over the size limit is a content error, not read; in a
 * folder whose bodies stay on disk (src/content/body-file.ts,
 * docs/performance.md) only the first lines are read when they hold the
 * whole header; a file that may be a write in progress is not parsed
 * (src/content/writes-in-progress.ts).
 */
import { readPostBytes, type PostBytes } from './body-file.js';
import { UnreadableFile } from '../files/read-regular.js';
import { signatureOf, type PostFile } from './find-posts.js';
import type { parsePost, ParseResult, PostDefaults } from './parse-post.js';
import { parsePostName } from './slug.js';
import { SETTLING } from './writes-in-progress.js';

/** Post files above this size are reported, not read: the one limit, `MAX_POST_BYTES`'s default (src/config.ts). */
export { DEFAULT_MAX_POST_BYTES as DEFAULT_MAX_FILE_BYTES } from '../config.js';

/** Post files together up to this size are held in memory; above it, bodies are read from their files. */
export const DEFAULT_BODY_MEMORY_BYTES = 64 * 1024 * 1024;

/** Read to parse a post whose body stays in its file: the header of nearly every post fits (else the whole file is read). */
const HEAD_BYTES = 1024;

/** How the store reads its post files now. */
export interface PostReading {
  readonly maxFileBytes: number;
  /** The post files are too large together to hold their bodies in memory. */
  readonly bodiesOnDisk: boolean;
  readonly parse: typeof parsePost;
  /** The author and time zone of posts that name none, and the authors by key. */
  readonly defaults: () => PostDefaults;
  /** True, noting it, when the file read may be a write in progress (`WritesInProgress.isSettling`). */
  readonly settling: (file: string, read: PostBytes) => boolean;
}

/** The parse of `file`, or `SETTLING` when it was read while it may have been being written. */
export function readPostFile(file: PostFile, how: PostReading): ParseResult | typeof SETTLING {
  if (file.signature.size > how.maxFileBytes) {
    return {
      ok: false,
      error: {
        file: file.relPath,
        line: undefined,
        message: `is ${formatBytes(file.signature.size)}, over the ${formatBytes(how.maxFileBytes)} limit for a post (MAX_POST_BYTES); split it or shrink it`,
      },
    };
  }
  let read: PostBytes;
  try {
    // The header alone, when it is all in the first lines; any doubt (a long header, a problem) is settled by the whole file.
    read = readPostBytes(file.file, how.maxFileBytes, how.bodiesOnDisk ? HEAD_BYTES : undefined);
  } catch (err) {
    // UnreadableFile says what the file is ("is a FIFO, not a regular file"; "cannot be read: …").
    const message = err instanceof UnreadableFile ? err.message : `cannot be read: ${(err as Error).message}`;
    return { ok: false, error: { file: file.relPath, line: undefined, message } };
  }
  if (how.settling(file.file, read)) return SETTLING;
  const defaults = how.defaults();
  const version = { ...file, signature: signatureOf(read.stats), name: parsePostName(file.baseName, file.relPath) };
  try {
    if (how.bodiesOnDisk) {
      if (!read.whole && fencedHeaderEnds(read.bytes)) {
        const result = how.parse({ ...version, bytes: read.bytes, bodyOnDisk: true, headOnly: true }, defaults);
        if (result.ok) return result;
      }
      const bytes = read.whole ? read.bytes : readPostBytes(file.file, how.maxFileBytes).bytes;
      return how.parse({ ...version, bytes, bodyOnDisk: true }, defaults);
    }
    return how.parse({ ...version, bytes: read.bytes }, defaults);
  } catch (err) {
    return { ok: false, error: { file: file.relPath, line: undefined, message: `cannot be read: ${(err as Error).message}` } };
  }
}

/** True when these first lines of a file hold a whole fenced header (`---` or `+++` to a closing line of the same). */
function fencedHeaderEnds(head: Buffer): boolean {
  // On the bytes, not a decoded copy: this runs for each of 100,000 files at start-up.
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const fence = head.subarray(start, start + 3).toString('latin1');
  if (fence !== '---' && fence !== '+++') return false;
  const closing = `\n${fence}`;
  for (let at = head.indexOf(closing, start + 3, 'latin1'); at !== -1; at = head.indexOf(closing, at + 1, 'latin1')) {
    let i = at + 4;
    while (head[i] === 0x20 || head[i] === 0x09) i++;
    if (head[i] === 0x0d) i++;
    if (head[i] === 0x0a) return true;
  }
  return false;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
