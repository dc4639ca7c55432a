import { popcountKernels, type PopcountKernels } from './wasm-popcount.ts';
import { WORDS_PER_HASH } from './hash-words.ts';
import { slotBits, slotWords, type SlotSource } from './slot-layout.ts';

const PAGE = 65536;
/** Rows verified per call into WebAssembly; sizes the scratch area at the start of the memory. */
export const CHUNK_ROWS = 16384;
/** Candidate rows a helper thread verifies per query (see verify-helper.ts): its own scratch area. */
export const HELPER_ROWS = 32768;
// The scratch area, in bytes: the query, the candidates and results of this thread, then a helper's.
export const QUERY_OFFSET = 0;
const ROWS_OFFSET = 256;
const OUT_OFFSET = ROWS_OFFSET + CHUNK_ROWS * 4;
export const HELPER_ROWS_OFFSET = OUT_OFFSET + CHUNK_ROWS * 8;
export const HELPER_OUT_OFFSET = HELPER_ROWS_OFFSET + HELPER_ROWS * 4;
/** Hashes start after the scratch area, on a page boundary (so 16-byte half rows stay aligned). */
const HASHES_OFFSET = Math.ceil((HELPER_OUT_OFFSET + HELPER_ROWS * 8) / PAGE) * PAGE;
/** WebAssembly memory is at most 4 GiB (65 536 pages of 64 KiB). */
const MAX_PAGES = 65536;
/** From this many rows (and keys wider than SORT_BUCKET_BITS + 2 bits) `sortedBy` sorts in buckets. */
const SORT_IN_BUCKETS_FROM_ROWS = 1 << 18;
/** `sortedBy`'s buckets: 2^9, so that each holds a few hundred KiB of rows at 2^24 rows (in the cache). */
const SORT_BUCKET_BITS = 9;
/** Where each of `sortedBy`'s buckets starts, given the first row of each key (`next`). */
function bucketStarts(next: Uint32Array, lowBits: number): Uint32Array {
  const cursor = new Uint32Array(1 << SORT_BUCKET_BITS);
  for (let bucket = 0; bucket < cursor.length; bucket++) cursor[bucket] = next[bucket << lowBits];
  return cursor;
}
/** Words in half a hash (one plane's share of a row). */
const HALF_WORDS = WORDS_PER_HASH / 2;
export const MAX_ROWS = Math.floor((MAX_PAGES * PAGE - HASHES_OFFSET) / 32);

/** Rows of headroom a growth adds at most (128 MiB of hashes): past 8 M rows, growth is by this step. */
export const MAX_GROWTH_ROWS = 1 << 22;

/**
 * The capacity a store of `capacity` rows grows to when it needs `needed`: half as much again (at most
 * `MAX_GROWTH_ROWS` more), or `needed` when that is more, never past `MAX_ROWS`.
 */
export function grownCapacity(capacity: number, needed: number): number {
  return Math.min(MAX_ROWS, Math.max(needed, capacity + Math.min(MAX_GROWTH_ROWS, Math.ceil(capacity / 2))));
}

/**
 * Row storage: each row is a hash, its 32-bit id, and a "removed" bit. Rows are only appended; removing sets
 * the bit and compaction drops removed rows. The hashes live in WebAssembly memory, so the popcount kernels
 * read them in place, in two planes: the first 128 bits of every row (plane A, 16 bytes a row), then the
 * last 128 bits (plane B). The distance over the first half rejects almost every unrelated row alone, so a
 * scan streams 16 bytes per row instead of 32, and a verification touches one line per candidate.
 * Also owns the scratch area the kernels use for the query, candidates and results.
 */
