/**
 * Formulas that show as source instead of math (KaTeX could not parse them,
 * or a page's cap was hit), for `npm run check`, each at its `file:line`.
 * Renders the body as the server would, so check and page always agree.
 */
import { lineAt } from '../content/line-at.js';
import type { ContentError, Post } from '../content/post.js';
import { render } from '../render/markdown.js';
import { mayHoldMath } from '../render/math-syntax.js';
import { renderedMarkdownOf } from '../content/parse-post.js';

/** `fileText` is called only when there is a problem to place; `body` is the post's, as in `linkRefProblems`. */
export function mathProblems(post: Post, fileText: () => string, body: string = renderedMarkdownOf(post)): ContentError[] {
  // Rendering is the slow part of a check: skip bodies where no formula can be (prices are not formulas).
  if (!mayHoldMath(body)) return [];
  const found = render(body).mathProblems;
  if (!found.length) return [];
  const text = fileText();
  // Formulas come in document order: each is looked for after the one before.
  let cursor = Math.max(0, text.indexOf(body));
  return found.map(({ raw, message }) => {
    const at = text.indexOf(raw, cursor);
    if (at >= 0) cursor = at + raw.length;
    return {
      file: post.relPath,
      line: at < 0 ? undefined : lineAt(text, at),
      message: `formula ${raw.length > 60 ? `${raw.slice(0, 57)}…` : raw} is shown as source: ${message}`,
    };
  });
}
