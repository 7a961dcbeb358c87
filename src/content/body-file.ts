/**
 * A post's body read from its file when it is needed (a render, the search
 * index), for stores whose bodies are not all held in memory: the store keeps
 * where the body starts and the file's signature, and a read checks the file
 * is still the version that was parsed (one `fstat` on the open file).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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

/** The bytes of `file` from `offset` on, in a buffer of their own (a render thread can take it), if the file is still `signature`. */
export function readBodyBytes(file: string, relPath: string, signature: FileSignature, offset: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new BodyUnavailable(relPath, `cannot be read: ${(err as Error).message}`);
  }
  try {
    if (!sameSignature(fstatSync(fd), signature)) {
      throw new BodyUnavailable(relPath, 'changed on disk since it was read, so the text of this version is gone; it is read again on the next request');
    }
    const size = Math.max(0, signature.size - offset);
    const bytes = Buffer.allocUnsafeSlow(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return read < size ? bytes.subarray(0, read) : bytes;
  } finally {
    closeSync(fd);
  }
}

/** Where heads are read into before the bytes are copied out: one buffer, not one per file. */
let scratch = Buffer.allocUnsafeSlow(0);

/**
 * The first bytes of a file, up to `max`, cut after its last complete line
 * (so no UTF-8 character is cut in two), and whether that is the whole file.
 * `size` is the file's size as listed: a file that grew since reads as cut.
 */
export function readHead(file: string, max: number, size: number): { bytes: Buffer; whole: boolean } {
  if (scratch.length < max + 1) scratch = Buffer.allocUnsafeSlow(max + 1);
  const fd = openSync(file, 'r');
  let read = 0;
  try {
    // One byte more than wanted: a file that ends right at `max` is whole.
    const want = Math.min(size, max) + 1;
    while (read < want) {
      const n = readSync(fd, scratch, read, want - read, read);
      if (n === 0) break;
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  if (read <= max && read >= size) return { bytes: Buffer.from(scratch.subarray(0, read)), whole: true };
  const lastLine = scratch.lastIndexOf(0x0a, Math.min(read, max) - 1);
  return { bytes: Buffer.from(scratch.subarray(0, lastLine + 1)), whole: false };
}