export class HashStore {
  /** Shared (a SharedArrayBuffer underneath) when a helper thread verifies candidates too. */
  readonly memory: WebAssembly.Memory;
  private readonly kernels: PopcountKernels;
  /** The whole memory as words. Replaced when the memory grows. */
  words: Uint32Array;
  /** Word index of row 0's first half (plane A). */
  readonly planeA = HASHES_OFFSET / 4;
  /** Word index of row 0's second half (plane B): moves when the capacity grows. */
  planeB: number;
  ids: Uint32Array;
  removed: Uint32Array;
  rows = 0;
  removedRows = 0;

  constructor(capacity = 1024, shared = false) {
    capacity = Math.max(1, capacity);
    const pages = Math.ceil((HASHES_OFFSET + capacity * 32) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared });
    this.kernels = popcountKernels(this.memory);
    this.words = new Uint32Array(this.memory.buffer);
    this.ids = new Uint32Array(capacity);
    this.removed = new Uint32Array(Math.ceil(capacity / 32));
    this.planeB = this.planeA + capacity * HALF_WORDS;
  }

  get capacity(): number {
    return this.ids.length;
  }

  /**
   * Makes room for `extra` more rows, growing geometrically (see `grownCapacity`): a run of adds of a
   * thousand rows each (a followed feed's pages) moves the rows a few dozen times, not once per add.
   * Compaction gives the headroom back (`MatchIndex.compact` keeps exactly the rows it holds).
   */
  reserve(extra: number): void {
    const needed = this.rows + extra;
    if (needed <= this.capacity) return;
    if (needed > MAX_ROWS) throw new RangeError(`the index holds at most ${MAX_ROWS} hashes`);
    const capacity = grownCapacity(this.capacity, needed);
    const pages = Math.ceil((HASHES_OFFSET + capacity * 32) / PAGE);
    const current = this.memory.buffer.byteLength / PAGE;
    if (pages > current) this.memory.grow(pages - current);
    this.words = new Uint32Array(this.memory.buffer);
    // plane B moves up to make room for plane A's new rows (copyWithin copies overlapping ranges correctly)
    const planeB = this.planeA + capacity * HALF_WORDS;
    this.words.copyWithin(planeB, this.planeB, this.planeB + this.rows * HALF_WORDS);
    this.planeB = planeB;
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
    this.writeRow(row, from, at);
    return row;
  }

  /** Appends many rows (8 words each). */
  appendMany(ids: Uint32Array, from: Uint32Array): void {
    this.reserve(ids.length);
    this.ids.set(ids, this.rows);
    for (let r = 0; r < ids.length; r++) this.writeRow(this.rows + r, from, r * WORDS_PER_HASH);
    this.rows += ids.length;
  }

  private writeRow(row: number, from: Uint32Array, at: number): void {
    const words = this.words;
    const a = this.planeA + row * HALF_WORDS;
    const b = this.planeB + row * HALF_WORDS;
    for (let w = 0; w < HALF_WORDS; w++) {
      words[a + w] = from[at + w];
      words[b + w] = from[at + HALF_WORDS + w];
    }
  }

  /**
   * A copy of this store with its rows in the order of their `width`-bit key at bit `start` (a stable
   * counting sort: rows of one key keep their order), so one slot's rows under a key are consecutive.
   */
  sortedBy(start: number, width: number): HashStore {
    const rows = this.rows;
    const keys = 2 ** width;
    const { words, first, second, stride } = this.slotSource(start);
    const next = new Uint32Array(keys + 1);
    for (let row = 0, a = first, b = second; row < rows; row++, a += stride, b += stride) next[slotBits(words[a], words[b], start, width) + 1]++;
    for (let k = 0; k < keys; k++) next[k + 1] += next[k];
    const sorted = new HashStore(rows, this.memory.buffer instanceof SharedArrayBuffer);
    if (rows >= SORT_IN_BUCKETS_FROM_ROWS && width > SORT_BUCKET_BITS + 2 && width <= SORT_BUCKET_BITS + 16 && this.removedRows === 0) this.sortInBuckets(sorted, next, start, width);
    else this.sortByOrder(sorted, next, start, width);
    sorted.rows = rows;
    return sorted;
  }

  /** `sortedBy` in one pass: each row read from a random place (two cache misses a row on a large store). */
  private sortByOrder(sorted: HashStore, next: Uint32Array, start: number, width: number): void {
    const rows = this.rows;
    const { words, first, second, stride } = this.slotSource(start);
    const order = new Uint32Array(rows);
    for (let row = 0, a = first, b = second; row < rows; row++, a += stride, b += stride) order[next[slotBits(words[a], words[b], start, width)]++] = row;
    for (let row = 0; row < rows; row++) {
      const old = order[row];
      this.copyRow(old, sorted, row);
      if (this.isRemoved(old)) sorted.markRemoved(row);
    }
  }

  /**
   * `sortedBy` in two passes, each with its writes in the cache: the rows are first appended, in their
   * order, to 512 buckets by their keys' high bits; then each bucket is copied aside and put back in the
   * order of the keys' low bits (`sortBuckets`). `next`: the first row of each key in the sorted store.
   */
  private sortInBuckets(sorted: HashStore, next: Uint32Array, start: number, width: number): void {
    const rows = this.rows;
    const { words, first, second, stride } = this.slotSource(start);
    const lowBits = width - SORT_BUCKET_BITS;
    const lowMask = (1 << lowBits) - 1;
    const cursor = bucketStarts(next, lowBits);
    const low = new Uint16Array(rows);
    for (let row = 0, a = first, b = second; row < rows; row++, a += stride, b += stride) {
      const key = slotBits(words[a], words[b], start, width);
      const to = cursor[key >>> lowBits]++;
      low[to] = key & lowMask;
      this.copyRow(row, sorted, to);
    }
    sorted.sortBuckets(next, lowBits, low);
  }

  /**
   * Appends rows given as ids and 8 words each (as `appendMany`), in the order of their `width`-bit key at
   * bit `start` (stable), to an empty store with room for them: `appendMany` then `sortedBy` without the
   * second store. Sorts in buckets as `sortedBy` does when it can; returns false (nothing appended) when not.
   */
  appendManyByKey(ids: Uint32Array, from: Uint32Array, start: number, width: number): boolean {
    const rows = ids.length;
    if (this.rows !== 0 || this.capacity < rows || rows < SORT_IN_BUCKETS_FROM_ROWS || width <= SORT_BUCKET_BITS + 2 || width > SORT_BUCKET_BITS + 16) return false;
    const [w1, w2] = slotWords(start);
    const keys = 2 ** width;
    const next = new Uint32Array(keys + 1);
    for (let row = 0, a = w1, b = w2; row < rows; row++, a += WORDS_PER_HASH, b += WORDS_PER_HASH) next[slotBits(from[a], from[b], start, width) + 1]++;
    for (let k = 0; k < keys; k++) next[k + 1] += next[k];
    const lowBits = width - SORT_BUCKET_BITS;
    const lowMask = (1 << lowBits) - 1;
    const cursor = bucketStarts(next, lowBits);
    const low = new Uint16Array(rows);
    for (let row = 0, a = w1, b = w2; row < rows; row++, a += WORDS_PER_HASH, b += WORDS_PER_HASH) {
      const key = slotBits(from[a], from[b], start, width);
      const to = cursor[key >>> lowBits]++;
      low[to] = key & lowMask;
      this.writeRow(to, from, row * WORDS_PER_HASH);
      this.ids[to] = ids[row];
    }
    this.rows = rows;
    this.sortBuckets(next, lowBits, low);
    return true;
  }

  /**
   * The second pass of a bucketed sort, in place: each bucket (rows whose keys share their high bits, in the
   * order they came) is copied aside and put back in the order of its keys' low bits (`low`, one per row).
   * `next`: the first row of each key, advanced as rows are placed.
   */
  private sortBuckets(next: Uint32Array, lowBits: number, low: Uint16Array): void {
    const buckets = 1 << SORT_BUCKET_BITS;
    let largest = 0;
    for (let bucket = 0; bucket < buckets; bucket++) largest = Math.max(largest, next[(bucket + 1) << lowBits] - next[bucket << lowBits]);
    const aside = new HashStore(largest);
    const asideLow = new Uint16Array(largest);
    for (let bucket = 0; bucket < buckets; bucket++) {
      const high = bucket << lowBits;
      const from = next[high];
      const count = next[(bucket + 1) << lowBits] - from;
      for (let i = 0; i < count; i++) this.copyRow(from + i, aside, i);
      asideLow.set(low.subarray(from, from + count));
      for (let i = 0; i < count; i++) aside.copyRow(i, this, next[high | asideLow[i]]++);
    }
  }

  /** Copies row `row` (its hash and id, not its removed bit) to row `to` of `store`. */
  private copyRow(row: number, store: HashStore, to: number): void {
    const from = this.words;
    const into = store.words;
    const a = this.planeA + row * HALF_WORDS;
    const b = this.planeB + row * HALF_WORDS;
    const a2 = store.planeA + to * HALF_WORDS;
    const b2 = store.planeB + to * HALF_WORDS;
    for (let w = 0; w < HALF_WORDS; w++) {
      into[a2 + w] = from[a + w];
      into[b2 + w] = from[b + w];
    }
    store.ids[to] = this.ids[row];
  }

  /** Copies row `row`'s 8 words to out[at…]. */
  readRow(row: number, out: Uint32Array, at = 0): void {
    const words = this.words;
    const a = this.planeA + row * HALF_WORDS;
    const b = this.planeB + row * HALF_WORDS;
    for (let w = 0; w < HALF_WORDS; w++) {
      out[at + w] = words[a + w];
      out[at + HALF_WORDS + w] = words[b + w];
    }
  }

  /** Word index of word w (0..7) of row 0; word w of row r is HALF_WORDS * r further on. */
  wordBase(w: number): number {
    return w < HALF_WORDS ? this.planeA + w : this.planeB + w - HALF_WORDS;
  }

  /** Where the words holding bit `start` of each row are in the planes (see CompactPostings). */
  slotSource(start: number): SlotSource {
    const [first, second] = slotWords(start);
    return { words: this.words, first: this.wordBase(first), second: this.wordBase(second), stride: HALF_WORDS };
  }

  /** The `width` bits from bit `start` of row `row`. */
  slotBits(row: number, start: number, width: number): number {
    const [first, second] = slotWords(start);
    const words = this.words;
    return slotBits(words[this.wordBase(first) + row * HALF_WORDS], words[this.wordBase(second) + row * HALF_WORDS], start, width);
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
    return this.kernels.verify(this.planeA * 4, this.planeB * 4, ROWS_OFFSET, n, QUERY_OFFSET, radius, OUT_OFFSET);
  }

  /** Compares rows first..first+count-1 (count <= CHUNK_ROWS) with the query; results as for verify. */
  scan(first: number, count: number, radius: number): number {
    return this.kernels.scan((this.planeA + first * HALF_WORDS) * 4, (this.planeB + first * HALF_WORDS) * 4, count, QUERY_OFFSET, radius, OUT_OFFSET);
  }

  get resultBase(): number {
    return OUT_OFFSET / 4;
  }

  /** Where a helper thread's candidate rows go (HELPER_ROWS of them at most), and its results. */
  get helperCandidateBase(): number {
    return HELPER_ROWS_OFFSET / 4;
  }

  get helperResultBase(): number {
    return HELPER_OUT_OFFSET / 4;
  }

  /** Bytes held: the WebAssembly memory, ids and removed bits. */
  byteLength(): number {
    return this.memory.buffer.byteLength + this.ids.byteLength + this.removed.byteLength;
  }
}
