import { CHUNK_ROWS } from './hash-store.ts';
import { slotBits, type SlotSource } from './slot-layout.ts';
import { postingsKernels, type PostingsKernels } from './wasm-postings.ts';

/** Probe masks one slot memory holds: a slot's probes at radius <= 3 with keys of 23 bits (2 048), or <= 2 with 16. */
export const MAX_MASKS = 4096;

/**
 * How a slot's row numbers are stored: `rows`, 3 bytes each (4 above 2^24 rows); or `split` (Elias–Fano
 * with 16 low bits): the low 16 bits of each row in 2 bytes and its 65 536-row shard in unary, about 18
 * bits a row in all. `auto` takes `split` for keys of at most 16 bits, where the unary part costs about
 * 2 bits a row (one bit a posting, one a shard per key); with wider keys it would cost more than it saves.
 */
export type PostingsFormat = 'auto' | 'rows' | 'split';

/** Bits of a row number stored in the split format's low part. */
const LOW_BITS = 16;

/**
 * The postings of one multi-index slot over rows 0..rows-1, built once and never changed: for each key
 * (the `width` bits from bit `start` of the hash), the rows filed under it, ascending. The rows are sorted by
 * key, so a key's rows are one run: `offsets[key]` .. `offsets[key + 1]` (u32 each, one per key). In the
 * `rows` format a row number takes 3 bytes while the bank has at most 2^24 rows, else 4. In the `split`
 * format (keys of at most 16 bits: the narrow layout) the low 16 bits of a row take 2 bytes and its high
 * part (its 65 536-row shard) is coded in unary in a bit array: key k's region starts at bit
 * offsets[k] + k * shards and holds one 1 bit per posting and one 0 bit per shard, so the i-th posting of
 * k, at bit b of the region, lies in shard b - region - i (no directory needed to find a region).
 * Everything lives in this slot's own WebAssembly memory, so `count` and `gather` read it in place.
 */
export class CompactPostings {
  readonly rows: number;
  readonly width: number;
  readonly format: 'rows' | 'split';
  /** Bytes per row number in the `rows` format: 3 or 4. */
  readonly stride: number;
  /** 65 536-row shards (the `split` format's high parts). */
  readonly shards: number;
  /** Where `gather` writes (CHUNK_ROWS rows). */
  readonly scratch: Uint32Array;
  private readonly masks: Uint32Array;
  private loadedMasks: Uint32Array | undefined;
  private readonly offsets: Uint32Array;
  private readonly rowBytes: Uint8Array;
  private readonly low: Uint16Array;
  private readonly high: Uint32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: PostingsKernels;
  private readonly offsetsAt: number;
  private readonly rowsAt: number;
  private readonly highAt: number;
  private readonly rowMask: number;

