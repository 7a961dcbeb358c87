/**
 * TOML frontmatter (`+++` fences, as Hugo and Zola write it) as plain data,
 * for gray-matter's `engines` option (src/content/header-engines.ts plugs it
 * in; src/content/fenced-header.ts calls gray-matter with it). Dates come
 * back as the text the author wrote (`2024-06-23T21:56:58-07:00`,
 * `2024-06-23`), as YAML dates do with the core schema, so no time zone can
 * shift them before `parseDate` reads them; tables come back as ordinary
 * objects.
 */
import { parse, TomlDate, TomlError } from 'smol-toml';

export { TomlError };

export function tomlEngine(source: string): Record<string, unknown> {
  return plain(parse(source)) as Record<string, unknown>;
}

function plain(value: unknown): unknown {
  // `toISOString` of a TomlDate keeps its form: a date, a local or an offset date-time.
  if (value instanceof TomlDate) return value.toISOString().replace(/\.000(?=$|[Z+-])/, '');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Defined, not assigned: a key named `__proto__` stays a key, never the object's prototype.
    for (const [key, inner] of Object.entries(value))
      Object.defineProperty(out, key, { value: plain(inner), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** "Invalid TOML document: ..." without smol-toml's code excerpt, which `check` shows its own way. */
export function describeTomlError(err: TomlError): string {
  const first = err.message.split('\n')[0] ?? err.message;
  return first.replace(/^Invalid TOML document:\s*/i, '');
}
