/**
 * A post's body read from its file when it is needed (a render, the search
 * index), for stores whose bodies are not all held in memory: the store keeps
 * where the body starts and the file's signature, and a read checks the file
 * is still the version that was parsed (one `fstat` on the open file).
 */
import { closeSync, fstatSync, type Stats } from 'node:fs';
import { openRegularSync, readFromSync, UnreadableFile } from '../files/read-regular.js';
import { sameSignature } from './find-posts.js';
import type { FileSignature } from './post.js';

/** The body could not be read as the version parsed: the file changed since, or is not UTF-8. */
export class BodyUnavailable extends Error {
  constructor(
    /** The post's file relative to the content folder, for the content error. */
    readonly relPath: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyUnavailable';
  }
}

/**
 * The bytes of `file` from `offset` on, in a buffer of their own (a render
 * thread can take it), if the file is still `signature`. Opened, then judged
 * (src/files/read-regular.ts): a name swapped for a FIFO fails at once.
 */
export function readBodyBytes(file: string, relPath: string, signature: FileSignature, offset: number): Buffer {
  let fd: number;
  let stats: Stats;
  try {
    ({ fd, stats } = openRegularSync(file, signature.size));
  } catch (err) {
    if (err instanceof UnreadableFile && err.code === undefined) throw new BodyUnavailable(relPath, `changed on disk since it was read: it ${err.message}`);
    throw new BodyUnavailable(relPath, `cannot be read: ${(err as Error).message}`);
  }
  try {
    if (!sameSignature(stats, signature)) {
      throw new BodyUnavailable(relPath, 'changed on disk since it was read, so the text of this version is gone; it is read again on the next request');
    }
    return readFromSync(fd, offset, Math.max(0, signature.size - offset));
  } finally {
    closeSync(fd);
  }
}

/** A post file as read to be parsed: its first bytes (or all of them) and the version they are of. */
export interface PostBytes {
  readonly bytes: Buffer;
  /** False when `bytes` is only the head: the file goes on past it. */
  readonly whole: boolean;
  /** The file's `fstat` when it was opened: the version read. */
  readonly stats: Stats;
  /** True when the file changed while it was read (a write in progress): the bytes may be torn. */
  readonly changedWhileRead: boolean;
}

/**
 * Reads a post file to parse it: opened without blocking and judged on the
 * descriptor (a regular file of at most `maxBytes`: a FIFO, a device or an
 * oversized file throws `UnreadableFile`), then the first `headBytes` of it
 * cut after their last complete line (so no UTF-8 character is cut in two),
 * or the whole file when it is that short or no head is asked for.
 */
export function readPostBytes(file: string, maxBytes: number, headBytes = Number.POSITIVE_INFINITY): PostBytes {
  const { fd, stats } = openRegularSync(file, maxBytes, 'the limit for a post (MAX_POST_BYTES)');
  try {
    // One byte more than the head: a file that ends right at `headBytes` is whole.
    const wanted = Math.min(stats.size, headBytes === Number.POSITIVE_INFINITY ? stats.size : headBytes + 1);
    const read = readFromSync(fd, 0, wanted);
    const changedWhileRead = !sameSignature(fstatSync(fd), stats);
    if (read.length <= headBytes && read.length >= stats.size) return { bytes: read, whole: true, stats, changedWhileRead };
    const lastLine = read.lastIndexOf(0x0a, Math.min(read.length, headBytes) - 1);
    return { bytes: Buffer.from(read.subarray(0, lastLine + 1)), whole: false, stats, changedWhileRead };
  } finally {
    closeSync(fd);
  }
}
