/**
 * The frontmatter of a post, in the forms other generators write it: YAML
 * between `---` lines (`---yaml`, `---json`), TOML between `+++` lines (Hugo,
 * Zola) or after `---toml`, and the fence-less `Key: value` header of Pelican
 * and MultiMarkdown. gray-matter reads the fenced forms
 * (src/content/fenced-header.ts); beside it, what it does not do: the opening
 * line Lede accepts, a closing fence that is a line of its own (else the
 * header is not closed), the bound on the header's size before any of it is
 * parsed, where the body starts, and the fence-less form
 * (src/content/fenceless-header.ts). A file with none of these has no
 * header: every field takes its default. JavaScript frontmatter (Eleventy's
 * `---js`) is refused, never run.
 */
import { MAX_FRONTMATTER_BYTES } from './bounds.js';
import { type Fence, readFencedHeader } from './fenced-header.js';
import { readFencelessHeader } from './fenceless-header.js';
import { type KeyLines, SCRIPT_REFUSED } from './header-engines.js';

export type HeaderFormat = 'yaml' | 'toml' | 'fenceless' | 'none';

export type Header =
  | {
      readonly ok: true;
      readonly format: HeaderFormat;
      readonly data: Record<string, unknown>;
      /** Index in the text where the body starts. */
      readonly bodyStart: number;
      /** The 1-based line of a top-level key, for messages. */
      readonly lineOf: KeyLines;
    }
  | { readonly ok: false; readonly message: string; readonly line: number | undefined };

/** The opening fence line: the fence, a language in lower case or none, spaces. */
const OPEN = /^(---|\+\+\+)([a-z]*)[ \t]*\r?\n/;

export function readHeader(text: string): Header {
  const open = OPEN.exec(text);
  if (!open) return unfencedHeader(text);
  const fence = open[1] as Fence;
  const language = open[2] || (fence === '+++' ? 'toml' : 'yaml');
  if (language === 'js' || language === 'javascript') return scriptRefused();
  // JSON is YAML (1.2): `---json` goes to the YAML reader.
  if (language !== 'yaml' && language !== 'yml' && language !== 'toml' && language !== 'json') {
    return { ok: false, message: `the frontmatter is in ${language}; write it as YAML (\`---\`) or TOML (\`+++\`)`, line: 1 };
  }
  const end = headerEnd(text, open[0].length, fence);
  if (end === undefined) return { ok: false, message: `the frontmatter is not closed; add a line \`${fence}\` after it`, line: 1 };
  // Bounded before any of it is parsed: every post's frontmatter is read on the main thread.
  if (end > MAX_FRONTMATTER_BYTES) {
    return {
      ok: false,
      message: `the frontmatter is ${Math.ceil(end / 1024)} KB, over the ${MAX_FRONTMATTER_BYTES / 1024} KB limit; move long text into the body`,
      line: 1,
    };
  }
  const read = readFencedHeader(text.slice(0, end), fence);
  if (!read.ok) return read;
  return { ok: true, format: read.format, data: read.data, bodyStart: end, lineOf: read.lineOf };
}

/**
 * Where the header ends: after the first line that is the fence alone
 * (trailing spaces allowed), from the line break that ends the opening line
 * on; `undefined` when there is none.
 */
function headerEnd(text: string, openLength: number, fence: Fence): number | undefined {
  const closing = fence === '+++' ? /\r?\n\+\+\+[ \t]*(\r?\n|$)/ : /\r?\n---[ \t]*(\r?\n|$)/;
  const from = openLength - 1;
  const close = closing.exec(text.slice(from));
  return close ? from + close.index + close[0].length : undefined;
}

/** A file that does not open with a fence: a fence-less header, refused JavaScript, or no frontmatter at all. */
function unfencedHeader(text: string): Header {
  const fenceless = readFencelessHeader(text);
  if (fenceless) {
    const lines = fenceless.lines;
    return { ok: true, format: 'fenceless', data: fenceless.data, bodyStart: fenceless.bodyStart, lineOf: (key) => lines[key.toLowerCase()] };
  }
  if (/^---(js|javascript)\b/.test(text)) return scriptRefused();
  // A fence with a language Lede does not read in other capitals (`---JS`, `+++Yaml`): refused as in lower case.
  const named = /^(?:---|\+\+\+)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text);
  if (named) return { ok: false, message: `the frontmatter is in ${named[1]}; write it as YAML (\`---\`) or TOML (\`+++\`)`, line: 1 };
  // No frontmatter at all (Notion's, Hashnode's and plain notes): every field takes its default.
  return { ok: true, format: 'none', data: {}, bodyStart: 0, lineOf: noLines };
}

const noLines: KeyLines = () => undefined;

function scriptRefused(): Header {
  return { ok: false, message: SCRIPT_REFUSED, line: 1 };
}
