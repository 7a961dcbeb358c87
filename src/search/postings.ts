/**
 * One term's postings, packed as bytes: for each (document slot, field) the
 * term occurs in, a variable-length integer holding the slot's distance from
 * the previous posting's (zigzag, so a reused lower slot costs a few bytes
 * more, never a wrong answer), the field, and the frequency when it is 1 to
 * 3; a larger frequency follows as a second integer.
 *
 * A term found in consecutive documents costs one byte per posting, where a
 * JavaScript array of numbers costs eight: with 100,000 posts of 8 KB the
 * postings take 315 MB as arrays, about 50 MB packed.
 *
 * A list grows by doubling up to `BLOCK_BYTES`, then by whole blocks that
 * are never copied again. Doubling to the end left a common word's 200 KB
 * behind it in freed buffers of 8, 16, ... 128 KB, and trimming copied it
 * once more: malloc keeps such holes (only what is freed at the top of its
 * heap goes back to the system), and after indexing 100,000 posts its heap
 * held 121 MB for 55 MB in use.
 */

/** A frequency above this is kept as this (BM25 saturates long before). */
export const MAX_FREQUENCY = 255;
/** Fields are 0 to 7. */
const FIELD_BITS = 3;
/** Frequencies 1 to 3 inline (as 0 to 2); 3 means "the frequency follows". */
const INLINE_FREQUENCIES = 3;
const FIRST_CAPACITY = 8;
/** The most a list's buffer grows to by doubling; a longer list is a chain of buffers this size. */
export const BLOCK_BYTES = 16 * 1024;
/** The most bytes one posting takes (two varints of 31 bits at most): never split across blocks. */
const MAX_POSTING_BYTES = 10;

/** Decoded postings: parallel arrays, reused from one list to the next. */
export class PostingScratch {
  slots = new Int32Array(64);
  fields = new Uint8Array(64);
  frequencies = new Uint8Array(64);

  /** Room for `count` postings at least. */
  reserve(count: number): void {
    if (count <= this.slots.length) return;
    const size = Math.max(count, this.slots.length * 2);
    this.slots = new Int32Array(size);
    this.fields = new Uint8Array(size);
    this.frequencies = new Uint8Array(size);
  }
}

/** A list this short is kept, once trimmed, as a string of its bytes (`PostingList.packed`). */
export const PACKED_MAX_BYTES = 64;
const EMPTY = new Uint8Array(0);
/** A packed list's bytes, copied here to be decoded (search is synchronous). */
const unpacked = new Uint8Array(PACKED_MAX_BYTES);

export class PostingList {
  /** Blocks filled before the current one, each a view of its bytes in use; undefined while there are none. */
  private full: Uint8Array[] | undefined;
  /** The block being written (empty while the list is packed). */
  private bytes = new Uint8Array(FIRST_CAPACITY);
  private used = 0;
  /**
   * A short list, trimmed, as a one-byte string of its bytes: most words of
   * a large site occur in one or two documents (names, numbers, typos), and
   * as a typed array each such list cost about 200 bytes of objects for a
   * few bytes of postings (with 100,000 posts, 100,000 such words: 20 MB).
   */
  private packed: string | undefined;
  /** Postings in the list. */
  count = 0;
  /** The slot of the last posting added: the next one is written as its distance from it. */
  private last = 0;

  /** Bytes held, spare capacity included. */
  get capacity(): number {
    if (this.packed !== undefined) return this.packed.length;
    let bytes = this.bytes.length;
    for (const block of this.full ?? []) bytes += block.buffer.byteLength;
    return bytes;
  }

  add(slot: number, field: number, frequency: number): void {
    const delta = slot - this.last;
    const zigzag = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    const inline = Math.min(frequency, INLINE_FREQUENCIES + 1) - 1;
    if (this.packed !== undefined) this.unpack();
    this.reserveBytes(MAX_POSTING_BYTES);
    this.writeVarint((((zigzag << FIELD_BITS) | field) << 2) | inline);
    if (inline === INLINE_FREQUENCIES) this.writeVarint(Math.min(frequency, MAX_FREQUENCY) - INLINE_FREQUENCIES - 1);
    this.last = slot;
    this.count++;
  }

