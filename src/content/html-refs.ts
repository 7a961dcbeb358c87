/**
 * The addresses in a piece of raw HTML that an author wrote in markdown
 * (`<img src="./possum.png">`, `<video poster="a.jpg">`, `<a href="notes.pdf">`,
 * `srcset`), so that they resolve exactly like the same path written in
 * markdown (src/content/link-resolver.ts), and `check` can report the ones
 * that cannot. Walked with htmlparser2's tokenizer, as a browser reads the
 * tags: a `>` inside a quoted value (`alt="1 > 0"`) does not end the tag,
 * and nothing inside a comment or a `<script>` is taken for a tag.
 */
import { QuoteType, Tokenizer } from 'htmlparser2';

/** The attributes that hold an address. */
const REF_ATTRIBUTES = new Set(['src', 'href', 'poster', 'srcset']);

/** One reference: where its value is in the HTML, as written. */
interface Found {
  readonly tag: string;
  readonly attribute: string;
  readonly start: number;
  readonly end: number;
  readonly quote: QuoteType;
}

/** `html` with every reference passed through `map` (which returns the reference itself to leave it). */
export function mapHtmlRefs(html: string, map: (ref: string) => string): string {
  const found = findRefs(html);
  if (!found.length) return html;
  let out = '';
  let at = 0;
  for (const ref of found) {
    const value = html.slice(ref.start, ref.end);
    const mapped = ref.attribute === 'srcset' ? mapSrcset(value, map) : map(value);
    if (mapped === value) continue;
    // An unquoted value is quoted when it changes: the address may hold what ends one (`#`, `=`).
    const quoted = ref.quote === QuoteType.Single ? mapped.replace(/'/g, '&#39;') : mapped.replace(/"/g, '&quot;');
    const text = ref.quote === QuoteType.Unquoted ? `"${quoted}"` : quoted;
    out += html.slice(at, ref.start) + text;
    at = ref.end;
  }
  return out + html.slice(at);
}

/** Every reference in `html`, as written, with the element that holds it (`img`, `a`, ...). */
export function htmlRefs(html: string): { ref: string; tag: string }[] {
  const refs: { ref: string; tag: string }[] = [];
  for (const found of findRefs(html)) {
    const value = html.slice(found.start, found.end);
    const urls = found.attribute === 'srcset' ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : [value];
    for (const ref of urls) refs.push({ ref, tag: found.tag });
  }
  return refs;
}

/** The reference-holding attribute values of every start tag, in order. */
function findRefs(html: string): Found[] {
  const found: Found[] = [];
  let tag = '';
  let attribute = '';
  let valueStart = -1;
  let valueEnd = -1;
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase();
      },
      onattribname(start, end) {
        attribute = html.slice(start, end).toLowerCase();
        valueStart = -1;
      },
      onattribdata(start, end) {
        if (valueStart < 0) valueStart = start;
        valueEnd = end;
      },
      onattribentity() {},
      onattribend(quote) {
        if (valueStart >= 0 && REF_ATTRIBUTES.has(attribute) && quote !== QuoteType.NoValue) {
          found.push({ tag, attribute, start: valueStart, end: valueEnd, quote });
        }
        valueStart = -1;
      },
      oncdata() {},
      onclosetag() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onopentagend() {},
      onprocessinginstruction() {},
      onselfclosingtag() {},
      ontext() {},
      ontextentity() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return found;
}

/** `a.png 1x, b.png 2x`: each candidate's URL mapped, its descriptor kept. */
function mapSrcset(srcset: string, map: (ref: string) => string): string {
  const candidates = srcset.split(',').map((candidate) => {
    const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
    return [map(url), ...descriptor].join(' ');
  });
  const mapped = candidates.join(', ');
  // Unchanged URLs keep the value as written (its spacing too).
  return mapped ===
    srcset
      .split(',')
      .map((c) => c.trim().split(/\s+/).join(' '))
      .join(', ')
    ? srcset
    : mapped;
}
