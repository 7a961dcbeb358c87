/**
 * The addresses in a piece of raw HTML that an author wrote in markdown
 * (`<img src="./possum.png">`, `<video poster="a.jpg">`, `<a href="notes.pdf">`,
 * `srcset`), so that inside a page bundle they resolve exactly like the same
 * path written in markdown, and `check` can report the ones that cannot.
 */

/** `src`, `href`, `poster` values and each URL of a `srcset`, in start tags only. */
const TAG = /<[a-z][a-z0-9-]*\b[^<>]*>/gi;
const ATTR = /(\s(?:src|href|poster|srcset)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/** `html` with every reference passed through `map` (which returns the reference itself to leave it). */
export function mapHtmlRefs(html: string, map: (ref: string) => string): string {
  return html.replace(TAG, (tag) =>
    tag.replace(ATTR, (match, prefix: string, dq?: string, sq?: string, bare?: string) => {
      const value = dq ?? sq ?? bare ?? '';
      const isSrcset = /srcset/i.test(prefix);
      const mapped = isSrcset ? mapSrcset(value, map) : map(value);
      if (mapped === value) return match;
      const quote = sq !== undefined ? "'" : '"';
      return `${prefix}${quote}${mapped}${quote}`;
    }),
  );
}

/** Every reference in `html`, as written, with the element that holds it (`img`, `a`, ...). */
export function htmlRefs(html: string): { ref: string; tag: string }[] {
  const refs: { ref: string; tag: string }[] = [];
  for (const [tag] of html.matchAll(TAG)) {
    const name = /^<([a-z][a-z0-9-]*)/i.exec(tag)![1]!.toLowerCase();
    mapHtmlRefs(tag, (ref) => {
      refs.push({ ref, tag: name });
      return ref;
    });
  }
  return refs;
}

/** `a.png 1x, b.png 2x`: each candidate's URL mapped, its descriptor kept. */
function mapSrcset(srcset: string, map: (ref: string) => string): string {
  return srcset
    .split(',')
    .map((candidate) => {
      const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
      return [map(url), ...descriptor].join(' ');
    })
    .join(', ');
}
