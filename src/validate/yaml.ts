/**
 * The one YAML reader, for the site settings and for frontmatter (gray-matter
 * hands it the block between the `---` lines, as the YAML engine of
 * src/content/header-engines.ts): js-yaml with the core schema, so dates
 * stay text and no time zone can shift them (and js-yaml is several times
 * faster than the alternatives, which matters for a start-up scan of 10,000
 * posts).
 *
 * One parse gives the values and, through js-yaml's node listener, the line
 * of every key, so a problem the schema finds later is placed without
 * reading the text again. Parser errors are put in words an author
 * understands: js-yaml's reasons are written for YAML experts ("bad
 * indentation of a mapping entry"); the usual cause is a title with a colon
 * in it, or a quote or a `[` never closed.
 */
import yaml, { type State, type YAMLException } from 'js-yaml';

export type YamlPath = readonly PropertyKey[];

export type YamlRead =
  | {
      readonly ok: true;
      /** `undefined` for an empty document. */
      readonly data: unknown;
      /** The 1-based line of the key (or item) at `path`, else of its nearest parent. */
      readonly lineOf: (path: YamlPath) => number | undefined;
    }
  | { readonly ok: false; readonly message: string; readonly line: number | undefined };

/** A node as the listener saw it: where it opened, what it became, the nodes inside it. */
interface NodeSpan {
  line: number;
  kind: string | undefined;
  result: unknown;
  readonly children: NodeSpan[];
}

/** Parses `source`; never throws. Lines count from 1 at the first line of `source`. */
export function readYaml(source: string): YamlRead {
  const root: NodeSpan = { line: 0, kind: undefined, result: undefined, children: [] };
  const open: NodeSpan[] = [root];
  let data: unknown;
  try {
    data = yaml.load(source, {
      schema: yaml.CORE_SCHEMA,
      listener(event: 'open' | 'close', state: State) {
        if (event === 'open') {
          const span: NodeSpan = { line: state.line, kind: undefined, result: undefined, children: [] };
          open.at(-1)!.children.push(span);
          open.push(span);
        } else {
          const span = open.pop()!;
          span.kind = state.kind;
          span.result = state.result;
        }
      },
    });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const line = yamlErrorLine(err, source);
      return { ok: false, message: `broken YAML: ${describeYamlError(err)}`, line: line === undefined ? undefined : line + 1 };
    }
    return { ok: false, message: `cannot be read: ${(err as Error).message}`, line: undefined };
  }
  return { ok: true, data, lineOf: (path) => lineIn(root.children[0], path) };
}

/**
 * Walks the spans along `path`: a mapping's children are key, value, key,
 * value…; a sequence's are its items. Where the walk cannot go on (a null
 * item has no span), the line reached so far is the best answer.
 */
function lineIn(top: NodeSpan | undefined, path: YamlPath): number | undefined {
  let node = top;
  let line = top && top.line + 1;
  for (const step of path) {
    if (!node) break;
    let next: NodeSpan | undefined;
    if (node.kind === 'mapping') {
      for (let i = 0; i < node.children.length; i += 2) {
        const key = node.children[i];
        if (key && String(key.result) === String(step)) {
          line = key.line + 1;
          next = node.children[i + 1];
          break;
        }
      }
    } else if (node.kind === 'sequence' && typeof step === 'number') {
      next = node.children[step];
      if (next) line = next.line + 1;
    }
    if (!next) break;
    node = next;
  }
  return line;
}

const HINTS: readonly [RegExp, string][] = [
  [
    /^bad indentation of a mapping entry/,
    'a line is indented wrongly, or a value holds ": " or starts with @ or ` (put such a value in quotes: title: "A: B")',
  ],
  [/within a double quoted scalar/, 'a " quote is opened and never closed'],
  [/within a single quoted scalar/, "a ' quote is opened and never closed"],
  [/within a flow collection|missed comma between flow collection entries/, 'a list [ or a mapping { is opened and never closed (or a comma is missing in it)'],
  [/^tab characters must not be used in indentation/, 'a line is indented with a tab; indent with spaces'],
  [/^duplicated mapping key/, 'this field is already set above; keep one of the two'],
  [/^end of the stream or a document separator is expected/, 'a line is not `key: value` (is the colon missing?)'],
  [/^unidentified alias/, 'a value starts with * (which YAML reads as an alias); put it in quotes'],
  [/^can not read a block mapping entry; a multiline key may not be an implicit key/, 'a line is not `key: value` (is the colon missing?)'],
];

export function describeYamlError(err: Pick<YAMLException, 'reason' | 'message'>): string {
  const reason = err.reason || err.message.split('\n')[0]!;
  for (const [pattern, hint] of HINTS) if (pattern.test(reason)) return hint;
  return reason;
}

/**
 * The 0-based line of `source` to point the author at. js-yaml marks an
 * unclosed quote or `[` where the text ran out (the closing `---`); the
 * author needs the line where it was opened, the nearest one above with the
 * opening character.
 */
export function yamlErrorLine(err: Pick<YAMLException, 'reason' | 'mark'>, source: string): number | undefined {
  if (!err.mark) return undefined;
  const reason = err.reason ?? '';
  const opener = /within a flow collection|missed comma between flow collection entries/.test(reason)
    ? /[[{]/
    : /within a double quoted scalar/.test(reason)
      ? /"/
      : /within a single quoted scalar/.test(reason)
        ? /'/
        : undefined;
  if (!opener) return err.mark.line;
  const lines = source.split('\n');
  for (let i = Math.min(err.mark.line, lines.length - 1); i >= 0; i--) if (opener.test(lines[i]!)) return i;
  return err.mark.line;
}
