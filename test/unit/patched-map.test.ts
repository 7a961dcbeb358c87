/**
 * The store's posts by slug after an edit (src/content/patched-map.ts): the
 * map before it with a few keys set or deleted, which must read exactly as
 * a copied `Map` with those changes, leave the map before it as it was, and
 * become a plain copy once the changes pile up.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { MAX_CHANGES, PatchedMap } from '../../src/content/patched-map.js';

interface Box {
  readonly n: number;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function contents<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('PatchedMap', () => {
  it('should read as a Map with the same changes, through a chain of patches, and leave each map before it unchanged', () => {
    const next = random(7);
    let expected = new Map<string, Box>(Array.from({ length: 200 }, (_, i) => [`k${i}`, { n: i }]));
    let map: ReadonlyMap<string, Box> = new Map(expected);
    const failures: string[] = [];
    for (let round = 0; round < 300; round++) {
      const before = map;
      const beforeContents = contents(before);
      const set = new Map<string, Box>();
      const deleted: string[] = [];
      for (let i = 0, count = 1 + Math.floor(next() * 3); i < count; i++) {
        const key = `k${Math.floor(next() * 260)}`;
        if (next() < 0.4) deleted.push(key);
        else set.set(key, { n: round * 1000 + i });
      }
      map = PatchedMap.of(map, set, deleted);
      expected = new Map(expected);
      for (const key of deleted) expected.delete(key);
      for (const [key, value] of set) expected.set(key, value);

      // Each round's checks are gathered and asserted once: 300 rounds of jest's toEqual on
      // 200 entries took seconds; isDeepStrictEqual is as strict, and the failure names its round.
      const keys = Array.from({ length: 260 }, (_, i) => `k${i}`);
      const wrong = [
        map.size !== expected.size && 'size',
        !isDeepStrictEqual(contents(map), contents(expected)) && 'contents',
        keys.some((key) => map.get(key) !== expected.get(key) || map.has(key) !== expected.has(key)) && 'get/has',
        !isDeepStrictEqual(
          [...map.keys()],
          [...map].map(([key]) => key),
        ) && 'keys()',
        !isDeepStrictEqual(
          [...map.values()],
          [...map].map(([, value]) => value),
        ) && 'values()',
        !isDeepStrictEqual(contents(before), beforeContents) && 'the map before it changed',
      ].filter(Boolean);
      if (wrong.length) failures.push(`round ${round}: ${wrong.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('should move an edited key to the end, as delete and set do in a Map', () => {
    const map = PatchedMap.of(
      new Map([
        ['a', { n: 1 }],
        ['b', { n: 2 }],
        ['c', { n: 3 }],
      ]),
      new Map([['a', { n: 4 }]]),
      ['b'],
    );
    expect([...map.keys()]).toEqual(['c', 'a']);
    const seen: string[] = [];
    map.forEach((value, key, self) => {
      seen.push(`${key}=${value.n}`);
      expect(self).toBe(map);
    });
    expect(seen).toEqual(['c=3', 'a=4']);
  });

  it('should share its base until the changes pass the limit, then be a copy of its own', () => {
    const base = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { n: i }]));
    let map: ReadonlyMap<string, Box> = base;
    for (let i = 0; i < MAX_CHANGES; i++) map = PatchedMap.of(map, new Map([[`k${i}`, { n: -i }]]), []);
    expect(map).toBeInstanceOf(PatchedMap);
    map = PatchedMap.of(map, new Map([['new', { n: 0 }]]), []);
    expect(map).not.toBeInstanceOf(PatchedMap);
    expect(map.size).toBe(1001);
    expect(map.get('k0')).toEqual({ n: -0 });
    expect(base.get('k0')).toEqual({ n: 0 });
  });
});
