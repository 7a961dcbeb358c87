/**
 * A memo for pure functions of short text (a date, a line of markdown) that
 * every page render asks again with the same arguments. Bounded: when full it
 * starts over, so a site of many distinct values costs no more than
 * `maxEntries` of them, and no value outlives a few thousand newer ones.
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
