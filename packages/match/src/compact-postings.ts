import { CHUNK_ROWS } from './hash-store.ts';
import { postingsKernels, type PostingsKernels } from './wasm-postings.ts';

/** Keys one `decodeKeysToScratch` call can take: a slot's 17 probes at radius <= 31 (137 at radius <= 47 go in pieces). */
export const TOUCH_KEYS = 32;

/**
 * The postings of one multi-index slot over rows 0..rows-1, built once and never changed: for each 16-bit
 * key, the rows whose slot holds that key, in ascending order.
 *
 * A posting costs 18 bits instead of 32 (Elias–Fano split): the low 16 bits of the row go in `low`, and the
 * high part (the row's 65 536-row "shard") is coded in unary in `high`. Key k's unary region starts at bit
 * offsets[k] + k * shards and holds one 1 bit per posting and one 0 bit per shard, so the i-th posting of k
 * (0-based), lying in shard j, is the 1 bit at region + i + j: no directory needed to find a key's region.
 */
export class CompactPostings {
  readonly rows: number;
  readonly shards: number;
  readonly offsets: Uint32Array;
  readonly low: Uint16Array;
  readonly high: Uint32Array;
  /** The keys `decodeKeysToScratch` decodes (TOUCH_KEYS at most). */
  readonly keys: Uint32Array;
  /** Where `decodeToScratch` and `decodeKeysToScratch` write (CHUNK_ROWS rows). */
  readonly scratch: Uint32Array;
  /** The arrays above live in this slot's own WebAssembly memory, so `kernels.decode` reads them in place. */
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: PostingsKernels;
  private readonly lowAt: number;
  private readonly highAt: number;
  private readonly offsetsAt: number;

  /**
   * Builds the postings of `slot` for `rows` hashes: the word holding the slot's key is words[wordIndex] for
   * row 0 and `stride` words further on for each next row.
   */
  constructor(words: Uint32Array, wordIndex: number, stride: number, rows: number, slot: number) {
    this.rows = rows;
    this.shards = Math.max(1, Math.ceil(rows / 65536));
    const shift = (slot & 1) === 0 ? 16 : 0;
    const counts = new Uint32Array(65537);
    for (let r = 0, at = wordIndex; r < rows; r++, at += stride) counts[((words[at] >>> shift) & 0xffff) + 1]++;
    // layout of the memory, in bytes: keys to decode, scratch, offsets, low (padded to 4 bytes), high
    const scratchWords = CHUNK_ROWS;
    this.offsetsAt = TOUCH_KEYS * 4 + scratchWords * 4;
    this.lowAt = this.offsetsAt + 65537 * 4;
    this.highAt = this.lowAt + Math.ceil(rows / 2) * 4;
    const highWords = Math.ceil((rows + 65536 * this.shards) / 32) + 1;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.highAt + highWords * 4) / 65536) });
    this.kernels = postingsKernels(this.memory);
    const buffer = this.memory.buffer;
    this.keys = new Uint32Array(buffer, 0, TOUCH_KEYS);
    this.scratch = new Uint32Array(buffer, TOUCH_KEYS * 4, scratchWords);
    const offsets = new Uint32Array(buffer, this.offsetsAt, 65537);
    const low = new Uint16Array(buffer, this.lowAt, rows);
    const high = new Uint32Array(buffer, this.highAt, highWords);
    offsets.set(counts);
    for (let k = 0; k < 65536; k++) offsets[k + 1] += offsets[k];
    const cursor = offsets.slice(0, 65536);
    for (let r = 0, at = wordIndex; r < rows; r++, at += stride) {
      const key = (words[at] >>> shift) & 0xffff;
      const i = cursor[key]++;
      low[i] = r & 0xffff;
      // i - offsets[key] postings and (r >>> 16) shard ends come before this one in the key's region
      const bit = i + key * this.shards + (r >>> 16);
      high[bit >>> 5] |= 1 << (bit & 31);
    }
    this.offsets = offsets;
    this.low = low;
    this.high = high;
  }

  /**
   * Writes the rows filed under `key`, ascending, to `scratch` (in WebAssembly); returns how many. Only for
   * keys holding at most `scratch.length` rows (always true when count(key) <= CHUNK_ROWS).
   */
  decodeToScratch(key: number): number {
    return this.kernels.decode(key, this.offsetsAt, this.lowAt, this.highAt, this.shards, TOUCH_KEYS * 4);
  }

  /**
   * Writes the rows filed under keys[0..n-1] to `scratch`, key after key (each key's ascending), after
   * bringing all their lines into the cache at once; returns how many. One call for a slot's 17 probes.
   * Only when the keys hold at most `scratch.length` rows together (see `countKeys`).
   */
  decodeKeysToScratch(n: number): number {
    return this.kernels.decodeKeys(0, n, this.offsetsAt, this.lowAt, this.highAt, this.shards, TOUCH_KEYS * 4);
  }

  /** How many rows keys[0..n-1] hold together. */
  countKeys(n: number): number {
    let total = 0;
    for (let f = 0; f < n; f++) total += this.count(this.keys[f]);
    return total;
  }

  /** How many rows are filed under `key`. */
  count(key: number): number {
    return this.offsets[key + 1] - this.offsets[key];
  }

  /** Writes the rows filed under `key`, ascending, to out[at…]; returns how many (see `count`). */
  decode(key: number, out: Uint32Array, at: number): number {
    const start = this.offsets[key];
    const count = this.offsets[key + 1] - start;
    if (count === 0) return 0;
    const low = this.low;
    if (this.shards === 1) {
      for (let i = 0; i < count; i++) out[at + i] = low[start + i];
      return count;
    }
    const high = this.high;
    const region = start + key * this.shards;
    let wordIndex = region >>> 5;
    let word = high[wordIndex] & (0xffffffff << (region & 31));
    for (let i = 0; i < count; i++) {
      while (word === 0) word = high[++wordIndex];
      const bit = (wordIndex << 5) + 31 - Math.clz32(word & -word);
      word &= word - 1;
      // the i-th 1 bit of the region sits after i postings and `shard` shard ends
      out[at + i] = (bit - region - i) * 65536 + low[start + i];
    }
    return count;
  }

  /** Bytes held by this slot's arrays. */
  byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}
