/**
 * Where the theme's files come from: `THEME_DIR/views/` and
 * `THEME_DIR/assets/` first, then the built-in `views/` and `public/`.
 * A file in the theme replaces the built-in file of the same relative path;
 * everything else falls back (docs/themes.md).
 *
 * A file of these folders is judged by its real target, like content
 * (docs/themes.md, "What a theme may hold"): a symlink must lead to a place
 * inside the folder's own real path, and the target must be a regular file
 * of at most `MAX_THEME_FILE_BYTES`. It is opened with `O_NONBLOCK` and
 * checked with `fstat` on the open handle, then read from that handle, so a
 * FIFO or a device put in the theme is a named error at once, never a read
 * that waits for ever (and nothing can swap the file between the check and
 * the read): the rules of src/files/read-regular.ts, as for content.
 */
import { existsSync, realpathSync, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { isInside } from '../files/inside.js';
import { judge, OPEN_NOW, readRegularFileSync, UnreadableFile } from '../files/read-regular.js';

type ThemeConfig = Pick<Config, 'themeDir' | 'viewsDir' | 'publicDir'>;

/** The largest file a theme folder may serve or compile (fonts and images included). */
export const MAX_THEME_FILE_BYTES = 16 * 1024 * 1024;

/** How the size limit is named in a refusal. */
const LIMIT_NAME = 'the limit of a theme file';

/** The folders views are looked up in, the theme's first. */
export function viewFolders(config: ThemeConfig): string[] {
  return config.themeDir ? [path.join(config.themeDir, 'views'), config.viewsDir] : [config.viewsDir];
}

/** The folders `/_lede/…` is served from, the theme's first. */
export function assetFolders(config: ThemeConfig): string[] {
  return config.themeDir ? [path.join(config.themeDir, 'assets'), config.publicDir] : [config.publicDir];
}

/** The theme's own `assets/` folder, when there is a theme. */
export function themeAssetFolder(config: ThemeConfig): string | undefined {
  return config.themeDir ? path.join(config.themeDir, 'assets') : undefined;
}

/** Whether the theme's `assets/` has a file of this name (replacing the built-in one at start-up); false without a theme. */
export function themeHasFile(config: ThemeConfig, rel: string): boolean {
  const dir = themeAssetFolder(config);
  return dir !== undefined && existsSync(path.join(dir, rel));
}

/** Every folder whose changes call for the views to be read again (the live-reload hub watches these). */
export function themeFolders(config: ThemeConfig): string[] {
  return [...viewFolders(config), ...assetFolders(config)];
}

/** A file of a theme folder that cannot be used, and why: it names the file. */
export class ThemeFileError extends Error {
  override name = 'ThemeFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} ${reason}`);
  }
}

/** Why the real target of a file cannot be used, or `undefined` when it can. */
function refusal(root: string, target: string): string | undefined {
  return isInside(root, target) ? undefined : 'is a symlink to a place outside its theme folder; it is not followed';
}

/** Why an open file cannot be read, from its `fstat` ("is a FIFO, not a regular file"), or `undefined` when it can. */
function unreadable(stats: Stats): string | undefined {
  try {
    judge(stats, MAX_THEME_FILE_BYTES, LIMIT_NAME);
    return undefined;
  } catch (err) {
    if (err instanceof UnreadableFile) return err.message;
    throw err;
  }
}

/** An open file of a theme folder: stream it, then close it. */
export interface ThemeFile {
  readonly target: string;
  readonly stats: Stats;
  /** The bytes the handle's `fstat` promised, streamed: a large font is never held whole per request. */
  stream(): NodeJS.ReadableStream;
  close(): Promise<void>;
}

/**
 * Opens `rel` inside `dir`, judged by its real target. `undefined` when it is
 * not there (or is a folder): the next folder may have it. A `ThemeFileError`
 * when it is there but may not be used.
 */
export async function openThemeFile(dir: string, rel: string): Promise<ThemeFile | undefined> {
  const file = path.join(dir, rel);
  const [root, target] = await Promise.all([realpath(dir).catch(() => undefined), realpath(file).catch(() => undefined)]);
  if (!root || !target) return undefined;
  const refused = refusal(root, target);
  if (refused) throw new ThemeFileError(file, refused);
  const handle = await open(target, OPEN_NOW).catch(() => undefined);
  if (!handle) return undefined;
  const stats = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (stats.isDirectory()) {
    await handle.close();
    return undefined;
  }
  const problem = unreadable(stats);
  if (problem) {
    await handle.close();
    throw new ThemeFileError(file, problem);
  }
  return {
    target,
    stats,
    stream: () => handle.createReadStream({ start: 0, end: Math.max(0, stats.size - 1), autoClose: false }),
    close: () => handle.close(),
  };
}

/**
 * The real path of `rel` inside `dir` when it is there and allowed, for the
 * view lookup (views are compiled synchronously, once: docs/themes.md);
 * `undefined` when it is not there; a `ThemeFileError` when it leads out.
 */
export function findThemeFileSync(dir: string, rel: string): string | undefined {
  const file = path.join(dir, rel);
  if (!isInside(dir, file)) return undefined;
  let root: string;
  let target: string;
  try {
    root = realpathSync(dir);
    target = realpathSync(file);
  } catch {
    return undefined;
  }
  const refused = refusal(root, target);
  if (refused) throw new ThemeFileError(file, refused);
  return file;
}

/**
 * Reads a view's text from a handle opened without blocking and checked by
 * `fstat`: a FIFO in `views/` is a named error, not a render that holds the
 * event loop until something writes to it.
 */
export function readThemeFileSync(file: string): string {
  try {
    return readRegularFileSync(file, MAX_THEME_FILE_BYTES, LIMIT_NAME).bytes.toString('utf8');
  } catch (err) {
    if (err instanceof UnreadableFile) throw new ThemeFileError(file, err.message);
    throw err;
  }
}
