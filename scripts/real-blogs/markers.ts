/**
 * Other tools' markup left in a page's visible text: the markers that show a
 * reader that Lede did not understand what the writer's old tool would have
 * rendered (an admonition, a wikilink, a shortcode, an attribute list).
 * Pure: text in, counts and examples out (scripts/real-blogs.ts).
 */

/** Each marker, by the name the report uses. Patterns are global; `^` is a line start. */
export const MARKERS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  [':::', /:::/g],
  // `::name{attrs}`, `::name[label]` or `::name` alone on its line; not CSS's `::after` in a sentence.
  ['::directive', /(?:^|\s)::[a-z][\w-]*(?:[{[]|[ \t]*$)/gm],
  ['!!!', /^[ \t]*!!!\+?[ \t]+\w/gm],
  ['???', /^[ \t]*\?\?\?\+?[ \t]+\w/gm],
  ['[!word]', /\[![a-z]+\][+-]?/gi],
  ['[[', /\[\[/g],
  [']]', /\]\]/g],
  ['{{<', /\{\{<|>\}\}/g],
  ['{{%', /\{\{%|%\}\}/g],
  ['{%', /\{%|%\}/g],
  ['++key++', /\+\+[\w-]+(?:\+[\w-]+)*\+\+/g],
  ['{:', /\{:/g],
  // `{ loading=lazy }`, `{ .lg .middle }`, `{#id}`: only such tokens inside, so a formula's `{i=1}` is not one.
  ['{ attr }', /\{[ \t]*(?:[.#][\w-]+|[a-z][\w-]+=(?:"[^"]*"|'[^']*'|[\w.%-]+))(?:[ \t]+(?:[.#][\w-]+|[a-z][\w-]+=(?:"[^"]*"|'[^']*'|[\w.%-]+)))*[ \t]*\}/gi],
  ['=== "', /^[ \t]*===[ \t]*"/gm],
];

export interface MarkerCount {
  /** Occurrences by marker name; markers not found are absent. */
  readonly counts: Readonly<Record<string, number>>;
  /** A few snippets around occurrences, marker first. */
  readonly examples: readonly string[];
}

/** Counts the markers in `text` (the visible text of a page, code left out), with a snippet for each marker found, up to `maxExamples`. */
export function countMarkers(text: string, maxExamples = 5): MarkerCount {
  const counts: Record<string, number> = {};
  const examples: string[] = [];
  for (const [name, pattern] of MARKERS) {
    for (const match of text.matchAll(pattern)) {
      counts[name] = (counts[name] ?? 0) + 1;
      if (counts[name] === 1 && examples.length < maxExamples) {
        const at = match.index;
        examples.push(
          `${name}: ${text
            .slice(Math.max(0, at - 30), at + 50)
            .replace(/\s+/g, ' ')
            .trim()}`,
        );
      }
    }
  }
  return { counts, examples };
}

/** Elements whose end starts a new line of visible text. */
const BLOCK_END = /<\/(?:p|li|h[1-6]|div|blockquote|td|th|tr|dt|dd|section|aside|details|summary|figcaption|header|footer)>|<br\s*\/?>/gi;

/**
 * The visible text of an HTML fragment, one block per line, without code,
 * scripts or styles: the reader's view, where a marker is markup left.
 */
export function visibleText(html: string, decode: (fragment: string) => string): string {
  // KaTeX keeps each formula's TeX source in a hidden <math> annotation: not visible, and full of braces.
  const withoutCode = html.replace(/<(pre|code|script|style|template|math)\b[\s\S]*?<\/\1>/gi, ' ');
  return decode(withoutCode.replace(BLOCK_END, '\n'));
}
