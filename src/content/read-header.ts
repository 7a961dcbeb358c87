/**
 * The frontmatter of a post, in the forms other generators write it: YAML
 * between `---` lines (`---yaml`), TOML between `+++` lines (Hugo, Zola) or
 * after `---toml`, and the fence-less `Key: value` header of Pelican and
 * MultiMarkdown. The fenced forms are cut as gray-matter cuts them and
 * handed to their reader; JavaScript frontmatter (Eleventy's `---js`) is
 * refused, never run.
 */
import { readYaml } from '../validate/yaml.js';
import { MAX_FRONTMATTER_BYTES } from './bounds.js';
import { detachStrings } from './detach-strings.js';
import { readFencelessHeader } from './fenceless-header.js';
import { describeTomlError, TomlError, tomlEngine } from './toml-engine.js';

export type HeaderFormat = 'yaml' | 'toml' | 'fenceless';

export type Header =
  | {
      readonly ok: true;
      readonly format: HeaderFormat;
      readonly data: Record<string, unknown>;
      /** Index in the text where the body starts. */
      readonly bodyStart: number;
      /** The 1-based line of a top-level key, for messages. */
      readonly lineOf: (key: string) => number | undefined;
    }
  | { readonly ok: false; readonly message: string; readonly line: number | undefined };

/** A frontmatter block an engine could not read, with its line in the file. */
class FrontmatterError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

interface FoundLines {
  lineOf?: (key: string) => number | undefined;
}

/**
 * YAML (src/validate/yaml.ts, the one YAML reader). The block starts with
 * the line break that ends the opening fence line, so its line n is the
 * file's line n. Its strings are copied out of the block: a value the parser
 * slices out of it would keep the block (and the file's first kilobyte it
 * was cut from) alive for as long as the post.
 */
function yamlBlock(block: string, found: FoundLines): unknown {
  const read = readYaml(block);
  if (!read.ok) throw new FrontmatterError(read.message.replace(/^broken YAML/, 'broken YAML in the frontmatter'), read.line);
  found.lineOf = (key) => read.lineOf([key]);
  return detachStrings(read.data ?? {});
}

/** TOML (smol-toml), its keys' lines counted as YAML's are. */
function tomlBlock(block: string, found: FoundLines): unknown {
  try {
    const data = tomlEngine(block);
    const lines = block.split(/\r?\n/);
    found.lineOf = (key) => lineOfKey(lines, key);
    return detachStrings(data);
  } catch (err) {
    if (err instanceof TomlError) throw new FrontmatterError(`broken TOML in the frontmatter: ${describeTomlError(err)}`, err.line);
    throw err;
  }
}

const OPEN = /^(---|\+\+\+)([a-z]*)[ \t]*\r?\n/;

export function readHeader(text: string): Header {
  const open = OPEN.exec(text);
  if (!open) {
    const fenceless = readFencelessHeader(text);
    if (fenceless) {
      const lines = fenceless.lines;
      return { ok: true, format: 'fenceless', data: fenceless.data, bodyStart: fenceless.bodyStart, lineOf: (key) => lines[key.toLowerCase()] };
    }
    if (/^---(js|javascript)\b/.test(text)) return scriptRefused();
    return { ok: false, message: 'has no frontmatter; start the file with a line `---`, then `title: ...`, then `---`', line: 1 };
  }
  const fence = open[1]!;
  const language = open[2] || (fence === '+++' ? 'toml' : 'yaml');
  if (language === 'js' || language === 'javascript') return scriptRefused();
  // JSON is YAML (1.2), so `---json` goes to the YAML reader.
  if (language !== 'yaml' && language !== 'yml' && language !== 'toml' && language !== 'json') {
    return { ok: false, message: `the frontmatter is in ${language}; write it as YAML (\`---\`) or TOML (\`+++\`)`, line: 1 };
  }
  const closing = fence === '+++' ? /\r?\n\+\+\+[ \t]*(\r?\n|$)/ : /\r?\n---[ \t]*(\r?\n|$)/;
  const close = closing.exec(text.slice(open[0].length - 1));
  if (!close) return { ok: false, message: `the frontmatter is not closed; add a line \`${fence}\` after it`, line: 1 };
  const end = open[0].length - 1 + close.index + close[0].length;
  // Bounded before any of it is parsed: every post's frontmatter is read on the main thread.
  if (end > MAX_FRONTMATTER_BYTES) {
    return { ok: false, message: `the frontmatter is ${Math.ceil(end / 1024)} KB, over the ${MAX_FRONTMATTER_BYTES / 1024} KB limit; move long text into the body`, line: 1 };
  }
  const format: HeaderFormat = language === 'toml' ? 'toml' : 'yaml';
  const found: FoundLines = {};
  let data: unknown;
  try {
    data = parseBlock(fencedBlock(text, open[0], fence), format, found);
  } catch (err) {
    if (err instanceof FrontmatterError) return { ok: false, message: err.message, line: err.line };
    return { ok: false, message: `cannot read the frontmatter: ${(err as Error).message}`, line: undefined };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, message: 'the frontmatter must be a mapping of `key: value` lines', line: 2 };
  }
  const keys = data as Record<string, unknown>;
  return { ok: true, format, data: keys, bodyStart: end, lineOf: (key) => (key in keys ? found.lineOf?.(key) : undefined) };
}

/**
 * The block between the fences, cut as gray-matter cuts it (the format's
 * engine gets the same text, checked by test/unit/read-header-block.test.ts):
 * from the line break that ends the opening fence line to the first line
 * break followed by the fence. gray-matter did this as a second pass over
 * each header, with its option objects and its file object: 0.9 s of the
 * 100,000-post start-up (docs/performance.md).
 */
function fencedBlock(text: string, openLine: string, fence: string): string {
  const lineEnd = openLine.length - (openLine.endsWith('\r\n') ? 2 : 1);
  const close = text.indexOf(`\n${fence}`, lineEnd);
  return text.slice(lineEnd, close === -1 ? text.length : close);
}

/** The block's data: `{}` when it holds only comments and blank lines (as gray-matter gives it), else what its engine reads. */
function parseBlock(block: string, format: HeaderFormat, found: FoundLines): unknown {
  if (isBlank(block)) return {};
  return format === 'toml' ? tomlBlock(block, found) : yamlBlock(block, found);
}

/** True when only whitespace and `#` comment lines are left once gray-matter's comment pattern is applied. */
function isBlank(block: string): boolean {
  const first = /\S/.exec(block);
  // Text before any `#` stays whatever the pattern removes (it only removes from a line's `#` on).
  if (!first || first[0] !== '#') return !first;
  return block.replace(/^\s*#[^\n]+/gm, '').trim() === '';
}

function scriptRefused(): Header {
  return {
    ok: false,
    message: 'the frontmatter is JavaScript (`---js`), which Lede does not run; write it as YAML (`---`, then `key: value` lines)',
    line: 1,
  };
}

/** The 1-based line of a top-level TOML key (`key =`), counted as gray-matter's block is. */
function lineOfKey(lines: readonly string[], key: string): number | undefined {
  if (!key) return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^(${escaped}|"${escaped}"|'${escaped}')\\s*=`);
  for (let i = 0; i < lines.length; i++) {
    // Keys of a table (`[extra]`) are not top-level.
    if (/^\s*\[/.test(lines[i]!)) break;
    if (pattern.test(lines[i]!)) return i + 1;
  }
  return undefined;
}
