/**
 * The plain text snippets are cut from, made once per version of a post
 * (keyed by the item object, which the store replaces when its file
 * changes) and kept for the posts searches show most, within a bound: a
 * post's plain text costs time in proportion to its length, and a result
 * page shows 20 posts (docs/search.md, "Bounded work").
 */

/** Texts kept at most. */
export const SNIPPET_TEXTS_KEPT = 256;
/** Characters kept at most, all texts together (one-byte strings: about this many bytes). */
export const SNIPPET_TEXT_CHARS_KEPT = 8_000_000;

export class SnippetTexts<K extends object> {
  /** Least recently used first (a Map keeps the order of insertion). */
  private readonly texts = new Map<K, string>();
  private chars = 0;

  constructor(
    private readonly maxTexts = SNIPPET_TEXTS_KEPT,
    private readonly maxChars = SNIPPET_TEXT_CHARS_KEPT,
  ) {}

  /** The kept text of `key`, now the most recently used; undefined when it is not kept. */
  get(key: K): string | undefined {
    const text = this.texts.get(key);
    if (text === undefined) return undefined;
    this.texts.delete(key);
    this.texts.set(key, text);
    return text;
  }

  /** Keeps `text` for `key`, letting the least recently used texts go beyond the bounds. */
  set(key: K, text: string): void {
    this.delete(key);
    if (text.length > this.maxChars) return;
    this.texts.set(key, text);
    this.chars += text.length;
    for (const [oldest, kept] of this.texts) {
      if (this.texts.size <= this.maxTexts && this.chars <= this.maxChars) break;
      this.texts.delete(oldest);
      this.chars -= kept.length;
    }
  }

  /** Lets go of `key`'s text (a version no longer indexed). */
  delete(key: K): void {
    const text = this.texts.get(key);
    if (text === undefined) return;
    this.texts.delete(key);
    this.chars -= text.length;
  }

  get size(): { readonly texts: number; readonly chars: number } {
    return { texts: this.texts.size, chars: this.chars };
  }
}
