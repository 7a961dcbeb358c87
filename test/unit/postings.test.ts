import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BLOCK_BYTES, MAX_FREQUENCY, PACKED_MAX_BYTES, PostingList, PostingScratch } from '../../src/search/postings.js';

type Posting = [slot: number, field: number, frequency: number];

function decoded(list: PostingList): Posting[] {
  const scratch = new PostingScratch();
  const n = list.decode(scratch);
  return Array.from({ length: n }, (_, i): Posting => [scratch.slots[i]!, scratch.fields[i]!, scratch.frequencies[i]!]);
}

function listOf(postings: readonly Posting[]): PostingList {
  const list = new PostingList();
  for (const [slot, field, frequency] of postings) list.add(slot, field, frequency);
  return list;
}

const posting = fc.tuple(fc.integer({ min: 0, max: 2 ** 20 - 1 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 10_000 }));

describe('PostingList', () => {
  it('should give back every posting in the order added, slots in any order, frequencies capped', () => {
    fc.assert(
      fc.property(fc.array(posting, { maxLength: 300 }), (postings) => {
        const list = listOf(postings);
        expect(list.count).toBe(postings.length);
        expect(decoded(list)).toEqual(postings.map(([s, f, n]) => [s, f, Math.min(n, MAX_FREQUENCY)]));
      }),
    );
  });

  it('should take one byte a posting for a word in consecutive documents, once each', () => {
    const list = listOf(Array.from({ length: 10_000 }, (_, slot): Posting => [slot, 5, 1]));
    list.trim();
    expect(list.capacity).toBe(10_000);
    expect(decoded(list)).toHaveLength(10_000);
  });

  it('should keep the postings of the slots asked for, in order, and trim its room', () => {
    fc.assert(
      fc.property(fc.array(posting, { maxLength: 200 }), fc.integer({ min: 2, max: 5 }), (postings, every) => {
        const list = listOf(postings);
        const left = list.retain((slot) => slot % every === 0, new PostingScratch());
        const kept = postings.filter(([slot]) => slot % every === 0).map(([s, f, n]): Posting => [s, f, Math.min(n, MAX_FREQUENCY)]);
        expect(left).toBe(kept.length);
        expect(decoded(list)).toEqual(kept);
        list.add(7, 1, 2);
        expect(decoded(list)).toEqual([...kept, [7, 1, 2]]);
      }),
    );
  });

  it('should keep a list longer than a block in blocks, decoded as one list, with less than a block to spare', () => {
    // Slots far apart and large frequencies: postings of several bytes, some at the end of a block.
    const postings = Array.from({ length: 3 * BLOCK_BYTES }, (_, i): Posting => [(i * 37) % 2 ** 20, i % 8, 1 + (i % 300)]);
    const list = listOf(postings);
    list.trim();
    expect(decoded(list)).toEqual(postings.map(([s, f, n]) => [s, f, Math.min(n, MAX_FREQUENCY)]));
    const bytes = list.capacity;
    expect(bytes % BLOCK_BYTES).toBe(0);
    list.add(5, 0, 1);
    expect(list.capacity).toBeLessThanOrEqual(bytes + BLOCK_BYTES);
    expect(decoded(list).at(-1)).toEqual([5, 0, 1]);
  });

  it('should keep the postings asked for from a list of several blocks', () => {
    const postings = Array.from({ length: 2 * BLOCK_BYTES }, (_, slot): Posting => [slot, 2, 1 + (slot % 5)]);
    const list = listOf(postings);
    const left = list.retain((slot) => slot % 3 === 0, new PostingScratch());
    const kept = postings.filter(([slot]) => slot % 3 === 0);
    expect(left).toBe(kept.length);
    expect(decoded(list)).toEqual(kept);
  });

  it('should keep a short list, once trimmed, in its bytes alone', () => {
    const list = listOf([
      [1, 0, 1],
      [2, 5, 1],
      [3, 5, 2],
    ]);
    list.trim();
    expect(list.capacity).toBe(3);
    expect(decoded(list)).toEqual([
      [1, 0, 1],
      [2, 5, 1],
      [3, 5, 2],
    ]);
    const long = listOf(Array.from({ length: PACKED_MAX_BYTES + 1 }, (_, slot): Posting => [slot, 0, 1]));
    long.trim();
    expect(long.capacity).toBe(PACKED_MAX_BYTES + 1);
  });

  it('should decode a short list the same once trimmed, and take more postings after', () => {
    fc.assert(
      fc.property(fc.array(posting, { maxLength: 20 }), posting, (postings, more) => {
        const list = listOf(postings);
        const room = list.capacity;
        list.trim();
        const capped = postings.map(([s, f, n]): Posting => [s, f, Math.min(n, MAX_FREQUENCY)]);
        expect(list.capacity).toBeLessThanOrEqual(room);
        expect(decoded(list)).toEqual(capped);
        list.add(...more);
        expect(decoded(list)).toEqual([...capped, [more[0], more[1], Math.min(more[2], MAX_FREQUENCY)]]);
      }),
    );
  });
});
