/**
 * The readers of a fenced frontmatter block, as gray-matter's `engines`
 * (src/content/fenced-header.ts calls gray-matter with them): YAML through
 * the one YAML reader (src/validate/yaml.ts; JSON is YAML 1.2, so `---json`
 * is read by it too) and TOML through src/content/toml-engine.ts. Each gives
 * the block's data and the line of each top-level key, or throws a
 * `FrontmatterError` in an author's words with the line where known.
 *
 * gray-matter hands an engine the block from the line break that ends the
 * opening fence line, so the block's line n is the file's line n + the
 * fence line's own number - 1: `firstLine` says where that is.
 */
import { readYaml } from '../validate/yaml.js';
import { detachStrings } from './detach-strings.js';
import { describeTomlError, TomlError, tomlEngine } from './toml-engine.js';

/** The 1-based line in the file of a top-level key, for messages. */
export type KeyLines = (key: string) => number | undefined;

/** What an engine read: the block's keys, and where each is in the file. */
export interface BlockRead {
  readonly data: Record<string, unknown>;
  readonly lineOf: KeyLines;
}

/** A frontmatter block an engine could not read, with its line in the file. */
export class FrontmatterError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/**
 * YAML. The block's strings are copied out of it (src/content/detach-strings.ts):
 * a value the parser slices out of the block would keep the block, and the
 * file's first kilobyte it was cut from, alive for as long as the post.
 */
export function readYamlBlock(block: string, firstLine: number): BlockRead {
  const read = readYaml(block);
  if (!read.ok) throw new FrontmatterError(read.message.replace(/^broken YAML/, 'broken YAML in the frontmatter'), shifted(read.line, firstLine));
  const data = mapping(read.data ?? {}, firstLine);
  return { data: detachStrings(data), lineOf: (key) => shifted(read.lineOf([key]), firstLine) };
}

/**
 * TOML (smol-toml), its keys' lines counted as YAML's are. gray-matter cuts
 * the block before the `\n` of the closing fence, so in a file with CRLF line
 * breaks it ends in a lone `\r`, which TOML refuses: it is left out.
 */
export function readTomlBlock(block: string, firstLine: number): BlockRead {
  let data: Record<string, unknown>;
  try {
    data = tomlEngine(block.endsWith('\r') ? block.slice(0, -1) : block);
  } catch (err) {
    if (err instanceof TomlError) throw new FrontmatterError(`broken TOML in the frontmatter: ${describeTomlError(err)}`, shifted(err.line, firstLine));
    throw err;
  }
  const lines = block.split(/\r?\n/);
  return { data: detachStrings(data), lineOf: (key) => shifted(lineOfTomlKey(lines, key), firstLine) };
}

export const SCRIPT_REFUSED = 'the frontmatter is JavaScript (`---js`), which Lede does not run; write it as YAML (`---`, then `key: value` lines)';

/** What `---js` frontmatter gets instead of gray-matter's own JavaScript engine, which evaluates the block. */
export function refuseScript(): never {
  throw new FrontmatterError(SCRIPT_REFUSED, 1);
}

/** The block's data when it is a mapping of keys; a list or a lone value is refused, pointing at the line after the fence. */
function mapping(data: unknown, firstLine: number): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FrontmatterError('the frontmatter must be a mapping of `key: value` lines', firstLine + 1);
  }
  return data as Record<string, unknown>;
}

/** A line of the block as a line of the file. */
function shifted(line: number | undefined, firstLine: number): number | undefined {
  return line === undefined ? undefined : line + firstLine - 1;
}

/** The 1-based line of a top-level TOML key (`key =`) in the block. */
function lineOfTomlKey(lines: readonly string[], key: string): number | undefined {
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
