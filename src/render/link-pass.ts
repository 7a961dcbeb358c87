/**
 * The render's pass over a body's links and images, before it is written
 * out: each relative reference (markdown, raw HTML, wikilinks) becomes the
 * address src/content/link-resolver.ts gives it, from the file's own
 * folder. A reference that resolves to nothing stays as written (a wikilink
 * as its label); `npm run check` names it (src/content/link-refs.ts).
 */
import { slug } from 'github-slugger';
import type { Token, Tokens } from 'marked';
import { mapHtmlRefs } from '../content/html-refs.js';
import { findWikiTarget, resolveRef, type LinkFrom, type LinkSite } from '../content/link-resolver.js';
import { contentFileUrl } from '../content/link-resolver.js';
import type { WikilinkToken } from '../content/wikilinks.js';
import { bodyId } from './layout-ids.js';

/** Images a wikilink embed shows (others are linked). */
const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|ico)$/i;

export interface LinkContext {
  readonly from: LinkFrom;
  readonly site?: LinkSite | undefined;
}

/**
 * Rewrites the references of `tokens` in place; `walk` is the Marked
 * instance's token walk. True when the result depends on the other files of
 * the site (a link to a post's source, a wikilink): a new post may change it.
 */
export function resolveLinks(tokens: Token[], context: LinkContext, walk: (tokens: Token[], visit: (token: Token) => void) => void): boolean {
  const { from, site } = context;
  let usesSite = false;
  const resolve = (ref: string): string => {
    const resolved = resolveRef(ref, from, site);
    if (resolved?.kind === 'post' || resolved?.kind === 'missing-post') usesSite = true;
    return resolved?.url ?? ref;
  };
  walk(tokens, (token: Token) => {
    if (token.type === 'link' || token.type === 'image') {
      const t = token as Tokens.Link | Tokens.Image;
      t.href = resolve(t.href);
    } else if (token.type === 'html') {
      // Raw HTML resolves its relative paths as markdown does (`<img src="./possum.png">`).
      const t = token as Tokens.HTML;
      t.text = mapHtmlRefs(t.text, resolve);
    } else if (token.type === 'wikilink') {
      usesSite = true;
      resolveWikilink(token as WikilinkToken, from, site);
    }
  });
  return usesSite;
}

function resolveWikilink(token: WikilinkToken, from: LinkFrom, site: LinkSite | undefined): void {
  const { target, heading } = token.link;
  const anchor = heading ? `#${bodyId(slug(heading.toLowerCase()))}` : '';
  if (!target) {
    token.href = anchor;
    return;
  }
  const found = site && findWikiTarget(target, from, site);
  if (found === undefined) return;
  const source = site!.sources.get(found);
  if (source !== undefined) {
    token.href = source + anchor;
    return;
  }
  // A bundle's own file keeps its bundle address, as a relative reference to it does.
  const own = resolveRef(relativeFrom(from.relPath, found), from, site);
  token.href = own?.url ?? contentFileUrl(found);
  token.image = token.embed && IMAGE.test(found);
}

/** A path relative to the content folder, as a reference written in `relPath` (`../images/x.png`). */
function relativeFrom(relPath: string, target: string): string {
  const depth = relPath.split('/').length - 1;
  return `${'../'.repeat(depth)}${target.split('/').map(encodeURIComponent).join('/')}`;
}
