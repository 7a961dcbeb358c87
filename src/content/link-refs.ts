/**
 * Checks the relative links and images of a post or page, for `npm run
 * check`, resolved exactly as the renderer resolves them
 * (src/content/link-resolver.ts): each one that names no file, no post, or
 * climbs out of the content folder is named with its line and the path
 * tried, and so is each wikilink that names no note or file. Never throws.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import { htmlRefs } from './html-refs.js';
import { lineOf as lineIn } from './line-at.js';
import { findWikiTarget, resolveRef, type LinkFrom, type LinkSite } from './link-resolver.js';
import type { ContentError, Post } from './post.js';
import { isServableBundlePath } from './servable-files.js';
import { walkTokens } from './walk-tokens.js';
import { wikilinks, type WikilinkToken } from './wikilinks.js';
import { renderedMarkdownOf } from './parse-post.js';

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/|#)/i;
/** `](target`, `[ref]: target`, `src="target"` whose target is not absolute, or a wikilink: a cheap test before lexing. */
const MAYBE_RELATIVE = /(\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:\s*<?|\s(?:src|href|poster|srcset)\s*=\s*["']?)(?![a-z][a-z0-9+.-]*:|\/|#|\))|\[\[/im;

/** GFM and wikilinks, as pages are lexed. */
const lexing = new Marked({ gfm: true, async: false }).use(wikilinks());

/** False when the body has no relative target and no wikilink, so only the hero needs checking (`linkRefProblems` lexes nothing). */
export function mayHoldRelativeRef(body: string): boolean {
  return MAYBE_RELATIVE.test(body);
}

/** Where the references of one file resolve. */
export interface LinkCheck {
  readonly from: LinkFrom;
  readonly site: LinkSite;
  /** The content folder, where the paths tried are looked for. */
  readonly contentDir: string;
  /** Check the hero image too (a post's; a page's is not in its bundle). */
  readonly hero?: boolean;
}

/**
 * `fileText` is called only when there is a problem to place (most posts have none).
 * `body` is the post's (given by `npm run check` when it has it, or knows the checks need none of it).
 */
export function linkRefProblems(post: Post, links: LinkCheck, fileText: () => string, body: string = renderedMarkdownOf(post)): ContentError[] {
  const problems: ContentError[] = [];
  const lineOf = (raw: string): number | undefined => lineIn(fileText(), raw);
  const problem = (raw: string, message: string): void => void problems.push({ file: post.relPath, line: lineOf(raw), message });
  const checkRef = (ref: string, raw: string, kind: 'image' | 'link'): void => {
    const why = whyUnresolved(ref, links);
    if (why) problem(raw, `${kind} "${ref}" ${why}`);
  };

  if (links.hero !== false) checkHero(post, links, problems);
  // Lexing is the slow part of a check: skip bodies with no relative target at all.
  if (!mayHoldRelativeRef(body)) return problems;
  let tokens: Token[];
  try {
    tokens = lexing.lexer(body);
  } catch {
    return problems;
  }
  walkTokens(tokens, (token) => {
    if (token.type === 'image' || token.type === 'link') {
      const t = token as Tokens.Image | Tokens.Link;
      checkRef(t.href, t.raw, token.type === 'image' ? 'image' : 'link');
    } else if (token.type === 'html') {
      // Raw HTML resolves its paths as markdown does (src/render/link-pass.ts), so it is checked the same way.
      const t = token as Tokens.HTML;
      for (const { ref, tag } of htmlRefs(t.text)) checkRef(ref, ref, tag === 'a' ? 'link' : 'image');
    } else if (token.type === 'wikilink') {
      const t = token as WikilinkToken;
      if (t.link.target && findWikiTarget(t.link.target, links.from, links.site) === undefined) {
        problem(
          t.raw,
          `${t.embed ? 'embed' : 'wikilink'} ${t.raw} names no note or file in the content folder (looked for "${t.link.target}" by name); it is shown as its text`,
        );
      }
    }
  });
  return problems;
}

/** Why `ref` leads nowhere, with the path tried; `undefined` when it is not relative or resolves. */
function whyUnresolved(ref: string, { from, site, contentDir }: LinkCheck): string | undefined {
  const resolved = resolveRef(ref, from, site);
  if (!resolved || (resolved.kind === 'file' && !ref.split(/[?#]/)[0])) return undefined;
  switch (resolved.kind) {
    case 'post':
      return undefined;
    case 'outside':
      return 'climbs out of the content folder; it is left out';
    case 'missing-post':
      return `names no post: tried ${resolved.tried}`;
    default: {
      const segments = resolved.tried.split('/');
      const stats = statSync(path.join(contentDir, ...segments), { throwIfNoEntry: false });
      if (!stats) return `does not exist: tried ${resolved.tried}`;
      // A folder is a page of the old site's; a file that is not media is never served (src/content/servable-files.ts).
      if (stats.isFile() && !isServableBundlePath(segments)) {
        return `is not served (only media are: images, audio, video, PDF, text, zip, named without a leading . or _): ${resolved.tried}`;
      }
      return undefined;
    }
  }
}

/**
 * The hero image, as written in the frontmatter (a bundle's is held
 * resolved, and dropped when it climbs out of the bundle), with the line of
 * its field from the parse.
 */
function checkHero(post: Post, links: LinkCheck, problems: ContentError[]): void {
  const hero = post.heroImageSource;
  if (!hero || ABSOLUTE.test(hero.ref)) return;
  const line = post.fieldLines[hero.field];
  const problem = (message: string): void => void problems.push({ file: post.relPath, line, message: `field \`${hero.field}\`: ${message}` });
  const resolved = resolveRef(hero.ref, links.from, links.site);
  if (!links.from.bundle) {
    if (resolved?.kind === 'outside') return problem(`image "${hero.ref}" climbs out of the content folder; it is left out`);
    if (resolved && !existsSync(path.join(links.contentDir, ...resolved.tried.split('/'))))
      problem(`image "${hero.ref}" does not exist: tried ${resolved.tried}`);
    return;
  }
  if (resolved?.kind !== 'bundle-file')
    return problem(`image "${hero.ref}" points outside the post's folder; only files beside index.md are served, so it is left out`);
  if (!existsSync(path.join(links.contentDir, ...resolved.tried.split('/')))) problem(`image "${hero.ref}" does not exist: tried ${resolved.tried}`);
}
