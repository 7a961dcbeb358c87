/**
 * Checks the site paths a post links to that name a file (`/img/logo.png`,
 * `/files/cv.pdf`): each must be a file of `content/static/` (or a media file at its place in the content folder), for
 * `npm run check`. Paths of routes (`/posts/x/a.png`, `/_lede/style.css`)
 * are left to the checks of those routes. Never throws.
 */
import { Lexer, type Tokens } from 'marked';
import { lineOf as lineIn } from './line-at.js';
import type { ContentError, Post } from './post.js';
import { safeDecode } from './safe-decode.js';
import { isServableBundlePath } from './servable-files.js';
import { walkTokens } from './walk-tokens.js';
import { routeClaiming } from './urls.js';
import { renderedMarkdownOf } from './parse-post.js';

/** `](/` or `[ref]: /`: a cheap test before lexing. */
const MAYBE_SITE_PATH = /(\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:\s*<?)\/(?!\/)/m;
/** False when the body links no site path: only the hero needs checking. */
export function mayHoldSitePath(body: string): boolean {
  return MAYBE_SITE_PATH.test(body);
}

/**
 * `served`: the addresses of `content/static/`'s files and of the media
 * files beside posts (src/content/link-resolver.ts, `contentFileUrl`).
 * Relative references are `linkRefProblems`' (src/content/link-refs.ts).
 * `body` is the post's, as there.
 */
export function staticRefProblems(post: Post, served: ReadonlySet<string>, fileText: () => string, body: string = renderedMarkdownOf(post)): ContentError[] {
  const problems: ContentError[] = [];
  const refs: { ref: string; raw: string; kind: 'image' | 'link'; line?: number }[] = [];
  const hero = post.heroImageSource;
  if (hero?.ref.startsWith('/')) refs.push({ ref: hero.ref, raw: '', kind: 'image', line: post.fieldLines[hero.field] });
  if (mayHoldSitePath(body)) {
    try {
      walkTokens(new Lexer({ gfm: true }).lex(body), (token) => {
        if (token.type === 'image' || token.type === 'link') {
          const t = token as Tokens.Image | Tokens.Link;
          refs.push({ ref: t.href, raw: t.raw, kind: token.type === 'image' ? 'image' : 'link' });
        }
      });
    } catch {
      // A body the lexer cannot read has no links to check.
    }
  }
  const lineOf = (raw: string): number | undefined => (raw ? lineIn(fileText(), raw) : undefined);
  for (const { ref, raw, kind, line } of refs) {
    if (!ref.startsWith('/') || ref.startsWith('//')) continue;
    const pathPart = ref.split(/[?#]/)[0]!;
    const segments = pathPart.split('/').slice(1).map(safeDecode);
    // Only what looks like a file, on no route: a link to a page (`/about`) is not a file.
    if (!isServableBundlePath(segments) || routeClaiming(pathPart)) continue;
    if (served.has(pathPart) || served.has(`/${segments.map(encodeURIComponent).join('/')}`)) continue;
    problems.push({
      file: post.relPath,
      line: line ?? lineOf(raw),
      message: `${kind} "${ref}" is not a file of static/ (content/static${pathPart}); the link leads nowhere`,
    });
  }
  return problems;
}
