/**
 * The file layout of a static export: which file each URL path is written
 * to, and which URL paths cannot have one. One file per canonical URL: a
 * file is claimed once and never written over, and a claim that would clash
 * with another (the same file, the same name in another case, a file where
 * another URL needs a folder, a name too long for a file system) is refused
 * with the reason, so the export reports it and goes on instead of failing
 * half-way with EEXIST or ENAMETOOLONG.
 *
 * Names are compared case-folded: an export is often copied to a file system
 * or an object store where `Hello` and `hello` are one name (macOS, Windows,
 * some CDNs), and there the second would silently replace the first.
 */
import path from 'node:path';
import { canonicalEncoding } from '../content/request-path.js';

/** The export's own files at its root: no page may be written over them. */
export const NOT_FOUND_FILE = '404.html';

/**
 * Longest file name written, in bytes: most file systems hold 255, and a
 * text file is written with a `.gz` and a `.br` beside it.
 */
export const MAX_NAME_BYTES = 255 - '.gz'.length;

/** Extensions of the precompressed copies written beside each text file. */
export const PRECOMPRESSED = ['.gz', '.br'] as const;

export class ExportLayout {
  /** Case-folded relative path -> what claimed it. */
  private readonly claims = new Map<string, Claim>();

  /** `reserved`: the export's own files (404 page, marker, headers file), claimed before any page. */
  constructor(reserved: readonly string[]) {
    for (const file of reserved) this.claims.set(fold(file), { urlPath: '', file, folder: false });
  }

  /**
   * Claims `files` (relative paths, `/`-separated) for `urlPath`, or says
   * why not when one of them, or a folder on their way, is taken (and then
   * claims nothing).
   */
  claim(urlPath: string, files: readonly string[]): Clash | undefined {
    for (const file of files) {
      const taken = this.claims.get(fold(file));
      if (taken) return clash(file, taken);
      const segments = file.split('/');
      for (let i = 1; i < segments.length; i++) {
        const folder = segments.slice(0, i).join('/');
        const owner = this.claims.get(fold(folder));
        if (owner && !owner.folder) return { sameFile: false, message: `it needs a folder ${folder}/, but that is ${whose(owner)}` };
      }
    }
    for (const file of files) {
      this.claims.set(fold(file), { urlPath, file, folder: false });
      const segments = file.split('/');
      for (let i = 1; i < segments.length; i++) {
        const folder = segments.slice(0, i).join('/');
        if (!this.claims.has(fold(folder))) this.claims.set(fold(folder), { urlPath, file: folder, folder: true });
      }
    }
    return undefined;
  }
}

export interface Clash {
  /** True when the other URL is another spelling of this one (the very same file): nothing to report. */
  readonly sameFile: boolean;
  readonly message: string;
}

function clash(file: string, taken: Claim): Clash {
  if (taken.folder) return { sameFile: false, message: `its file ${file} would be where ${taken.urlPath} needs a folder` };
  if (taken.file === file) return { sameFile: taken.urlPath !== '', message: `its file ${file} is ${whose(taken)}` };
  return { sameFile: false, message: `its file ${file} differs only in case from ${whose(taken)}, and many file systems and hosts take the two names for one` };
}

/** "the export's own file 404.html" or "posts/x/index.html, the file of /posts/x". */
function whose(claim: Claim): string {
  return claim.urlPath ? `${claim.file}, the file of ${claim.urlPath}` : `the export's own file ${claim.file}`;
}

interface Claim {
  /** Empty for the export's own files. */
  readonly urlPath: string;
  readonly file: string;
  readonly folder: boolean;
}

function fold(file: string): string {
  return file.normalize('NFC').toLowerCase();
}

/**
 * The segments of a URL path as file names, or why the path cannot be a
 * file of the export. The URL guard answers 400 to most of what is refused
 * here; this holds even for paths that never reached it.
 */
export function fileSegments(urlPath: string): string[] | Error {
  let segments: string[];
  try {
    segments = urlPath
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return new Error('it is not valid percent-encoding');
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0'))) {
    return new Error('it leaves the export folder');
  }
  const long = segments.find((s) => Buffer.byteLength(s) > MAX_NAME_BYTES);
  if (long !== undefined) {
    return new Error(
      `its segment "${long.slice(0, 24)}…" is ${Buffer.byteLength(long)} bytes long, and a file name holds at most ${MAX_NAME_BYTES} (255 with the .gz beside it)`,
    );
  }
  return segments;
}

/** `/posts/x` -> `posts/x/index.html` (`/` -> `index.html`): where a page is written. */
export function pageFile(segments: readonly string[]): string {
  return [...segments, 'index.html'].join('/');
}

/**
 * True when the URL guard would redirect `urlPath` to another spelling
 * (`/posts/%68ello` -> `/posts/hello`): that spelling never gets a file of
 * its own, the canonical one has it.
 */
export function isCanonicalSpelling(urlPath: string): boolean {
  return canonicalEncoding(urlPath) === urlPath;
}

/** A relative `/`-separated file as a path under `root`. */
export function under(root: string, file: string): string {
  return path.join(root, ...file.split('/'));
}
