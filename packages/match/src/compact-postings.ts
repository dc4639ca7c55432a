import { CHUNK_ROWS } from './hash-store.ts';
import { slotBits, type SlotSource } from './slot-layout.ts';
import { DIRECTORY_GROUP, DIRECTORY_SHIFT, postingsKernels, type PostingsKernels } from './wasm-postings.ts';

/** Probe masks one slot memory holds: a slot's probes at radius <= 3 with keys of 23 bits (2 048), or <= 2 with 16. */
export const MAX_MASKS = 4096;

/**
 * How a slot's row numbers are stored: `rows`, 3 bytes each (4 above 2^24 rows); or `split` (Elias–Fano
 * with 16 low bits): the low 16 bits of each row in 2 bytes and its 65 536-row shard in unary, about 18
 * bits a row in all. `auto` takes `split` for keys of at most 16 bits, where the unary part costs about
 * 2 bits a row (one bit a posting, one a shard per key); with wider keys it would cost more than it saves.
 */
export type PostingsFormat = 'auto' | 'rows' | 'split';

/**
 * The directory of a slot's postings: `auto` packs it (a u32 base every 16 keys and a u8 per key, the
 * key's offset from its group's base: 1.25 bytes a key instead of 4) when the format is `rows` and every
 * group of 16 keys holds fewer than 256 postings before its last key (random banks with about 4 rows a
 * key: about 70 at most); `full` keeps a u32 offset per key (the split format always does).
 */
export type DirectoryChoice = 'auto' | 'full';

/** Whether every key's offset is within 255 of its group's first (the packed directory's u8). */
function packedDirectoryFits(offsets: Uint32Array): boolean {
  for (let k = 0; k < offsets.length; k++) if (offsets[k] - offsets[k & -DIRECTORY_GROUP] > 255) return false;
  return true;
}

/**
 * Bits of a key the second pass of `scatterRows` places by (its cursors: 4 096 words, 16 KiB, in the L1
 * cache); the key's higher bits choose the bucket the first pass appends the row to.
 */
const BUCKET_LOW_BITS = 12;

/** From this many rows a slot's row numbers are filed in two passes (below, the cursors are in the cache anyway). */
export const BUCKETED_FROM_ROWS = 1 << 18;

/** Rows (u32) and keys' low bits (u16) a bucketed scatter passes between its two passes; reused across slots. */
export interface ScatterScratch {
  rows: Uint32Array;
  low: Uint16Array;
}

export function scatterScratch(rows: number): ScatterScratch {
  return { rows: new Uint32Array(rows), low: new Uint16Array(rows) };
}

/**
 * Files each row's number under its key: at `cursor[key]++` (in rows), `stride` bytes each in `bytes`, the rows
 * of a key ascending. Large slots take two passes: each row is first appended to a bucket by its key's
 * high bits (a few hundred sequential streams), then each bucket's rows are placed by their keys' low bits,
 * its cursors and postings in the cache. One pass would write each row at a random place in the whole slot
 * and read a random cursor of 2^width: two cache misses a row, which were most of a build's time.
 */
