/**
 * Third-party files the pages link to, self-hosted under `/_lede`: KaTeX's
 * stylesheet with its fonts (pages with math), mermaid's browser script
 * (pages with diagrams), and the text and interface faces of every page
 * (Source Serif 4 and Source Sans 3 from their `@fontsource` packages: the
 * Latin subset as woff2, five files, with a stylesheet of `@font-face` rules
 * made here; docs/themes.md, "Type").
 *
 * Each package is served from a folder named for a hash of its version and
 * its served files' names and sizes (`/_lede/katex-<hash>/katex.min.css`,
 * its fonts at `…/fonts/…` beside it), made once per process, so the files
 * can be cached for a year as immutable: an upgrade changes the folder,
 * never the bytes behind a URL. Reading and hashing the bytes themselves
 * (mermaid's script is 3 MB) held the event loop 40 to 100 ms at every
 * start, and told nothing an upgrade's version does not. A
 * hash in a query string would not do: the stylesheet's relative `url(fonts/…)`
 * drops the query, so the fonts would keep one URL across versions.
 *
 * Only the files the pages use are served (an allow-list per package), not
 * the rest of the package.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { makeRepresentation, type Representation } from '../cache/representation.js';
import { etagFor, negotiateEncoding } from '../cache/send.js';
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

/**
 * A file made at start-up rather than read from a package (the fonts'
 * stylesheet, the page stylesheet), served from its own hashed folder, and
 * compressed once, then, for the clients that accept it.
 */
export interface GeneratedAsset {
  /** Its URL, under a folder named for a hash of its bytes. */
  readonly url: string;
  readonly type: string;
  readonly body: Buffer;
  /** The body gzipped and as brotli, when smaller. */
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
  /** Its bytes in each encoding, for their ETags (src/cache/send.ts). */
  readonly rep: Representation;
}

/**
 * The page stylesheet: the built-in `public/style.css` with the bundled
 * faces' `@font-face` rules folded in (`bundled`), or without them for
 * `fonts: system`; one render-blocking request where there were two, sent
 * compressed and cached for a year under a hashed folder (a request and
 * about 25 KB less before a page's first paint on a slow phone; docs/themes.md,
 * "Lighthouse with a brand colour").
 */
export interface PageStylesheets {
  readonly bundled: string;
  readonly system: string;
}

/** The URLs views link to, and the packages behind them. */
export interface VendorAssets {
  readonly katexCss: string;
  readonly mermaidJs: string;
  /** The `@font-face` rules of the bundled faces (linked unless the site's `fonts` is `system`). */
  readonly fontsCss: string;
  /** The faces the first screen of a page draws with, preloaded: the body text and the headlines. */
  readonly fontPreloads: readonly string[];
  /**
   * The page stylesheet in its two forms, or undefined when pages link
   * `/_lede/style.css` (and `fontsCss`) instead: a theme's own `style.css`,
   * or development, where an edit of `public/style.css` shows on reload.
   */
  readonly pageCss: PageStylesheets | undefined;
  readonly packages: readonly VendorPackage[];
  readonly generated: readonly GeneratedAsset[];
}

/** A face of the bundled type: its family as the stylesheet names it, the package, weight and style. */
interface Face {
  readonly family: string;
  readonly pkg: string;
  readonly weight: number;
  readonly style: 'normal' | 'italic';
  readonly preload?: boolean;
}

/**
 * The bundled type. Running text in Source Serif 4 (regular, italic, and
 * semibold for headlines, headings and strong words), the interface in
 * Source Sans 3 (regular, semibold). Bold italic is drawn from the italic.
 * Latin subset only: about 93 KB in all, within the 120 KB an article page
 * may spend on fonts (test/browser/look.test.ts).
 */
const FACES: readonly Face[] = [
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', weight: 400, style: 'normal', preload: true },
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', weight: 400, style: 'italic' },
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', weight: 600, style: 'normal', preload: true },
  { family: 'Source Sans 3', pkg: '@fontsource/source-sans-3', weight: 400, style: 'normal' },
  { family: 'Source Sans 3', pkg: '@fontsource/source-sans-3', weight: 600, style: 'normal' },
];

/**
 * Fallback faces scaled to the bundled ones' widths, so the text laid out
 * before a face arrives wraps as it will after (`font-display: swap` moves
 * nothing, or little). Times New Roman and Arial, or their metric twins
 * Liberation Serif and Liberation Sans, are on most systems; DejaVu is the
 * default on many Linux systems that have neither (and on the machine the
 * Lighthouse runs are made on), so it has fallbacks of its own, one family
 * further down the stack (public/style.css). `size-adjust` is the width of a
 * paragraph of English set in the bundled face over its width in the
 * fallback, measured in Chromium (test/browser/look.test.ts checks the
 * shift when the faces arrive late). The ascent, descent and line gap are
 * the bundled face's (`METRICS`), so a line of `line-height: normal` (a
 * button, a search box) is as tall before the swap as after; their range is
 * the bundled faces' (Latin), so a character those lack is drawn by the
 * next font of the stack, as it is after the swap. A system with none of
 * them gets the next font of the stack, unscaled.
 */
