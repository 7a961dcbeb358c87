/**
 * Checks the relative images and links of a post against the files beside
 * it, for `npm run check`: a bundle image that is missing, a reference that
 * climbs out of the bundle (rendered as `#`), or a relative image in a
 * single-file post (which has no folder to hold it). Never throws.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { htmlRefs } from './html-refs.js';
import { lineOf as lineIn } from './line-at.js';
import { safeDecode } from './safe-decode.js';
import { bundleFileOf, bundleUrl } from './urls.js';
import type { ContentError, Post } from './post.js';
import { walkTokens } from './walk-tokens.js';

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/|#)/i;
/** `](target`, `[ref]: target` or `src="target"` whose target is not absolute: a cheap test before lexing. */
const MAYBE_RELATIVE = /(\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:\s*<?|\s(?:src|href|poster|srcset)\s*=\s*["']?)(?![a-z][a-z0-9+.-]*:|\/|#|\))/im;

const OUTSIDE = Symbol('outside the bundle');

/** False when the body has no relative target at all, so only the hero needs checking (`bundleRefProblems` lexes nothing). */
export function mayHoldRelativeRef(body: string): boolean {
  return MAYBE_RELATIVE.test(body);
}

/**
 * `fileText` is called only when there is a problem to place (most posts have none).
 * `body` is the post's (given by `npm run check` when it has it, or knows the checks need none of it).
 */
export function bundleRefProblems(post: Post, fileText: () => string, body: string = post.body): ContentError[] {
  const problems: ContentError[] = [];
  const lineOf = (raw: string): number | undefined => lineIn(fileText(), raw);
  const checkRef = (ref: string, raw: string, kind: 'image' | 'link'): void => {
    if (!ref || ABSOLUTE.test(ref)) return;
    const filePart = ref.split(/[?#]/)[0]!;
    if (!filePart) return;
    if (!post.bundleDir) {
      // A link to a relative page may be deliberate; a relative image in a single file never works.
      if (kind === 'image') {
        problems.push({
          file: post.relPath,
          line: lineOf(raw),
          message: `image "${ref}" is relative, but the post is a single file; make it a page bundle (${post.slug}/index.md with the image beside it) or use a full URL`,
        });
      }
      return;
    }
    const target = bundleFile(post.slug, post.bundleDir, ref);
    if (target === undefined) return;
    if (target === OUTSIDE) {
      problems.push({
        file: post.relPath,
        line: lineOf(raw),
        message: `${kind} "${ref}" points outside the post's folder; only files beside index.md are served, so it is left out`,
      });
      return;
    }
    if (kind === 'image' && !existsSync(target)) {
      problems.push({ file: post.relPath, line: lineOf(raw), message: `image "${ref}" does not exist in ${path.dirname(post.relPath)}/` });
    }
  };

  checkHero(post, problems);
  // Lexing is the slow part of a check: skip bodies with no relative target at all.
  if (!mayHoldRelativeRef(body)) return problems;
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(body);
  } catch {
    return problems;
  }
  walkTokens(tokens, (token) => {
    if (token.type === 'image' || token.type === 'link') {
      const t = token as Tokens.Image | Tokens.Link;
      checkRef(t.href, t.raw, token.type === 'image' ? 'image' : 'link');
    }
    // Raw HTML resolves its paths as markdown does (src/render/markdown.ts), so it is checked the same way.
    if (token.type === 'html') {
      const t = token as Tokens.HTML;
      for (const { ref, tag } of htmlRefs(t.text)) checkRef(ref, ref, tag === 'a' ? 'link' : 'image');
    }
  });
  return problems;
}

/**
 * The hero image, as written in the frontmatter (a bundle's is held
 * resolved, and dropped when it climbs out of the bundle), with the line of
 * its field from the parse.
 */
function checkHero(post: Post, problems: ContentError[]): void {
  const hero = post.heroImageSource;
  if (!hero || ABSOLUTE.test(hero.ref)) return;
  const line = post.fieldLines[hero.field];
  const problem = (message: string): void => void problems.push({ file: post.relPath, line, message: `field \`${hero.field}\`: ${message}` });
  if (!post.bundleDir) return problem(`image "${hero.ref}" is relative, but the post is a single file; make it a page bundle or use a full URL`);
  const target = bundleFile(post.slug, post.bundleDir, hero.ref);
  if (target === OUTSIDE) return problem(`image "${hero.ref}" points outside the post's folder; only files beside index.md are served, so it is left out`);
  if (target !== undefined && !existsSync(target)) problem(`image "${hero.ref}" does not exist in ${path.dirname(post.relPath)}/`);
}

/**
 * The file a bundle reference names, resolved exactly as the renderer
 * resolves it (`bundleUrl`), so check and pages agree; `OUTSIDE` when it
 * climbs out of the bundle, `undefined` when it is not a file of the bundle.
 */
function bundleFile(slug: string, bundleDir: string, ref: string): string | typeof OUTSIDE | undefined {
  const url = bundleUrl(slug, ref);
  if (url === '#' && !ref.startsWith('#')) return OUTSIDE;
  const rest = bundleFileOf(slug, url);
  if (rest === undefined) return undefined;
  const segments = rest.split('/').map(safeDecode);
  // An encoded slash (`a%2Fb`) names no file the server would serve.
  if (segments.some((segment) => /[/\\]/.test(segment))) return undefined;
  return path.join(bundleDir, ...segments);
}
