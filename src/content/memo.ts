/**
 * The memos: a value derived once and kept, either as long as the object it
 * was derived from (`memoByObject`) or, for short text, in a bounded table
 * (`memoByText`).
 */

/**
 * A value derived from an object (a site view, a post), made on first use
 * and kept exactly as long as that object. The store hands out a new view
 * object when the posts change and a new post object when its file changes,
 * so keying on the object is keying on its version; nothing is invalidated
 * by hand, and two stores (two apps in one process) never share an entry.
 *
 * Only the first argument is the key: the others must be the same for every
 * call with that key (the app's config, fixed for the app whose store made
 * the view).
 */
export function memoByObject<K extends object, A extends unknown[], V>(derive: (key: K, ...rest: A) => V): (key: K, ...rest: A) => V {
  const kept = new WeakMap<K, V>();
  return (key, ...rest) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = derive(key, ...rest);
    kept.set(key, value);
    return value;
  };
}

/**
 * A pure function of short text (a date, a line of markdown) that every page
 * render asks again with the same arguments. Bounded: when full it starts
 * over, so a site of many distinct values costs no more than `maxEntries` of
 * them, and no value outlives a few thousand newer ones. Text longer than
 * `maxKeyChars` is derived each time, never kept.
 */
export function memoByText<V>(derive: (text: string) => V, maxEntries = 4096, maxKeyChars = 1024): (text: string) => V {
  const kept = new Map<string, V>();
  return (text) => {
    if (text.length > maxKeyChars) return derive(text);
    const known = kept.get(text);
    if (known !== undefined || kept.has(text)) return known as V;
    const value = derive(text);
    if (kept.size >= maxEntries) kept.clear();
    kept.set(text, value);
    return value;
  };
}

/**
 * Keys noted lately, at most `maxEntries`: noting one again makes it the
 * most recent, and the least recent is forgotten first.
 */
export class RecentKeys<K> {
  private readonly keys = new Set<K>();

  constructor(private readonly maxEntries: number) {}

  note(key: K): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.maxEntries) this.keys.delete(this.keys.values().next().value as K);
  }

  has(key: K): boolean {
    return this.keys.has(key);
  }

  forget(key: K): void {
    this.keys.delete(key);
  }
}