  /** Writes the postings into `into` (in the order added), returning their count. */
  decode(into: PostingScratch): number {
    into.reserve(this.count);
    if (this.packed !== undefined) return decodeBlock(unpacked, copyPacked(this.packed, unpacked), into, 0, 0);
    let n = 0;
    let slot = 0;
    for (const block of this.full ?? []) {
      n = decodeBlock(block, block.length, into, n, slot);
      slot = into.slots[n - 1] ?? slot;
    }
    return decodeBlock(this.bytes, this.used, into, n, slot);
  }

  /** Keeps the postings of the slots `keep` accepts, in order; returns how many are left. */
  retain(keep: (slot: number) => boolean, scratch: PostingScratch): number {
    const n = this.decode(scratch);
    const { slots, fields, frequencies } = scratch;
    this.full = undefined;
    this.packed = undefined;
    this.bytes = new Uint8Array(FIRST_CAPACITY);
    this.used = 0;
    this.count = 0;
    this.last = 0;
    for (let i = 0; i < n; i++) if (keep(slots[i]!)) this.add(slots[i]!, fields[i]!, frequencies[i]!);
    this.trim();
    return this.count;
  }

  /**
   * Gives back the spare capacity (after a build, which grows lists by
   * doubling): a short list is packed, a list in one buffer is copied to
   * its size. A chain of blocks keeps its last one: less than a block to
   * spare, where copying it would free a block.
   */
  trim(): void {
    if (this.full || this.packed !== undefined) return;
    if (this.used <= PACKED_MAX_BYTES) {
      this.packed = String.fromCharCode(...this.bytes.subarray(0, this.used));
      this.bytes = EMPTY;
      this.used = 0;
    } else if (this.bytes.length > this.used) this.bytes = this.bytes.slice(0, this.used);
  }

  /** Back to a buffer, to be added to. */
  private unpack(): void {
    const packed = this.packed!;
    this.packed = undefined;
    this.bytes = new Uint8Array(Math.max(FIRST_CAPACITY, packed.length * 2));
    this.used = copyPacked(packed, this.bytes);
  }

  private reserveBytes(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    if (this.bytes.length >= BLOCK_BYTES) {
      (this.full ??= []).push(this.bytes.subarray(0, this.used));
      this.bytes = new Uint8Array(BLOCK_BYTES);
      this.used = 0;
      return;
    }
    const grown = new Uint8Array(Math.min(Math.max(this.used + extra, this.bytes.length * 2), BLOCK_BYTES));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }

  private writeVarint(value: number): void {
    let rest = value;
    while (rest >= 128) {
      this.bytes[this.used++] = (rest % 128) | 128;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.used++] = rest;
  }
}

/** Writes a packed list's bytes into `into`, returning their count. */
function copyPacked(packed: string, into: Uint8Array): number {
  for (let i = 0; i < packed.length; i++) into[i] = packed.charCodeAt(i);
  return packed.length;
}

/**
 * Decodes `end` bytes of one block into `into` from index `n` on, the slot
 * distances counting from `slot` (the block before's last); returns the new count.
 */
function decodeBlock(bytes: Uint8Array, end: number, into: PostingScratch, n: number, slot: number): number {
  const { slots, fields, frequencies } = into;
  let p = 0;
  // Every value fits in 31 bits (a slot distance below 2^21), so bit operations decode it.
  while (p < end) {
    let value = bytes[p++]!;
    if (value >= 128) {
      value &= 127;
      let shift = 7;
      let byte: number;
      do {
        byte = bytes[p++]!;
        value |= (byte & 127) << shift;
        shift += 7;
      } while (byte >= 128);
    }
    const inline = value & 3;
    const field = (value >>> 2) & 7;
    const zigzag = value >>> 5;
    slot += (zigzag >>> 1) ^ -(zigzag & 1);
    let frequency = inline + 1;
    if (inline === INLINE_FREQUENCIES) {
      let extra = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = bytes[p++]!;
        extra |= (byte & 127) << shift;
        shift += 7;
      } while (byte >= 128);
      frequency = INLINE_FREQUENCIES + 1 + extra;
    }
    slots[n] = slot;
    fields[n] = field;
    frequencies[n] = frequency;
    n++;
  }
  return n;
}
