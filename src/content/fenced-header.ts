/**
 * A fenced frontmatter header read by gray-matter: it finds the language
 * after the opening fence (`---toml`, `---json`; `+++` is TOML), cuts the
 * block between the fences, gives a block of blank and `#` comment lines as
 * no fields, and hands the rest to the engine of its language. The engines
 * are Lede's (src/content/header-engines.ts): the one YAML reader and the
 * TOML engine, with each key's line; gray-matter's own (js-yaml 3, and a
 * JavaScript engine that evaluates the block) are replaced, never run.
 *
 * Options are always passed: gray-matter 4 caches a result under the whole
 * input text when it is called without options (`matter.cache`, never
 * emptied), which in a server that reads every version of every edited post
 * would grow for as long as it runs.
 *
 * It is given the header alone (src/content/read-header.ts finds where the
 * closing fence line ends): gray-matter copies its input into a Buffer
 * (`file.orig`) and, options or not, looks it up in that cache, and V8 copies
 * a string looked up as a key into its string table (about 1 µs and 210
 * bytes of old-generation garbage for each 300-byte header at start-up; the
 * whole file would be 8 KB a post).
 */
import matter from 'gray-matter';
import { type BlockRead, FrontmatterError, type KeyLines, readTomlBlock, readYamlBlock, refuseScript } from './header-engines.js';

export type Fence = '---' | '+++';

export type FencedRead =
  | { readonly ok: true; readonly format: 'yaml' | 'toml'; readonly data: Record<string, unknown>; readonly lineOf: KeyLines }
  | { readonly ok: false; readonly message: string; readonly line: number | undefined };

const noLines: KeyLines = () => undefined;

/** `head`: the file from its opening fence to the end of its closing fence line. */
export function readFencedHeader(head: string, fence: Fence): FencedRead {
  // The block starts on the opening fence's line (gray-matter cuts it from the line break ending that line).
  const firstLine = 1;
  let lineOf = noLines;
  const engine =
    (read: (block: string, firstLine: number) => BlockRead) =>
    (block: string): Record<string, unknown> => {
      const result = read(block, firstLine);
      lineOf = result.lineOf;
      return result.data;
    };
  const yaml = engine(readYamlBlock);
  let file: matter.GrayMatterFile<string>;
  try {
    file = matter(head, {
      delimiters: fence,
      language: fence === '+++' ? 'toml' : 'yaml',
      engines: { yaml, json: yaml, toml: engine(readTomlBlock), javascript: refuseScript },
    });
  } catch (err) {
    if (err instanceof FrontmatterError) return { ok: false, message: err.message, line: err.line };
    return { ok: false, message: `cannot read the frontmatter: ${(err as Error).message}`, line: undefined };
  }
  const data: Record<string, unknown> = file.data;
  return {
    ok: true,
    format: file.language === 'toml' ? 'toml' : 'yaml',
    data,
    lineOf: (key) => (key in data ? lineOf(key) : undefined),
  };
}
