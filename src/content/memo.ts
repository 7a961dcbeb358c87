/**
 * The one memo: a value derived from an object (a site view, a post), made
 * on first use and kept exactly as long as that object. The store hands out
 * a new view object when the posts change and a new post object when its
 * file changes, so keying on the object is keying on its version; nothing is
 * invalidated by hand, and two stores (two apps in one process) never share
 * an entry.
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
