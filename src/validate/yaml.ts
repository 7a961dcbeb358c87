/**
 * YAML parser errors in words an author understands. js-yaml's reasons are
 * written for YAML experts ("bad indentation of a mapping entry"); the usual
 * cause is a title with a colon in it, or a quote or a `[` never closed.
 */
import type { YAMLException } from 'js-yaml';

const HINTS: readonly [RegExp, string][] = [
  [/^bad indentation of a mapping entry/, 'a line is indented wrongly, or a value holds ": " or starts with @ or ` (put such a value in quotes: title: "A: B")'],
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
