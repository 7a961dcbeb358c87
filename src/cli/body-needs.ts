/**
 * What `npm run check`'s main-thread checks need of a body, found on the
 * render thread that has the body in hand anyway: whether any check could
 * find something in it (a relative or site path, a formula, an image of the
 * site, HTML the sanitizer removes), and whether it holds other generators'
 * syntax (whose notices come from reading it). Each test is the very one
 * the check itself starts with, so "no" means the check, given an empty
 * body, says exactly what it would have said given this one.
 */
import { mayHoldRelativeRef } from '../content/link-refs.js';
import { mayHoldSitePath } from '../content/static-refs.js';
import { mayShowLocalImage } from '../images/local-image-refs.js';
import { mayHoldMath } from '../render/math-syntax.js';
import { mayHoldRemovedHtml } from '../render/removed-html.js';

export interface BodyNeeds {
  /** Some check may find something in the body (as rendered): the main thread reads it. */
  readonly body: boolean;
  /** The body as written may hold other generators' syntax: its notices are read with it. */
  readonly notices: boolean;
}

/** `markdown`: the body as rendered (`post.body`); `foreign`: `mayHoldForeignMarkup` of the body as written in the file. */
export function bodyNeeds(markdown: string, foreign: boolean): BodyNeeds {
  const body =
    mayHoldRelativeRef(markdown) || mayHoldSitePath(markdown) || mayHoldMath(markdown) || mayShowLocalImage(markdown) || mayHoldRemovedHtml(markdown);
  return { body, notices: foreign };
}
