/**
 * Copies of the strings in parsed frontmatter that share no memory with the
 * text they were parsed from. V8 makes a substring of 13 characters or more
 * a view of its parent (a "sliced string"): a title sliced out of a header
 * keeps the whole header alive, and a post keeps its title for as long as
 * the server runs. With 100,000 posts, those headers were 21 MB of the heap.
 */

/** Sliced strings are this long at least; shorter ones are copies already. */
const MIN_SLICED_LENGTH = 13;

/**
 * `value` with every string in it (in arrays and plain objects, at any depth)
 * copied, in place; other values as they are. Each object is visited once,
 * so YAML aliases (shared, even circular, nodes) cost no more than their text.
 */
export function detachStrings<T>(value: T): T {
  return detach(value, new Set()) as T;
}

function detach(value: unknown, seen: Set<object>): unknown {
  if (typeof value === 'string') return value.length >= MIN_SLICED_LENGTH ? Buffer.from(value, 'utf8').toString('utf8') : value;
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    for (let i = 0; i < value.length; i++) value[i] = detach(value[i], seen);
    return value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = detach(record[key], seen);
  }
  return value;
}
