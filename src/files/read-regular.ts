/**
 * Files are opened, then judged (docs/security.md, "Files are opened, then
 * judged"). Opening by name and reading by name are two steps, and the name
 * can be pointed elsewhere between them: a `stat` that saw a regular file
 * says nothing about what `open()` meets a moment later. A FIFO blocks
 * `open()` until a writer comes (for good, once its name is gone), and
 * `/dev/zero` or a sparse file never ends. So every file the server reads
 * from a folder that authors write is:
 *
 * 1. opened with `O_NONBLOCK`, which returns at once whatever the name is
 *    (a FIFO, a device); on a regular file the flag changes nothing;
 * 2. judged on the descriptor (`fstat`): a regular file, within its size limit;
 * 3. read from that descriptor, up to the size `fstat` gave.
 *
 * A file that fails is an `UnreadableFile` whose message says what it is
 * ("is a FIFO, not a regular file"), for the content error that names it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Open for reading, never waiting for a writer (FIFO) or a device. */
export const OPEN_NOW = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** The file is not one the server will read: its message completes "<file> …". */
export class UnreadableFile extends Error {
  constructor(
    message: string,
    /** The errno code when `open()` itself failed (`ENOENT`, `EACCES`, `ELOOP`). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

/** What a file system object is, in words, for a message. */
export function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a regular file';
}

/** Throws unless `stats` is a regular file of at most `maxBytes`. */
export function judge(stats: Stats, maxBytes: number, what = 'the limit'): void {
  if (!stats.isFile()) throw new UnreadableFile(`is ${kindOf(stats)}, not a regular file`);
  if (stats.size > maxBytes) throw new UnreadableFile(`is ${formatSize(stats.size)}, over ${what} of ${formatSize(maxBytes)}`);
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function openFailed(err: unknown): UnreadableFile {
  const error = err as NodeJS.ErrnoException;
  return new UnreadableFile(`cannot be read: ${error.message}`, error.code);
}

/** Opens `file` without blocking and judges it: the descriptor and its `fstat`. The caller closes it. */
export function openRegularSync(file: string, maxBytes: number, what?: string): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(file, OPEN_NOW);
  } catch (err) {
    throw openFailed(err);
  }
  try {
    const stats = fstatSync(fd);
    judge(stats, maxBytes, what);
    return { fd, stats };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Reads `length` bytes from `position` of an open file into a buffer of its own; fewer when the file is shorter now. */
export function readFromSync(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Math.max(0, length));
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read < length ? bytes.subarray(0, read) : bytes;
}

/** The whole of a regular file of at most `maxBytes`, with the `fstat` it was read by. */
export function readRegularFileSync(file: string, maxBytes: number, what?: string): { bytes: Buffer; stats: Stats } {
  const { fd, stats } = openRegularSync(file, maxBytes, what);
  try {
    return { bytes: readFromSync(fd, 0, stats.size), stats };
  } finally {
    closeSync(fd);
  }
}

/** `openRegularSync` without blocking the event loop: the handle and its `stat`. The caller closes it. */
export async function openRegular(file: string, maxBytes: number, what?: string): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_NOW);
  } catch (err) {
    throw openFailed(err);
  }
  try {
    const stats = await handle.stat();
    judge(stats, maxBytes, what);
    return { handle, stats };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** `readRegularFileSync` without blocking the event loop. */
export async function readRegularFile(file: string, maxBytes: number, what?: string): Promise<{ bytes: Buffer; stats: Stats }> {
  const { handle, stats } = await openRegular(file, maxBytes, what);
  try {
    const bytes = Buffer.allocUnsafe(stats.size);
    let read = 0;
    while (read < stats.size) {
      const { bytesRead } = await handle.read(bytes, read, stats.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: read < stats.size ? bytes.subarray(0, read) : bytes, stats };
  } finally {
    await handle.close();
  }
}
