/**
 * A read-only map that is another map with a few keys set or deleted,
 * sharing it rather than copying it: the store's posts by slug after an
 * edit, while readers of the snapshot before it keep theirs unchanged. A
 * patch of a patch shares the same base; once the changes reach
 * `MAX_CHANGES`, the map is copied whole, so a lookup costs at most two and
 * copying every post is paid once per that many edits, not on each.
 *
 * Iterates the base's entries in their order, less those changed, then the
 * changed ones: an edited key moves to the end, as `delete` then `set`
 * would move it in a `Map`.
 */
export const MAX_CHANGES = 64;

/** A value of `changes` that deletes its key. */
const DELETED: unique symbol = Symbol('deleted');

export class PatchedMap<K, V extends object> implements ReadonlyMap<K, V> {
  readonly size: number;

  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly changes: ReadonlyMap<K, V | typeof DELETED>,
  ) {
    let size = base.size;
    for (const [key, value] of changes) size += (value === DELETED ? 0 : 1) - (base.has(key) ? 1 : 0);
    this.size = size;
  }

  /** `map` with `set` set and `deleted` deleted (a key in both is set). */
  static of<K, V extends object>(map: ReadonlyMap<K, V>, set: ReadonlyMap<K, V>, deleted: Iterable<K>): ReadonlyMap<K, V> {
    const base = map instanceof PatchedMap ? (map as PatchedMap<K, V>).base : map;
    const changes = new Map<K, V | typeof DELETED>(map instanceof PatchedMap ? (map as PatchedMap<K, V>).changes : []);
    for (const key of deleted) changes.set(key, DELETED);
    for (const [key, value] of set) changes.set(key, value);
    const patched = new PatchedMap(base, changes);
    return changes.size > MAX_CHANGES ? new Map(patched) : patched;
  }

  get(key: K): V | undefined {
    // One lookup in the changes when the key is not among them (values are objects, never `undefined`).
    const changed = this.changes.get(key);
    if (changed === undefined) return this.base.get(key);
    return changed === DELETED ? undefined : changed;
  }

  has(key: K): boolean {
    return this.changes.has(key) ? this.changes.get(key) !== DELETED : this.base.has(key);
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  *entries(): MapIterator<[K, V]> {
    for (const entry of this.base) if (!this.changes.has(entry[0])) yield entry;
    for (const [key, value] of this.changes) if (value !== DELETED) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
