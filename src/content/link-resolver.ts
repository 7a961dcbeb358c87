/**
 * Links and images resolve as on GitHub (docs/moving-from-another-generator.md,
 * "Links and images"): a relative reference against the folder of the file
 * that holds it, a link to another post's source file (`../next.md#part`)
 * to that post's address, and a wikilink (`[[Note]]`, `![[x.png]]`) to the
 * note or file of that name anywhere in the content folder (Obsidian's rule:
 * the one match, else the one in the same folder, else the shortest path).
 *
 * Pure: the renderer (on a render thread) and `npm run check` (on the main
 * thread) call the same functions with the same `LinkSite`, so a page and
 * its check agree. A media file is served at its place in the content folder
 * (`content/2020/images/x.png` is `/2020/images/x.png`, src/routes/static-files.ts);
 * a page bundle's own files keep their bundle address (`/posts/<slug>/x.png`).
 */
import { safeDecode } from './safe-decode.js';
import { bundleFileUrl, postUrl } from './urls.js';

/** What the site holds, for resolving: made once per change of the folder (src/content/link-site.ts). */
export interface LinkSite {
  /** Post and page sources by path relative to the content folder (`2020/next.md`), to their address. */
  readonly sources: ReadonlyMap<string, string>;
  /** Media files listed in folders of posts, by path relative to the content folder. */
  readonly media: ReadonlySet<string>;
}

/** The file a reference is written in. */
export interface LinkFrom {
  /** Its path relative to the content folder (`2020/post.md`). */
  readonly relPath: string;
  /** Its page bundle (or Hexo asset folder), whose files are served at `/posts/<slug>/…`. */
  readonly bundle?: { readonly slug: string; readonly dir: string } | undefined;
}

export interface Resolved {
  /** The address to write in the page (`#` for a reference that climbs out of the content folder). */
  readonly url: string;
  /** The path tried, relative to the content folder (`images/x.png`), for `check`. */
  readonly tried: string;
  /** What it names: a file (maybe missing), a post's source, or nothing the site can serve. */
  readonly kind: 'file' | 'bundle-file' | 'post' | 'missing-post' | 'outside';
}

