/**
 * The files of a static export as they are written into its staging folder:
 * each answer at the one file of its URL (src/cli/export-layout.ts), with a
 * `.gz` and a `.br` beside each text file, and what a file system cannot
 * hold (a clash, a name too long) kept aside to be reported instead of
 * failing the export (docs/deploying.md, "One file per address").
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { ServedFile } from './export-headers.js';
import { fileSegments, isCanonicalSpelling, pageFile, PRECOMPRESSED, under } from './export-layout.js';
import { exportLayout } from './export-plan.js';

/** Types written with precompressed copies beside them. */
const TEXT_TYPE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|manifest\+json)|image\/svg\+xml)/;

/** Errors a file name can cause (too long, not valid on this file system, clashing with another): skipped, not fatal. */
const NAME_ERRORS = new Set(['ENAMETOOLONG', 'EEXIST', 'EISDIR', 'ENOTDIR', 'EILSEQ', 'EINVAL']);

/** A URL the live site answers that gets no file, and why. */
export interface SkippedUrl {
  readonly url: string;
  /** The page that linked to it; undefined for a starting point. */
  readonly from: string | undefined;
  readonly why: string;
}

/** A redirect the crawl met: written as a page that forwards, after every page and file has its place. */
export interface Redirect {
  readonly path: string;
  readonly to: string;
  readonly from: string | undefined;
}

export class ExportOutput {
  /** Every URL path written. */
  readonly written: string[] = [];
  readonly skipped: SkippedUrl[] = [];
  /** Each file written for a URL, with the headers the live server sent it (for src/cli/export-headers.ts). */
  readonly servedFiles: ServedFile[] = [];
  /** Files written (the precompressed ones included), and their bytes. */
  files = 0;
  bytes = 0;
  private readonly layout = exportLayout();

  constructor(private readonly staging: string) {}

  /** Writes `body` at `relFile` in the staging folder, with its precompressed copies when it is text. */
  async write(relFile: string, body: Buffer, type: string): Promise<void> {
    const file = under(this.staging, relFile);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // `wx`: a file is written once; the layout has already refused any second claim.
    await fs.writeFile(file, body, { flag: 'wx' });
    this.files++;
    this.bytes += body.length;
    if (TEXT_TYPE.test(type)) {
      const gz = gzipSync(body, { level: 9 });
      const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
      await fs.writeFile(`${file}.gz`, gz, { flag: 'wx' });
      await fs.writeFile(`${file}.br`, br, { flag: 'wx' });
      this.files += 2;
      this.bytes += gz.length + br.length;
    }
  }

  /** Keeps the headers the live server sent with the file at `relFile` (`/`-separated, from the root). */
  keepHeaders(urlPath: string, relFile: string, headers: IncomingHttpHeaders | undefined): void {
    const one = (name: string): string | undefined => {
      const value = headers?.[name];
      return typeof value === 'string' ? value : undefined;
    };
    this.servedFiles.push({
      urlPath,
      file: `/${relFile}`,
      csp: one('content-security-policy'),
      cacheControl: one('cache-control'),
      contentType: one('content-type'),
    });
  }

  /**
   * Writes what `urlPath` answered at its one file, unless that file cannot be had;
   * `headers`: what the live server sent with it (none for a redirect's page).
   */
  async place(urlPath: string, from: string | undefined, body: Buffer, type: string, asPage: boolean, headers?: IncomingHttpHeaders): Promise<void> {
    const segments = fileSegments(urlPath);
    if (segments instanceof Error) return void this.skipped.push({ url: urlPath, from, why: segments.message });
    const file = asPage ? pageFile(segments) : segments.join('/');
    const clash = this.layout.claim(urlPath, TEXT_TYPE.test(type) ? [file, ...PRECOMPRESSED.map((ext) => `${file}${ext}`)] : [file]);
    if (clash) {
      // Another spelling of a URL already written (`/a%21.png` and `/a!.png`): nothing is lost.
      if (!clash.sameFile) this.skipped.push({ url: urlPath, from, why: clash.message });
      return;
    }
    try {
      await this.write(file, body, type);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      // What a name can cause is the content's problem, reported and skipped; a full disk is not.
      if (!NAME_ERRORS.has(code)) throw err;
      this.skipped.push({ url: urlPath, from, why: `the file system refused ${file} (${code})` });
      return;
    }
    this.written.push(urlPath);
    this.keepHeaders(urlPath, file, headers);
  }

  /** Writes the redirects as pages that forward, in path order, each where no page or file is. */
  async placeRedirects(redirects: readonly Redirect[]): Promise<void> {
    for (const redirect of [...redirects].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      // `/posts/%68ello` is another spelling of `/posts/hello`: a static server decodes it to
      // that page's own file, so it gets none (a redirect there would replace the page with one to itself).
      if (!isCanonicalSpelling(redirect.path) || sameFile(redirect.path, redirect.to)) continue;
      await this.place(redirect.path, redirect.from, Buffer.from(redirectPage(redirect.to)), 'text/html', true);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  const [fa, fb] = [fileSegments(a), fileSegments(b)];
  return !(fa instanceof Error) && !(fb instanceof Error) && fa.join('/') === fb.join('/');
}

function redirectPage(to: string): string {
  const href = to.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><meta charset="utf-8"><title>Moved</title><link rel="canonical" href="${href}"><meta http-equiv="refresh" content="0; url=${href}"><p><a href="${href}">This page has moved.</a></p>\n`;
}
