import { CHUNK_ROWS } from './hash-store.ts';
import { slotBits, type SlotSource } from './slot-layout.ts';
import { postingsKernels, type PostingsKernels } from './wasm-postings.ts';

/** Probe masks one slot memory holds: a slot's probes at radius <= 3 with keys of 23 bits (2 048), or <= 2 with 16. */
export const MAX_MASKS = 4096;

/**
 * The postings of one multi-index slot over rows 0..rows-1, built once and never changed: for each key
 * (the `width` bits from bit `start` of the hash), the rows filed under it, ascending. The rows are sorted by key, so a
 * key's rows are one run: `offsets[key]` .. `offsets[key + 1]` (u32 each, one per key), and a row number
 * takes 3 bytes while the bank has at most 2^24 rows, else 4. Everything lives in this slot's own
 * WebAssembly memory, so `count` and `gather` read it in place.
 */
export class CompactPostings {
  readonly rows: number;
  readonly width: number;
  /** Bytes per row number: 3 or 4. */
  readonly stride: number;
  /** Where `gather` writes (CHUNK_ROWS rows). */
  readonly scratch: Uint32Array;
  private readonly masks: Uint32Array;
  private loadedMasks: Uint32Array | undefined;
  private readonly offsets: Uint32Array;
  private readonly rowBytes: Uint8Array;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: PostingsKernels;
  private readonly offsetsAt: number;
  private readonly rowsAt: number;
  private readonly rowMask: number;

  constructor(source: SlotSource, rows: number, start: number, width: number) {
    this.rows = rows;
    this.width = width;
    this.stride = rows <= 1 << 24 ? 3 : 4;
    this.rowMask = this.stride === 3 ? 0xffffff : -1;
    const keys = 2 ** width;
    // layout of the memory, in bytes: masks, scratch, offsets, rows (+ 4 bytes the kernels may read past the end)
    const scratchAt = MAX_MASKS * 4;
    this.offsetsAt = scratchAt + CHUNK_ROWS * 4;
    this.rowsAt = this.offsetsAt + (keys + 1) * 4;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.rowsAt + rows * this.stride + 4) / 65536) });
    this.kernels = postingsKernels(this.memory);
    const buffer = this.memory.buffer;
    this.masks = new Uint32Array(buffer, 0, MAX_MASKS);
    this.scratch = new Uint32Array(buffer, scratchAt, CHUNK_ROWS);
    this.offsets = new Uint32Array(buffer, this.offsetsAt, keys + 1);
    this.rowBytes = new Uint8Array(buffer, this.rowsAt, rows * this.stride);
    const { words, first, second, stride } = source;
    const offsets = this.offsets;
    for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) offsets[slotBits(words[a], words[b], start, width) + 1]++;
    for (let k = 0; k < keys; k++) offsets[k + 1] += offsets[k];
    const cursor = offsets.slice(0, keys);
    const bytes = this.rowBytes;
    if (this.stride === 4) {
      const rowWords = new Uint32Array(buffer, this.rowsAt, rows);
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) rowWords[cursor[slotBits(words[a], words[b], start, width)]++] = r;
    } else {
      for (let r = 0, a = first, b = second; r < rows; r++, a += stride, b += stride) {
        const at = cursor[slotBits(words[a], words[b], start, width)]++ * 3;
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
    return this.kernels.gather(key, 0, this.loadedMasks!.length, this.offsetsAt, this.rowsAt, this.stride, this.rowMask, this.scratch.byteOffset);
  }

  /** How many rows are filed under `key`. */
  count(key: number): number {
    return this.offsets[key + 1] - this.offsets[key];
  }

  /** Writes the rows filed under `key`, ascending, to out[at…]; returns how many (see `count`). */
  decode(key: number, out: Uint32Array, at: number): number {
    const start = this.offsets[key];
    const count = this.offsets[key + 1] - start;
    const bytes = this.rowBytes;
    for (let i = 0, p = start * this.stride; i < count; i++, p += this.stride) {
      const row = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
      out[at + i] = this.stride === 3 ? row : (row | (bytes[p + 3] << 24)) >>> 0;
    }
    return count;
  }

  /** Bytes held by this slot's memory. */
  byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}
