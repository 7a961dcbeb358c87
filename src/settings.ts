/**
 * Every problem in the site settings file, each with its line, for
 * `npm run check` (start-up stops at the first one; an author fixing the file
 * wants them all at once).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { SETTINGS_FILE, settingsSchema } from './config.js';
import type { ContentError } from './content/post.js';
import { describeYamlError, yamlErrorLine } from './validate/yaml.js';
import { describeIssue } from './validate/describe-issue.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function settingsProblems(contentDir: string): ContentError[] {
  const file = path.join(contentDir, SETTINGS_FILE);
  if (!existsSync(file)) return [];
  const problem = (message: string, line?: number): ContentError => ({ file: SETTINGS_FILE, line, message });
  let text: string;
  try {
    text = utf8.decode(readFileSync(file));
  } catch (err) {
    return [problem(err instanceof TypeError ? 'is not UTF-8 text; save it with UTF-8 encoding' : `cannot be read: ${(err as Error).message}`)];
  }
  // Read as start-up reads it (js-yaml, core schema), so both agree on what is broken.
  let data: unknown;
  try {
    data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? {};
  } catch (err) {
    if (err instanceof jsYaml.YAMLException) {
      const line = yamlErrorLine(err, text);
      return [problem(`broken YAML: ${describeYamlError(err)}`, line === undefined ? undefined : line + 1)];
    }
    return [problem(`cannot be read: ${(err as Error).message}`)];
  }
  const result = settingsSchema.safeParse(data, { reportInput: true });
  if (result.success) return [];
  // The `yaml` package keeps source positions: it finds the line of each problem.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return result.error.issues
    .map((issue) => {
      const keyPath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
      return problem(describeIssue(issue), lineOf(doc, keyPath as (string | number)[], lineCounter));
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The line of the key (or item) at `keyPath`, else of its nearest parent. */
function lineOf(doc: Document, keyPath: readonly (string | number)[], lines: LineCounter): number | undefined {
  for (let depth = keyPath.length; depth > 0; depth--) {
    const parentPath = keyPath.slice(0, depth - 1);
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    const last = keyPath[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
      const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (offset !== undefined) return lines.linePos(offset).line;
    }
    const node = doc.getIn(keyPath.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