function scatterRows(source: SlotSource, rows: number, start: number, width: number, cursor: Uint32Array, bytes: Uint8Array, stride: number, scratch: ScatterScratch | undefined): void {
  const { words, first, second, stride: step } = source;
  const lowBits = BUCKET_LOW_BITS;
  if (width <= lowBits + 2 || rows < BUCKETED_FROM_ROWS) {
    for (let r = 0, a = first, b = second; r < rows; r++, a += step, b += step) {
      const at = cursor[slotBits(words[a], words[b], start, width)]++ * stride;
      bytes[at] = r;
      bytes[at + 1] = r >>> 8;
      bytes[at + 2] = r >>> 16;
      if (stride === 4) bytes[at + 3] = r >>> 24;
    }
    return;
  }
  const { rows: bucketRows, low } = scratch !== undefined && scratch.rows.length >= rows ? scratch : scatterScratch(rows);
  const lowMask = (1 << lowBits) - 1;
  const buckets = 1 << (width - lowBits);
  const bucketCursor = new Uint32Array(buckets + 1);
  for (let bucket = 0; bucket <= buckets; bucket++) bucketCursor[bucket] = cursor[bucket << lowBits];
  for (let r = 0, a = first, b = second; r < rows; r++, a += step, b += step) {
    const key = slotBits(words[a], words[b], start, width);
    const at = bucketCursor[key >>> lowBits]++;
    bucketRows[at] = r;
    low[at] = key & lowMask;
  }
  for (let bucket = 0, i = 0; bucket < buckets; bucket++) {
    const high = bucket << lowBits;
    for (const end = bucketCursor[bucket]; i < end; i++) {
      const r = bucketRows[i];
      const at = cursor[high | low[i]]++ * stride;
      bytes[at] = r;
      bytes[at + 1] = r >>> 8;
      bytes[at + 2] = r >>> 16;
      if (stride === 4) bytes[at + 3] = r >>> 24;
    }
  }
}

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
  readonly format: 'rows' | 'split' | 'ranges';
  /** Bytes per row number in the `rows` format: 3 or 4. */
  readonly stride: number;
  /** 65 536-row shards (the `split` format's high parts). */
  readonly shards: number;
  /** Where `gather` writes (CHUNK_ROWS rows). */
  readonly scratch: Uint32Array;
  private readonly masks: Uint32Array;
  private loadedMasks: Uint32Array | undefined;
  /** `full`: a u32 offset per key; `packed`: a u32 base per DIRECTORY_GROUP keys and a u8 per key. */
  readonly directory: 'full' | 'packed';
  /** The u32 offsets (full) or bases (packed). */
  private readonly offsets: Uint32Array;
  private readonly rels: Uint8Array;
  private readonly relsAt: number;
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
   * `cursor`: a scratch array of at least 2^width + 1 words the build may use, and `scratch` one of `rows`
   * rows for the bucketed scatter (one for every slot of an index spares the garbage of one per slot); they
   * are allocated when absent.
   */
  constructor(source: SlotSource, rows: number, start: number, width: number, format: PostingsFormat | 'ranges' = 'auto', cursor?: Uint32Array, directory: DirectoryChoice = 'auto', scratch?: ScatterScratch) {
    this.rows = rows;
    this.width = width;
    this.format = format === 'auto' ? (width <= LOW_BITS ? 'split' : 'rows') : format;
    const split = this.format === 'split';
    const ranges = this.format === 'ranges';
    this.stride = rows <= 1 << 24 ? 3 : 4;
    this.shards = Math.max(1, Math.ceil(rows / 2 ** LOW_BITS));
    this.rowMask = this.stride === 3 ? 0xffffff : -1;
    const keys = 2 ** width;
    const { words, first, second, stride } = source;
    // every key's first posting, counted before the memory is sized (the packed directory may not fit)
    const offsets = cursor !== undefined && cursor.length > keys ? cursor.subarray(0, keys + 1).fill(0) : new Uint32Array(keys + 1);
    for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) offsets[slotBits(words[a], words[b], start, width) + 1]++;
    for (let k = 0; k < keys; k++) offsets[k + 1] += offsets[k];
    this.directory = !split && directory === 'auto' && packedDirectoryFits(offsets) ? 'packed' : 'full';
    const packed = this.directory === 'packed';
    const groups = (keys >>> DIRECTORY_SHIFT) + 1;
    // layout of the memory, in bytes: masks, scratch, the directory (u32 offsets, or u32 bases and u8 rels
    // padded to 4 bytes), then the row numbers (+ 4 bytes the kernels may read past the end), or the low
    // parts (padded to 4 bytes) and the high bits
    const scratchAt = MAX_MASKS * 4;
    this.offsetsAt = scratchAt + CHUNK_ROWS * 4;
    this.relsAt = this.offsetsAt + groups * 4;
    this.rowsAt = packed ? this.relsAt + Math.ceil((keys + 1) / 4) * 4 : this.offsetsAt + (keys + 1) * 4;
    this.highAt = this.rowsAt + Math.ceil(rows / 2) * 4;
    const highWords = Math.ceil((rows + keys * this.shards) / 32) + 1;
    const end = split ? this.highAt + highWords * 4 : this.rowsAt + (ranges ? 0 : rows * this.stride) + 4;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
    this.kernels = postingsKernels(this.memory);
    const buffer = this.memory.buffer;
    this.masks = new Uint32Array(buffer, 0, MAX_MASKS);
    this.scratch = new Uint32Array(buffer, scratchAt, CHUNK_ROWS);
    this.offsets = new Uint32Array(buffer, this.offsetsAt, packed ? groups : keys + 1);
    this.rels = new Uint8Array(buffer, this.relsAt, packed ? keys + 1 : 0);
    this.rowBytes = new Uint8Array(buffer, this.rowsAt, split || ranges ? 0 : rows * this.stride);
    this.low = new Uint16Array(buffer, this.rowsAt, split ? rows : 0);
    this.high = new Uint32Array(buffer, split ? this.highAt : 0, split ? highWords : 0);
    if (packed) {
      for (let g = 0; g < groups; g++) this.offsets[g] = offsets[g << DIRECTORY_SHIFT];
      for (let k = 0; k <= keys; k++) this.rels[k] = offsets[k] - offsets[k & -DIRECTORY_GROUP];
    } else {
      this.offsets.set(offsets);
    }
    // from here on `offsets` is each key's cursor: where its next posting goes
    const keyCursor = offsets;
    const bytes = this.rowBytes;
    if (ranges) {
      // the rows are in key order: key k's rows are offsetOf(k) .. offsetOf(k + 1) - 1, nothing to store
      for (let r = 0, a = first, b = second, previous = 0; r < rows; r++, a += stride, b += stride) {
        const key = slotBits(words[a], words[b], start, width);
        if (key < previous) throw new RangeError('ranges postings need the rows in the order of their keys');
        previous = key;
      }
    } else if (split) {
      const { low, high, shards } = this;
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) {
        const key = slotBits(words[a], words[b], start, width);
        const i = keyCursor[key]++;
        low[i] = r & 0xffff;
        // i - offsets[key] postings and r >>> 16 shard ends come before this one in the key's region
        const bit = i + key * shards + (r >>> LOW_BITS);
        high[bit >>> 5] |= 1 << (bit & 31);
      }
    } else {
      scatterRows(source, rows, start, width, keyCursor, bytes, this.stride, scratch);
    }
  }

  /** Where key k's postings start (k up to 2^width, where the last key's end). */
  private offsetOf(k: number): number {
    return this.directory === 'packed' ? this.offsets[k >>> DIRECTORY_SHIFT] + this.rels[k] : this.offsets[k];
  }

  /** Makes `masks` (MAX_MASKS at most) the probes' masks of the next `countProbes` and `gather` calls. */
  useMasks(masks: Uint32Array): void {
    if (this.loadedMasks === masks) return;
    this.masks.set(masks);
    this.loadedMasks = masks;
  }

  /** How many rows the probes key ^ mask hold together, for the masks given to `useMasks`. */
  countProbes(key: number): number {
    if (this.directory === 'packed') return this.kernels.countPacked(key, 0, this.loadedMasks!.length, this.offsetsAt, this.relsAt);
    return this.kernels.count(key, 0, this.loadedMasks!.length, this.offsetsAt);
  }

  /**
   * Writes the rows of the probes key ^ mask to `scratch`, probe after probe (each ascending); returns how
   * many. Only when they fit (`countProbes(key) <= CHUNK_ROWS`).
   */
  gather(key: number): number {
    const n = this.loadedMasks!.length;
    if (this.format === 'ranges') return this.gatherRanges(key);
    if (this.format === 'split') return this.kernels.gatherSplit(key, 0, n, this.offsetsAt, this.rowsAt, this.highAt, this.shards, this.scratch.byteOffset);
    if (this.directory === 'packed') return this.kernels.gatherPacked(key, 0, n, this.offsetsAt, this.relsAt, this.rowsAt, this.stride, this.rowMask, this.scratch.byteOffset);
    return this.kernels.gather(key, 0, n, this.offsetsAt, this.rowsAt, this.stride, this.rowMask, this.scratch.byteOffset);
  }

  /** `gather` for rows in key order: each probe's rows are one run of row numbers. */
  private gatherRanges(key: number): number {
    const masks = this.loadedMasks!;
    const out = this.scratch;
    let n = 0;
    for (let i = 0; i < masks.length; i++) {
      const k = key ^ masks[i];
      for (let row = this.offsetOf(k), end = this.offsetOf(k + 1); row < end; row++) out[n++] = row;
    }
    return n;
  }

  /** How many rows are filed under `key`. */
  count(key: number): number {
    return this.offsetOf(key + 1) - this.offsetOf(key);
  }

  /** Writes the rows filed under `key`, ascending, to out[at…]; returns how many (see `count`). */
  decode(key: number, out: Uint32Array, at: number): number {
    const start = this.offsetOf(key);
    const count = this.offsetOf(key + 1) - start;
    if (this.format === 'ranges') {
      for (let i = 0; i < count; i++) out[at + i] = start + i;
      return count;
    }
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
