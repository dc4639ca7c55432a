import { popcountKernels, type PopcountKernels } from './wasm-popcount.ts';
import { WORDS_PER_HASH } from './hash-words.ts';

const PAGE = 65536;
/** Rows verified per call into WebAssembly; sizes the scratch area at the start of the memory. */
export const CHUNK_ROWS = 16384;
const QUERY_OFFSET = 0;
const ROWS_OFFSET = 256;
const OUT_OFFSET = ROWS_OFFSET + CHUNK_ROWS * 4;
/** Hashes start after the scratch area, on a page boundary (so 32-byte rows stay aligned). */
const HASHES_OFFSET = Math.ceil((OUT_OFFSET + CHUNK_ROWS * 8) / PAGE) * PAGE;
/** WebAssembly memory is at most 4 GiB (65 536 pages of 64 KiB). */
const MAX_PAGES = 65536;
export const MAX_ROWS = Math.floor((MAX_PAGES * PAGE - HASHES_OFFSET) / 32);

/**
 * Row storage: each row is a hash (8 words, kept in WebAssembly memory so the popcount kernels read it in
 * place), its 32-bit id, and a "removed" bit. Rows are only appended; removing sets the bit and compaction
 * drops removed rows. Also owns the scratch area the kernels use for the query, candidates and results.
 */
export class HashStore {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: PopcountKernels;
  /** The whole memory as words; hashes start at word `hashBase`. Replaced when the memory grows. */
  words: Uint32Array;
  readonly hashBase = HASHES_OFFSET / 4;
  ids: Uint32Array;
  removed: Uint32Array;
  rows = 0;
  removedRows = 0;

  constructor(capacity = 1024) {
    capacity = Math.max(1, capacity);
    const pages = Math.ceil((HASHES_OFFSET + capacity * 32) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES });
    this.kernels = popcountKernels(this.memory);
    this.words = new Uint32Array(this.memory.buffer);
    this.ids = new Uint32Array(capacity);
    this.removed = new Uint32Array(Math.ceil(capacity / 32));
  }

  get capacity(): number {
    return this.ids.length;
  }

  /** Makes room for `extra` more rows: exactly when asked for many at once, else 25 % headroom. */
  reserve(extra: number): void {
    const needed = this.rows + extra;
    if (needed <= this.capacity) return;
    if (needed > MAX_ROWS) throw new RangeError(`the index holds at most ${MAX_ROWS} hashes`);
    const capacity = Math.min(MAX_ROWS, extra > 1 ? needed : Math.max(needed, Math.ceil(this.capacity * 1.25)));
    const pages = Math.ceil((HASHES_OFFSET + capacity * 32) / PAGE);
    const current = this.memory.buffer.byteLength / PAGE;
    if (pages > current) this.memory.grow(pages - current);
    this.words = new Uint32Array(this.memory.buffer);
    const ids = new Uint32Array(capacity);
    ids.set(this.ids.subarray(0, this.rows));
    this.ids = ids;
    const removed = new Uint32Array(Math.ceil(capacity / 32));
    removed.set(this.removed.subarray(0, Math.min(this.removed.length, removed.length)));
    this.removed = removed;
  }

  /** Appends one row from 8 words at `from[at]`; returns its row number. */
  append(id: number, from: Uint32Array, at: number): number {
    this.reserve(1);
    const row = this.rows++;
    this.ids[row] = id;
    const to = this.hashBase + row * WORDS_PER_HASH;
    for (let w = 0; w < WORDS_PER_HASH; w++) this.words[to + w] = from[at + w];
    return row;
  }

  /** Appends many rows (8 words each) with one copy. */
  appendMany(ids: Uint32Array, from: Uint32Array): void {
    this.reserve(ids.length);
    this.ids.set(ids, this.rows);
    this.words.set(from, this.hashBase + this.rows * WORDS_PER_HASH);
    this.rows += ids.length;
  }

  isRemoved(row: number): boolean {
    return (this.removed[row >>> 5] & (1 << (row & 31))) !== 0;
  }

  markRemoved(row: number): void {
    if (this.isRemoved(row)) return;
    this.removed[row >>> 5] |= 1 << (row & 31);
    this.removedRows++;
  }

  /** Writes the query into the scratch area. */
  setQuery(query: Uint32Array): void {
    this.words.set(query.subarray(0, WORDS_PER_HASH), QUERY_OFFSET / 4);
  }

  /** Where candidate rows go before `verify` (CHUNK_ROWS of them at most). */
  get candidateBase(): number {
    return ROWS_OFFSET / 4;
  }

  /** Verifies `n` candidates written at candidateBase; results are (row, distance) pairs at resultBase. */
  verify(n: number, radius: number): number {
    return this.kernels.verify(HASHES_OFFSET, ROWS_OFFSET, n, QUERY_OFFSET, radius, OUT_OFFSET);
  }

  /** Compares rows first..first+count-1 (count <= CHUNK_ROWS) with the query; results as for verify. */
  scan(first: number, count: number, radius: number): number {
    return this.kernels.scan(HASHES_OFFSET + first * 32, count, QUERY_OFFSET, radius, OUT_OFFSET);
  }

  get resultBase(): number {
    return OUT_OFFSET / 4;
  }

  /** Bytes held: the WebAssembly memory, ids and removed bits. */
  byteLength(): number {
    return this.memory.buffer.byteLength + this.ids.byteLength + this.removed.byteLength;
  }
}