const FALLBACKS: readonly { family: string; weight: number; style: 'normal' | 'italic'; locals: readonly string[]; sizeAdjust: number }[] = [
  { family: 'Source Serif 4 Fallback', weight: 400, style: 'normal', locals: ['Times New Roman', 'Liberation Serif'], sizeAdjust: 116.4 },
  { family: 'Source Serif 4 Fallback', weight: 400, style: 'italic', locals: ['Times New Roman Italic', 'Liberation Serif Italic'], sizeAdjust: 107.5 },
  { family: 'Source Serif 4 Fallback', weight: 600, style: 'normal', locals: ['Times New Roman Bold', 'Liberation Serif Bold'], sizeAdjust: 111.3 },
  { family: 'Source Sans 3 Fallback', weight: 400, style: 'normal', locals: ['Arial', 'Liberation Sans'], sizeAdjust: 92.8 },
  { family: 'Source Sans 3 Fallback', weight: 600, style: 'normal', locals: ['Arial Bold', 'Liberation Sans Bold'], sizeAdjust: 89 },
  { family: 'Source Serif 4 DejaVu', weight: 400, style: 'normal', locals: ['DejaVu Serif'], sizeAdjust: 92.6 },
  { family: 'Source Serif 4 DejaVu', weight: 400, style: 'italic', locals: ['DejaVu Serif Italic'], sizeAdjust: 84.9 },
  { family: 'Source Serif 4 DejaVu', weight: 600, style: 'normal', locals: ['DejaVu Serif Bold'], sizeAdjust: 85.1 },
  { family: 'Source Sans 3 DejaVu', weight: 400, style: 'normal', locals: ['DejaVu Sans'], sizeAdjust: 82 },
  { family: 'Source Sans 3 DejaVu', weight: 600, style: 'normal', locals: ['DejaVu Sans Bold'], sizeAdjust: 74.8 },
];

/** The bundled faces' ascent, descent and line gap, in % of the em, as Chromium lays them out (the same for each weight and style). */
const METRICS: Record<'serif' | 'sans', { ascent: number; descent: number; lineGap: number }> = {
  serif: { ascent: 104, descent: 34, lineGap: 0 },
  sans: { ascent: 102, descent: 40, lineGap: 0 },
};

/** The Latin subset's code points, as fontsource's own stylesheets give them. */
const LATIN_RANGE =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';

/** A year (src/headers/site-headers.ts): each package sits in a folder named for a hash of its bytes. */
export { IMMUTABLE_CACHE_CONTROL };

const require = createRequire(import.meta.url);

/** Found per built-in stylesheet path ('' for none): once per process, the packages and Lede's own files do not change under it. */
const loaded = new Map<string, VendorAssets>();

/**
 * The packages' files and their folders, and the page stylesheets.
 * `builtInCss`, the path of `public/style.css`, makes the page stylesheets
 * from it; left out, pages link the stylesheet and the fonts' rules apart.
 */
export function loadVendorAssets(builtInCss?: string): VendorAssets {
  const key = builtInCss ?? '';
  let assets = loaded.get(key);
  if (!assets) loaded.set(key, (assets = findVendorAssets(builtInCss)));
  return assets;
}

function findVendorAssets(builtInCss: string | undefined): VendorAssets {
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
  const fonts = loadFonts();
  const pageCss = builtInCss === undefined ? undefined : pageStylesheets(readFileSync(builtInCss), fonts.css.body);
  return {
    katexCss: vendorAssetUrl(katex.folder, 'katex.min.css'),
    mermaidJs: vendorAssetUrl(mermaid.folder, 'mermaid.min.js'),
    fontsCss: fonts.css.url,
    fontPreloads: fonts.preloads,
    pageCss: pageCss && { bundled: pageCss.bundled.url, system: pageCss.system.url },
    packages: [katex, mermaid, ...fonts.packages],
    generated: [fonts.css, ...(pageCss ? [pageCss.bundled, pageCss.system] : [])],
  };
}

/** The built-in stylesheet with the fonts' rules first (`bundled`), and alone (`system`). */
function pageStylesheets(css: Buffer, fontRules: Buffer): { bundled: GeneratedAsset; system: GeneratedAsset } {
  return {
    bundled: generatedAsset('style', 'style.css', CSS_TYPE, Buffer.concat([fontRules, css])),
    system: generatedAsset('style', 'style.css', CSS_TYPE, css),
  };
}

const CSS_TYPE = 'text/css; charset=utf-8';

