/**
 * What a markdown file says about itself, read leniently (as its old tool
 * would, not as Lede does): its header's fields, whether it is a draft, its
 * title, and the local images it references. Pure (scripts/real-blogs.ts).
 */
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';

export type Fields = Readonly<Record<string, unknown>>;

export interface Source {
  /** Header fields, keys lower-cased; empty when there is no header or it does not parse. */
  readonly fields: Fields;
  readonly body: string;
}

const YAML_HEADER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const TOML_HEADER = /^\uFEFF?\+\+\+[ \t]*\r?\n([\s\S]*?)\r?\n\+\+\+[ \t]*(?:\r?\n|$)/;

export function readSource(text: string): Source {
  const header = YAML_HEADER.exec(text) ?? TOML_HEADER.exec(text);
  if (!header) return { fields: {}, body: text };
  let parsed: unknown;
  try {
    parsed = header[0].trimStart().startsWith('+++') ? parseToml(header[1]!) : yaml.load(header[1]!, { schema: yaml.CORE_SCHEMA });
  } catch {
    parsed = undefined;
  }
  const fields: Record<string, unknown> = {};
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) fields[key.toLowerCase()] = value;
  }
  return { fields, body: text.slice(header[0].length) };
}

const truthy = (value: unknown): boolean => value === true || (typeof value === 'string' && /^(true|yes)$/i.test(value.trim()));
const falsy = (value: unknown): boolean => value === false || (typeof value === 'string' && /^(false|no)$/i.test(value.trim()));

/** Why a file is not expected to be served, or `undefined` when it is a post: a draft by its header or folder, or nothing to show. */
export function notAPost(file: string, source: Source): string | undefined {
  const { fields } = source;
  if (truthy(fields.draft) || falsy(fields.published) || /^(draft|hidden|private)$/i.test(String(fields.status ?? ''))) return 'draft (header)';
  if (file.split('/').includes('_drafts')) return 'draft (_drafts/)';
  if (source.body.trim() === '' && !text(fields.title)) return 'empty (no title, no body)';
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The title its old tool would show: the header's, else the first `# heading`, else the file name. */
export function titleOf(file: string, source: Source): string {
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(source.body);
  const name = file
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');
  return text(source.fields.title) ?? heading?.[1]?.trim() ?? name;
}

/** The local (not remote, not data:) image references of a markdown body: `![](x)`, `<img src="x">`, `![[x.png]]`. */
export function localImageRefs(body: string): string[] {
  const refs: string[] = [];
  const patterns = [/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g, /<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']/gi, /!\[\[([^\]|#]+\.(?:png|jpe?g|gif|webp|svg|avif))/gi];
  for (const pattern of patterns) {
    for (const match of body.matchAll(pattern)) {
      const ref = match[1]!;
      if (!/^(?:[a-z][\w+.-]*:|\/\/)/i.test(ref)) refs.push(ref);
    }
  }
  return refs;
}