  /**
   * `cursor`: a scratch array of at least 2^width words the build may use (one for every slot of an index
   * spares the garbage of one per slot); one is allocated when absent.
   */
  constructor(source: SlotSource, rows: number, start: number, width: number, format: PostingsFormat = 'auto', cursor?: Uint32Array) {
    this.rows = rows;
    this.width = width;
    this.format = format === 'auto' ? (width <= LOW_BITS ? 'split' : 'rows') : format;
    const split = this.format === 'split';
    this.stride = rows <= 1 << 24 ? 3 : 4;
    this.shards = Math.max(1, Math.ceil(rows / 2 ** LOW_BITS));
    this.rowMask = this.stride === 3 ? 0xffffff : -1;
    const keys = 2 ** width;
    // layout of the memory, in bytes: masks, scratch, offsets, then the row numbers (+ 4 bytes the kernels
    // may read past the end), or the low parts (padded to 4 bytes) and the high bits
    const scratchAt = MAX_MASKS * 4;
    this.offsetsAt = scratchAt + CHUNK_ROWS * 4;
    this.rowsAt = this.offsetsAt + (keys + 1) * 4;
    this.highAt = this.rowsAt + Math.ceil(rows / 2) * 4;
    const highWords = Math.ceil((rows + keys * this.shards) / 32) + 1;
    const end = split ? this.highAt + highWords * 4 : this.rowsAt + rows * this.stride + 4;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
    this.kernels = postingsKernels(this.memory);
    const buffer = this.memory.buffer;
    this.masks = new Uint32Array(buffer, 0, MAX_MASKS);
    this.scratch = new Uint32Array(buffer, scratchAt, CHUNK_ROWS);
    this.offsets = new Uint32Array(buffer, this.offsetsAt, keys + 1);
    this.rowBytes = new Uint8Array(buffer, this.rowsAt, split ? 0 : rows * this.stride);
    this.low = new Uint16Array(buffer, this.rowsAt, split ? rows : 0);
    this.high = new Uint32Array(buffer, this.highAt, split ? highWords : 0);
    const { words, first, second, stride } = source;
    const offsets = this.offsets;
    for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) offsets[slotBits(words[a], words[b], start, width) + 1]++;
    for (let k = 0; k < keys; k++) offsets[k + 1] += offsets[k];
    const keyCursor = cursor !== undefined && cursor.length >= keys ? cursor.subarray(0, keys) : new Uint32Array(keys);
    keyCursor.set(offsets.subarray(0, keys));
    const bytes = this.rowBytes;
    if (split) {
      const { low, high, shards } = this;
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) {
        const key = slotBits(words[a], words[b], start, width);
        const i = keyCursor[key]++;
        low[i] = r & 0xffff;
        // i - offsets[key] postings and r >>> 16 shard ends come before this one in the key's region
        const bit = i + key * shards + (r >>> LOW_BITS);
        high[bit >>> 5] |= 1 << (bit & 31);
      }
    } else if (this.stride === 4) {
      const rowWords = new Uint32Array(buffer, this.rowsAt, rows);
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) rowWords[keyCursor[slotBits(words[a], words[b], start, width)]++] = r;
    } else {
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) {
        const at = keyCursor[slotBits(words[a], words[b], start, width)]++ * 3;
        bytes[at] = r;
        bytes[at + 1] = r >>> 8;
        bytes[at + 2] = r >>> 16;
      }
    }
  }

  /** Makes `masks` (MAX_MASKS at most) the probes' masks of the next `countProbes` and `gather` calls. */
  useMasks(masks: Uint32Array): void {
    if (this.loadedMasks === masks) return;
    this.masks.set(masks);
    this.loadedMasks = masks;
  }

  /** How many rows the probes key ^ mask hold together, for the masks given to `useMasks`. */
  countProbes(key: number): number {
    return this.kernels.count(key, 0, this.loadedMasks!.length, this.offsetsAt);
  }

  /**
   * Writes the rows of the probes key ^ mask to `scratch`, probe after probe (each ascending); returns how
   * many. Only when they fit (`countProbes(key) <= CHUNK_ROWS`).
   */
  gather(key: number): number {
    const n = this.loadedMasks!.length;
    if (this.format === 'split') return this.kernels.gatherSplit(key, 0, n, this.offsetsAt, this.rowsAt, this.highAt, this.shards, this.scratch.byteOffset);
    return this.kernels.gather(key, 0, n, this.offsetsAt, this.rowsAt, this.stride, this.rowMask, this.scratch.byteOffset);
  }

  /** How many rows are filed under `key`. */
  count(key: number): number {
    return this.offsets[key + 1] - this.offsets[key];
  }

  /** Writes the rows filed under `key`, ascending, to out[at…]; returns how many (see `count`). */
  decode(key: number, out: Uint32Array, at: number): number {
    const start = this.offsets[key];
    const count = this.offsets[key + 1] - start;
    if (this.format === 'split') return this.decodeSplit(key, start, count, out, at);
    const bytes = this.rowBytes;
    for (let i = 0, p = start * this.stride; i < count; i++, p += this.stride) {
      const row = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
      out[at + i] = this.stride === 3 ? row : (row | (bytes[p + 3] << 24)) >>> 0;
    }
    return count;
  }

  private decodeSplit(key: number, start: number, count: number, out: Uint32Array, at: number): number {
    const { low, high } = this;
    const region = start + key * this.shards;
    let wordIndex = region >>> 5;
    let word = high[wordIndex] & (0xffffffff << (region & 31));
    for (let i = 0; i < count; i++) {
      while (word === 0) word = high[++wordIndex];
      const bit = (wordIndex << 5) + 31 - Math.clz32(word & -word);
      word &= word - 1;
      // the i-th 1 bit of the region sits after i postings and `shard` shard ends
      out[at + i] = (bit - region - i) * 2 ** LOW_BITS + low[start + i];
    }
    return count;
  }

  /** Bytes held by this slot's memory. */
  byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}