/** A generated file at `/_lede/<name>-<hash>/<file>`, compressed now. */
function generatedAsset(name: string, file: string, type: string, body: Buffer): GeneratedAsset {
  const folder = `${name}-${createHash('sha256').update(body).digest('hex').slice(0, 10)}`;
  const rep = makeRepresentation(body, type);
  return { url: vendorAssetUrl(folder, file), type, body, gzip: rep.gzip, br: rep.br, rep };
}

/** Each font package's woff2 files (a folder each), and the stylesheet naming them. */
function loadFonts(): { packages: VendorPackage[]; css: GeneratedAsset; preloads: string[] } {
  const packages = new Map<string, VendorPackage>();
  const fileOf = (face: Face) => `${face.pkg.split('/')[1]}-latin-${face.weight}-${face.style}.woff2`;
  for (const pkg of new Set(FACES.map((f) => f.pkg))) {
    // `@fontsource/x` resolves to its index.css, at the top of the package; the fonts are in `files/`.
    const dir = path.join(path.dirname(require.resolve(pkg)), 'files');
    const files = FACES.filter((f) => f.pkg === pkg).map(fileOf);
    packages.set(pkg, vendorPackage(pkg.split('/')[1]!, dir, files));
  }
  const urlOf = (face: Face) => vendorAssetUrl(packages.get(face.pkg)!.folder, fileOf(face));
  const rules = FACES.map(
    (face) =>
      `@font-face {\n  font-family: "${face.family}";\n  font-style: ${face.style};\n  font-weight: ${face.weight};\n  font-display: swap;\n` +
      `  src: url(${urlOf(face)}) format("woff2");\n  unicode-range: ${LATIN_RANGE};\n}\n`,
  );
  const fallbacks = FALLBACKS.map((f) => {
    const m = METRICS[f.family.startsWith('Source Sans') ? 'sans' : 'serif'];
    // The overrides are scaled by `size-adjust` in turn, so each is divided by it here.
    const override = (value: number) => `${+((value / f.sizeAdjust) * 100).toFixed(2)}%`;
    return (
      `@font-face {\n  font-family: "${f.family}";\n  font-style: ${f.style};\n  font-weight: ${f.weight};\n` +
      `  src: ${f.locals.map((name) => `local("${name}")`).join(', ')};\n  size-adjust: ${f.sizeAdjust}%;\n` +
      `  ascent-override: ${override(m.ascent)};\n  descent-override: ${override(m.descent)};\n  line-gap-override: ${override(m.lineGap)};\n` +
      // Only where the bundled face has glyphs: a character it lacks (an envelope, an arrow) comes from further down the stack, swap or not.
      `  unicode-range: ${LATIN_RANGE};\n}\n`
    );
  });
  const body = Buffer.from(
    `/* Source Serif 4 and Source Sans 3 (SIL Open Font License 1.1), Latin subset, and fallbacks of their widths: src/http/vendor-assets.ts */\n${[...rules, ...fallbacks].join('')}`,
  );
  return {
    packages: [...packages.values()],
    css: generatedAsset('fonts', 'fonts.css', CSS_TYPE, body),
    preloads: FACES.filter((f) => f.preload).map(urlOf),
  };
}

function vendorPackage(name: string, dir: string, files: readonly string[]): VendorPackage {
  const hash = createHash('sha256').update(versionOf(dir)).update('\0');
  for (const file of files) hash.update(`${file}\0${statSync(path.join(dir, file)).size}\0`);
  return { folder: `${name}-${hash.digest('hex').slice(0, 10)}`, dir, files };
}

/** The version in the `package.json` of the package `dir` is in (the nearest one up from it). */
function versionOf(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    const manifest = path.join(at, 'package.json');
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
      if (typeof version === 'string') return version;
    }
    if (path.dirname(at) === at) throw new Error(`${dir}: no package.json with a version above it`);
  }
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
  for (const asset of assets.generated) {
    const compressed = asset.gzip !== undefined || asset.br !== undefined;
    router.get(asset.url, (req, res) => {
      res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
      let body = asset.body;
      let encoding: 'br' | 'gzip' | 'identity' = 'identity';
      if (compressed) {
        res.setHeader('Vary', 'Accept-Encoding');
        const wanted = negotiateEncoding(req.headers['accept-encoding']);
        const chosen = wanted === 'br' ? asset.br : wanted === 'gzip' ? asset.gzip : undefined;
        if (chosen) {
          res.setHeader('Content-Encoding', wanted!);
          body = chosen;
          encoding = wanted!;
        }
      }
      // Each encoding's bytes have an ETag of their own, made once (the app's own ETags are off).
      res.setHeader('ETag', etagFor(asset.rep, encoding));
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type(asset.type).send(body);
    });
  }
  return router;
}
