/**
 * Other generators' template syntax translated in a post body
 * (src/content/foreign-markup.ts), and where that is done. A body of at most
 * `MAX_TRANSLATED_AT_PARSE_CHARS` is translated as its file is read, on the
 * main thread: a few milliseconds at most. A longer body, and any body kept
 * in its file, is translated on the render thread that renders it (its job
 * says so, `BodyTranslation`): hostile markup of 256 KB costs that pass
 * 0.15-0.4 s, which the main thread's 50 ms budget has no room for
 * (docs/security.md, "One budget for the main thread"). Over
 * `MAX_TRANSLATED_BODY_CHARS` a body is not translated at all, and `check`
 * says so.
 */
import { MAX_TRANSLATED_BODY_CHARS } from './bounds.js';
import { mayHoldForeignMarkup, translateMarkup, type TranslatedMarkup } from './foreign-markup.js';
import { parseName } from './slug.js';
import { postUrl } from './urls.js';

/** What a render thread needs to translate a body it is given as written: whether its file is MDX. */
export interface BodyTranslation {
  readonly mdx: boolean;
}

export function translationOf(relPath: string): BodyTranslation {
  return { mdx: /\.mdx$/i.test(relPath) };
}

/** The body translated, with what translating it found, when it is within `MAX_TRANSLATED_BODY_CHARS`. */
export function translateBody(body: string, translation: BodyTranslation): TranslatedMarkup {
  if (body.length <= MAX_TRANSLATED_BODY_CHARS) {
    return translateMarkup(body, { postPath: (name) => postUrl(parseName(name).slug), mdx: translation.mdx });
  }
  if (!mayHoldForeignMarkup(body)) return { markdown: body, notices: [] };
  const limit = `${MAX_TRANSLATED_BODY_CHARS / 1024} KB`;
  return {
    markdown: body,
    notices: [
      {
        line: 1,
        message: `the body is over ${limit}, so template syntax of other generators in it is shown as written, not translated; split the post to have it translated`,
      },
    ],
  };
}