/** A scheme (`https:`, `mailto:`), a site path or a fragment: not relative. */
const NOT_RELATIVE = /^([a-z][a-z0-9+.-]*:|\/|#)/i;
const MARKDOWN = /\.(md|markdown|mdx|mkd|mdown)$/i;

/** True for a reference this module resolves (relative, with a path). */
export function isRelativeRef(ref: string): boolean {
  return ref !== '' && !NOT_RELATIVE.test(ref) && !/^[?]/.test(ref);
}

/**
 * The address of a relative reference written in `from`, or `undefined`
 * for one that is not relative (left as written). Without `site` (a render
 * that was not given one) only the path is worked out: a file there, or the bundle's.
 */
export function resolveRef(ref: string, from: LinkFrom, site?: LinkSite): Resolved | undefined {
  if (!isRelativeRef(ref)) return undefined;
  const cut = ref.search(/[?#]/);
  const pathPart = cut < 0 ? ref : ref.slice(0, cut);
  const suffix = cut < 0 ? '' : ref.slice(cut);
  const own = folderOf(from.relPath);
  const target = joinPath(own, pathPart);
  if (target === undefined) return { url: '#', tried: pathPart, kind: 'outside' };
  const bundle = from.bundle;
  if (bundle) {
    const inBundle = relativeTo(bundle.dir, target);
    // The bundle's folder itself (`./`) is the post.
    if (inBundle === '' && bundle.dir === own) return { url: postUrl(bundle.slug) + suffix, tried: from.relPath, kind: 'post' };
    if (inBundle !== undefined && inBundle !== '')
      return { url: bundleFileUrl(bundle.slug, encodePath(inBundle)) + suffix, tried: target, kind: 'bundle-file' };
  }
  if (MARKDOWN.test(target)) {
    const url = site?.sources.get(target);
    if (url !== undefined) return { url: url + fragmentOf(suffix), tried: target, kind: 'post' };
    return { url: contentFileUrl(target) + suffix, tried: target, kind: 'missing-post' };
  }
  // Hexo's asset folder (`post.md` beside `post/`): `x.png` is `post/x.png` unless a file of that name is beside the post.
  if (bundle && bundle.dir !== own && !site?.media.has(target)) {
    const inAssets = joinPath(bundle.dir, pathPart);
    const rest = inAssets === undefined ? undefined : relativeTo(bundle.dir, inAssets);
    if (rest) return { url: bundleFileUrl(bundle.slug, encodePath(rest)) + suffix, tried: inAssets!, kind: 'bundle-file' };
  }
  if (target === '') return undefined;
  return { url: contentFileUrl(target) + suffix, tried: target, kind: 'file' };
}

/**
 * The address a media file of the content folder is served at: its path,
 * percent-encoded; a file of `static/` at the root, as src/content/static-files.ts serves it.
 */
export function contentFileUrl(relPath: string): string {
  const inStatic = relativeTo('static', relPath);
  return `/${encodePath(inStatic || relPath)}`;
}

/** The folder of a path relative to the content folder (`''` at the top). */
export function folderOf(relPath: string): string {
  const at = relPath.lastIndexOf('/');
  return at < 0 ? '' : relPath.slice(0, at);
}

/** `ref`'s path (percent-decoded, `.` and `..` applied) under `folder`, or `undefined` when it climbs out of the content folder. */
function joinPath(folder: string, ref: string): string | undefined {
  const segments = folder ? folder.split('/') : [];
  for (const raw of ref.split(/[/\\]/)) {
    // Browsers treat `%2e%2e` as `..` (WHATWG URL, "double-dot path segment").
    const segment = safeDecode(raw);
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (!segments.length) return undefined;
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return segments.join('/');
}

/** `target` under `folder` (`''` for the folder itself), or `undefined` when it is not inside it. */
function relativeTo(folder: string, target: string): string | undefined {
  if (target === folder) return '';
  return target.startsWith(`${folder}/`) ? target.slice(folder.length + 1) : undefined;
}

function encodePath(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

/** A link to a post keeps its fragment (`#section`); a query would mean nothing to a page. */
function fragmentOf(suffix: string): string {
  const at = suffix.indexOf('#');
  return at < 0 ? '' : suffix.slice(at);
}

/** The parts of a wikilink's inside (`Note#Heading|label`, `x.png|300`). */
export interface Wikilink {
  readonly target: string;
  readonly heading: string | undefined;
  /** The text after `|`: the label of a link, the size of an embedded image (`300`, `300x200`). */
  readonly alias: string | undefined;
}

export function parseWikilink(inner: string): Wikilink {
  const bar = inner.indexOf('|');
  const body = bar < 0 ? inner : inner.slice(0, bar);
  const alias = bar < 0 ? undefined : inner.slice(bar + 1).trim() || undefined;
  const hash = body.indexOf('#');
  const target = (hash < 0 ? body : body.slice(0, hash)).trim();
  const heading = hash < 0 ? undefined : body.slice(hash + 1).trim() || undefined;
  return { target, heading, alias };
}

/**
 * The note or file a wikilink names, by name anywhere in the content folder
 * (its path relative to the content folder), or `undefined`. A target with
 * a folder (`notes/Idea`) matches paths that end with it. Of several
 * matches, the one in `from`'s own folder, else the shortest path, else the
 * first in order (Obsidian's "shortest path when possible").
 */
export function findWikiTarget(target: string, from: LinkFrom, site: LinkSite): string | undefined {
  const wanted = target.replace(/^\/+/, '').toLowerCase();
  if (!wanted) return undefined;
  const isNote = !/\.[a-z0-9]{1,5}$/i.test(wanted) || MARKDOWN.test(wanted);
  const key = isNote ? wanted.replace(MARKDOWN, '') : wanted;
  const last = key.slice(key.lastIndexOf('/') + 1);
  const candidates = (nameIndex(site, isNote).get(last) ?? []).filter((relPath) => {
    const name = (isNote ? noteNameOf(relPath) : relPath).toLowerCase();
    return name === key || name.endsWith(`/${key}`);
  });
  if (candidates.length <= 1) return candidates[0];
  const own = folderOf(from.relPath);
  const beside = candidates.filter((c) => folderOf(c) === own);
  if (beside.length === 1) return beside[0];
  return candidates.sort((a, b) => a.split('/').length - b.split('/').length || a.length - b.length || (a < b ? -1 : 1))[0];
}

/** A note's name with its folders: `2020/idea.md` is `2020/idea`, a bundle `idea/index.md` is `idea`. */
function noteNameOf(relPath: string): string {
  return relPath.replace(/\/index\.(md|markdown|mdx)$/i, '').replace(MARKDOWN, '');
}

/** Notes (or media files) by their lower-cased last name: made once per site, on the thread that resolves. */
function nameIndex(site: LinkSite, notes: boolean): ReadonlyMap<string, readonly string[]> {
  let indexes = NAME_INDEXES.get(site);
  if (!indexes) NAME_INDEXES.set(site, (indexes = {}));
  const known = notes ? indexes.notes : indexes.media;
  if (known) return known;
  const index = new Map<string, string[]>();
  for (const relPath of notes ? site.sources.keys() : site.media) {
    const name = notes ? noteNameOf(relPath) : relPath;
    const last = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
    const list = index.get(last);
    if (list) list.push(relPath);
    else index.set(last, [relPath]);
  }
  if (notes) indexes.notes = index;
  else indexes.media = index;
  return index;
}

const NAME_INDEXES = new WeakMap<LinkSite, { notes?: Map<string, string[]>; media?: Map<string, string[]> }>();
