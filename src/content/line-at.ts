/**
 * Line numbers for messages (`path:line: message`): the 1-based line of a
 * character offset, lines counted by `\n`, without making an array of them.
 */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The line of the first `needle` in `text` (from `from` on), or undefined when it is not there. */
export function lineOf(text: string, needle: string, from = 0): number | undefined {
  const at = text.indexOf(needle, from);
  return at < 0 ? undefined : lineAt(text, at);
}
