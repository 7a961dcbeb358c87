/**
 * The folder that keeps generated images (variants, social cards) across
 * restarts: one file per name, written whole (a temporary file renamed into
 * place, so a reader never sees half a file), bounded by bytes with the
 * oldest files removed first. Everything in it can be made again, so it is
 * safe to delete at any time, and a file that vanished is simply made again.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Names are made by us (`<hash>-<width>.<format>`), never from a request. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,120}$/;

export class DiskCache {
  /** Name -> bytes and when it was made, oldest first; read from the folder on the first write (once, however many writes start together). */
  private files: Promise<Map<string, { size: number; madeAt: number }>> | undefined;
  private bytes = 0;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async read(name: string): Promise<Buffer | undefined> {
    if (!NAME.test(name)) return undefined;
    return readFile(path.join(this.dir, name)).catch(() => undefined);
  }

  /** Keeps `data` under `name`; a failure to write (a full or read-only disk) costs only the cache. */
  async write(name: string, data: Buffer): Promise<void> {
    if (!NAME.test(name)) throw new TypeError(`bad cache file name ${name}`);
    try {
      await mkdir(this.dir, { recursive: true });
      const files = await (this.files ??= this.index());
      const temporary = path.join(this.dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
      await writeFile(temporary, data);
      await rename(temporary, path.join(this.dir, name));
      const previous = files.get(name);
      if (previous) this.bytes -= previous.size;
      files.delete(name);
      files.set(name, { size: data.length, madeAt: Date.now() });
      this.bytes += data.length;
      await this.evict(files);
    } catch {
      // The variant is still served from memory; the next start makes it again.
    }
  }

  /** What the folder holds, oldest first (read once: this process is then the one that adds to it). */
  private async index(): Promise<Map<string, { size: number; madeAt: number }>> {
    const found: { name: string; size: number; madeAt: number }[] = [];
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!NAME.test(name)) continue;
      const stats = await stat(path.join(this.dir, name)).catch(() => undefined);
      if (stats?.isFile()) found.push({ name, size: stats.size, madeAt: stats.mtimeMs });
    }
    found.sort((a, b) => a.madeAt - b.madeAt);
    this.bytes = found.reduce((sum, f) => sum + f.size, 0);
    return new Map(found.map((f) => [f.name, { size: f.size, madeAt: f.madeAt }]));
  }

  private async evict(files: Map<string, { size: number; madeAt: number }>): Promise<void> {
    for (const [name, file] of files) {
      if (this.bytes <= this.maxBytes) break;
      files.delete(name);
      this.bytes -= file.size;
      await unlink(path.join(this.dir, name)).catch(() => undefined);
    }
  }
}
