/**
 * Third-party files the pages link to, self-hosted under `/_lede`: KaTeX's
 * stylesheet with its fonts (pages with math) and mermaid's browser script
 * (pages with diagrams).
 *
 * Each package is served from a folder named for a hash of its bytes
 * (`/_lede/katex-<hash>/katex.min.css`, its fonts at `…/fonts/…` beside it),
 * made once at start-up, so the files can be cached for a year as
 * immutable: an upgrade changes the folder, never the bytes behind a URL. A
 * hash in a query string would not do: the stylesheet's relative `url(fonts/…)`
 * drops the query, so the fonts would keep one URL across versions.
 *
 * Only the files the pages use are served (an allow-list per package), not
 * the rest of the package.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { vendorAssetUrl } from '../content/urls.js';
import { IMMUTABLE_CACHE_CONTROL } from '../headers/site-headers.js';

/** One package's folder of served files. */
export interface VendorPackage {
  /** The URL folder name: the package name and the hash (`katex-3f2a9c0d1e`). */
  readonly folder: string;
  /** Where its files are on disk. */
  readonly dir: string;
  /** The files served, relative to `dir`, `/`-separated. */
  readonly files: readonly string[];
}

/** The URLs views link to, and the packages behind them. */
export interface VendorAssets {
  readonly katexCss: string;
  readonly mermaidJs: string;
  readonly packages: readonly VendorPackage[];
}

/** A year (src/headers/site-headers.ts): each package sits in a folder named for a hash of its bytes. */
export { IMMUTABLE_CACHE_CONTROL };

const require = createRequire(import.meta.url);

/** Reads and hashes the packages' files: once, at start-up. */
export function loadVendorAssets(): VendorAssets {
  const katexDir = path.dirname(require.resolve('katex'));
  const katex = vendorPackage('katex', katexDir, [
    'katex.min.css',
    // Every format the stylesheet names (browsers fetch the woff2; the others are fallbacks it links).
    ...readdirSync(path.join(katexDir, 'fonts'))
      .filter((f) => /\.(woff2|woff|ttf)$/.test(f))
      .sort()
      .map((f) => `fonts/${f}`),
  ]);
  // `mermaid` resolves to its ESM core; the IIFE bundle beside it needs no module loader and no other file.
  const mermaidDir = path.dirname(require.resolve('mermaid'));
  const mermaid = vendorPackage('mermaid', mermaidDir, ['mermaid.min.js']);
  return {
    katexCss: vendorAssetUrl(katex.folder, 'katex.min.css'),
    mermaidJs: vendorAssetUrl(mermaid.folder, 'mermaid.min.js'),
    packages: [katex, mermaid],
  };
}

function vendorPackage(name: string, dir: string, files: readonly string[]): VendorPackage {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)));
  return { folder: `${name}-${hash.digest('hex').slice(0, 10)}`, dir, files };
}

/** Serves each package's allowed files under its hashed folder, cached for a year. */
export function vendorAssetRoutes(assets: VendorAssets): Router {
  const router = Router();
  for (const pkg of assets.packages) {
    const allowed = new Set(pkg.files);
    const serve = express.static(pkg.dir, { index: false, fallthrough: true, cacheControl: false, dotfiles: 'deny' });
    router.use(vendorAssetUrl(pkg.folder, ''), (req, res, next) => {
      // File names are plain ASCII: compared as sent, no decoding to go wrong.
      if (!allowed.has(req.path.slice(1))) return next();
      res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
      serve(req, res, next);
    });
  }
  return router;
}
