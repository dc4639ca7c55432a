import { BUCKETED_FROM_ROWS, CompactPostings, MAX_MASKS, scatterScratch, type DirectoryChoice, type PostingsFormat } from './compact-postings.ts';
import { LivePostings } from './live-postings.ts';
import { CHUNK_ROWS, HELPER_ROWS, HashStore } from './hash-store.ts';
import type { VerifyHelperLike } from './verify-helper.ts';
import { HashFormatError } from './errors.ts';
import { WORDS_PER_HASH, parseHash, parseHashInto } from './hash-words.ts';
import { LIVE_KEY_BITS, flipMasks, layoutFor, maxIndexedRadius, probeRadii, slotBits, slotWords, type LayoutChoice, type SlotLayout } from './slot-layout.ts';

/** One hit: the id given when the hash was added, and the Hamming distance in bits. */
export interface Match {
  id: number;
  distance: number;
}

export interface QueryOptions {
  /** Largest distance reported, in bits (inclusive). Default 31, PDQ's usual match threshold. */
  radius?: number;
  /** Keep only the nearest `limit` ids. */
  limit?: number;
  /**
   * `auto` (default) uses the multi-index for radius <= 43 (47 on banks under 4 M hashes) on banks over a
   * few thousand hashes and the exhaustive scan otherwise; the other two force one method (tests compare them).
   */
  method?: 'auto' | 'multi-index' | 'exhaustive';
  /** Let the index's helper thread (if it has one) verify half of the candidates. Default true. */
  useHelper?: boolean;
}

/** A hash as 64 hex characters or as the 8 words `parseHash` returns. */
export type HashInput = string | Uint32Array;

/** The 8 dihedral variants of one image's hash, as `pdqHashDihedral` returns them (any order). */
export type DihedralHashes = readonly HashInput[] | Readonly<Record<string, HashInput>>;

export const DEFAULT_RADIUS = 31;
/** Below this many rows a scan is as fast as probing the slots, and needs no postings walk. */
const SMALL_BANK_ROWS = 8192;

/** What one query handed to the helper: the last `slots` slots' compacted candidates, `candidates` of them. */
interface HandOff {
  slots: number;
  candidates: number;
}
const NOTHING_HANDED: HandOff = { slots: 0, candidates: 0 };

/** A hash's 8 words, parsed from hex if need be (shared with sharded-index.ts). */
export function toWords(hash: HashInput): Uint32Array {
  if (typeof hash === 'string') return parseHash(hash);
  if (hash.length !== WORDS_PER_HASH) throw new HashFormatError(`a hash is 8 words; got ${hash.length}`);
  return hash;
}

export function checkRadius(radius: number): void {
  if (!Number.isInteger(radius) || radius < 0 || radius > 256) {
    throw new RangeError(`radius must be a whole number of bits from 0 to 256; got ${radius}`);
  }
}

export interface IndexOptions {
  /** Rows to allocate for at first. */
  capacity?: number;
  /**
   * A second thread (`new VerifyHelper()` from '@takedown/match/verify-helper', Node only) that verifies
   * half of each query's candidates on banks of 2 M hashes and more: lower latency, same CPU time.
   */
  helper?: VerifyHelperLike;
  /**
   * From how many compacted rows the helper takes part (default 2 M: below, a query is a fraction of a
   * millisecond and mostly in the cache, and handing over would cost more than it saves).
   */
  helperMinRows?: number;
  /**
   * The slot layout (slot-layout.ts): `auto` (default) takes 16 slots of 16 bits below 4 M compacted
   * hashes and 11 wider slots from there on; the others force one (tests use them on small banks).
   */
  layout?: LayoutChoice;
  /**
   * How the compacted postings store row numbers (compact-postings.ts): `auto` (default) splits them
   * (16 low bits and a shard in unary, about 18 bits a row) for keys of at most 16 bits, and takes 3-byte
   * row numbers for wider keys; `rows` forces the latter (benchmarks compare the two).
   */
  postings?: PostingsFormat;
  /**
   * The directory of the compacted postings with 3- or 4-byte row numbers (compact-postings.ts): `auto`
   * (default) packs it (1.25 bytes a key instead of 4) when the bank's keys allow; `full` keeps a u32
   * offset per key (benchmarks compare the two).
   */
  directory?: DirectoryChoice;
  /**
   * The order of the compacted rows: `key` (default) sorts them by their first slot's key at each
   * compaction, so that slot's rows under a key are one run and it stores no row numbers (and its
   * candidates are neighbours in memory); `insertion` keeps the order they were added in (benchmarks
   * compare the two). Rows added since the last compaction follow in the order they were added.
   */
  rowOrder?: 'key' | 'insertion';
  /**
   * In the wide layout, about how many rows a compacted slot's key holds (1, 2 or 4; between that and twice
   * that): the keys take floor(log2(rows / rowsPerKey)) bits, 16 to 23. Default 1 (23 bits at 10 M, as the
   * sharded index's shards: decision 036). More rows a key: more candidates a query and a smaller directory
   * (1.25 bytes a key a slot).
   */
  rowsPerKey?: 1 | 2 | 4;
}

/**
 * The hash index: which known 256-bit hashes lie within Hamming distance R of this one?
 *
 * Multi-index hashing (DESIGN.md §5, layouts in slot-layout.ts): the 256 bits are cut into m slots (16 of
 * 16 bits below 4 M hashes, 11 of 23-24 bits from there on). If two hashes differ in at most 31 bits, by
 * pigeonhole at least one slot differs in at most floor(31 / m) bits, so looking up each slot's key and its
 * neighbours within that many bits finds every hash within 31 bits. Candidates are verified with a full
 * 256-bit popcount.
 *
 * Adds and removes take effect immediately: new rows are filed in per-slot chains (`LivePostings`) and
 * removed rows are flagged; `compact()` folds both into the compact postings when convenient (snapshot
 * loads and `MatchIndex.build` produce compact indexes directly).
 *
 * Several hashes may share an id (say, the frames of one video); queries report each id once, at its best
 * distance. @example
 * ```ts
 * const index = new MatchIndex();
 * index.add(7, 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22');
 * index.query(hash, { radius: 31 }); // [{ id: 7, distance: 12 }]
 * ```
 */
export class MatchIndex {
  private store: HashStore;
  private readonly helper: VerifyHelperLike | undefined;
  private readonly helperMinRows: number;
  private readonly layoutChoice: LayoutChoice;
  private readonly postingsFormat: PostingsFormat;
  private readonly directory: DirectoryChoice;
  private readonly rowOrder: 'key' | 'insertion';
  private readonly rowsPerKey: 1 | 2 | 4;
  /** The slot layout of the compacted postings and the live chains (chosen at each compaction). */
  private layout: SlotLayout;
  private compacted: CompactPostings[] = [];
  private live: LivePostings[] = [];
  /** Rows below this are in `compacted`; rows from here on are in `live`. */
  private compactedRows = 0;

  constructor(options: IndexOptions = {}) {
    this.helper = options.helper;
    this.helperMinRows = options.helperMinRows ?? 1 << 21;
    this.layoutChoice = options.layout ?? 'auto';
    this.postingsFormat = options.postings ?? 'auto';
    this.directory = options.directory ?? 'auto';
    this.rowOrder = options.rowOrder ?? 'key';
    this.rowsPerKey = options.rowsPerKey ?? 1;
    if (![1, 2, 4].includes(this.rowsPerKey)) throw new RangeError(`rowsPerKey must be 1, 2 or 4; got ${options.rowsPerKey}`);
    this.layout = layoutFor(0, this.layoutChoice);
    this.store = new HashStore(options.capacity ?? 1024, this.helper !== undefined);
    this.resetLive();
  }

  /** Builds a compact index from ids and hashes given as 8 words each (`words.length === 8 * ids.length`). */
  static build(ids: Uint32Array, words: Uint32Array, options: Omit<IndexOptions, 'capacity'> = {}): MatchIndex {
    if (words.length !== ids.length * WORDS_PER_HASH) {
      throw new RangeError(`build needs 8 words per id: ${ids.length} ids, ${words.length} words`);
    }
    const index = new MatchIndex({ ...options, capacity: ids.length });
    index.buildCompacted({ ids, words });
    return index;
  }

  /** Hashes held (removed ones excluded). */
  get size(): number {
    return this.store.rows - this.store.removedRows;
  }

  /** Adds one hash under `id` (0..2^32-1); queries see it at once. */
  add(id: number, hash: HashInput): void {
    checkId(id);
    const words = toWords(hash);
    const row = this.store.append(id, words, 0);
    this.fileLive(row);
  }

  /** Adds many hashes at once (8 words each); equivalent to `add` in a loop, with one allocation. */
  addMany(ids: Uint32Array, words: Uint32Array): void {
    if (words.length !== ids.length * WORDS_PER_HASH) {
      throw new RangeError(`addMany needs 8 words per id: ${ids.length} ids, ${words.length} words`);
    }
    this.store.reserve(ids.length);
    for (let i = 0; i < ids.length; i++) this.fileLive(this.store.append(ids[i], words, i * WORDS_PER_HASH));
  }

  /** Parses hex hashes and adds them; throws HashFormatError (adding nothing) if any is malformed. */
  addHex(entries: readonly { id: number; hash: string }[]): void {
    const ids = new Uint32Array(entries.length);
    const words = new Uint32Array(entries.length * WORDS_PER_HASH);
    entries.forEach((entry, i) => {
      checkId(entry.id);
      ids[i] = entry.id;
      parseHashInto(entry.hash, words, i * WORDS_PER_HASH);
    });
    this.addMany(ids, words);
  }

  /** Removes every hash held under `id`; returns how many. Queries stop seeing them at once. */
  remove(id: number): number {
    return this.removeMany([id]);
  }

  /** Removes every hash held under any of `ids` in one pass over the rows; returns how many. */
  removeMany(ids: Iterable<number>): number {
    const wanted = new Set(ids);
    if (wanted.size === 0) return 0;
    const store = this.store;
    let removed = 0;
    if (wanted.size === 1) {
      // the common case: one id, found with the native indexOf over the id column
      const [id] = wanted;
      for (let row = store.ids.indexOf(id); row !== -1 && row < store.rows; row = store.ids.indexOf(id, row + 1)) {
        if (!store.isRemoved(row)) {
          store.markRemoved(row);
          removed++;
        }
      }
      return removed;
    }
    for (let row = 0; row < store.rows; row++) {
      if (wanted.has(store.ids[row]) && !store.isRemoved(row)) {
        store.markRemoved(row);
        removed++;
      }
    }
    return removed;
  }

  /** Ids within `radius` bits of `hash`, nearest first (ties by id), each at its best distance. */
  query(hash: HashInput, options: QueryOptions = {}): Match[] {
    const best = new Map<number, number>();
    this.collect(toWords(hash), options, best);
    return sorted(best, options.limit);
  }

  /**
   * Queries with all 8 dihedral variants of an image's hash at once (finds rotated and mirrored copies);
   * each id is reported at its best distance over the variants. The variants must be computed from the
   * image (`pdqHashDihedral`): PDQ derives them from the DCT coefficients' signs and transposition, which
   * the 256 bits of a hash alone do not determine.
   */
  queryDihedral(variants: DihedralHashes, options: QueryOptions = {}): Match[] {
    const list: HashInput[] = Array.isArray(variants) ? [...variants] : Object.values(variants);
    if (list.length === 0) throw new RangeError('queryDihedral needs at least one hash');
    const best = new Map<number, number>();
    for (const variant of list) this.collect(toWords(variant), options, best);
    return sorted(best, options.limit);
  }

  /** The exhaustive scan: compares the query with every row (WebAssembly i64.popcnt). The tests' oracle. */
  scan(hash: HashInput, options: Omit<QueryOptions, 'method'> = {}): Match[] {
    return this.query(hash, { ...options, method: 'exhaustive' });
  }

  /**
   * Folds added rows into the compact postings and drops removed rows. Takes time in proportion to the
   * bank (about a second per few million hashes): run it when convenient, never needed for correctness.
   */
  compact(): void {
    const old = this.store;
    // Rows ordered by key are copied into a store of exactly their number anyway (sortedBy); otherwise the
    // copy below drops the removed rows and the headroom a growth left.
    if (old.removedRows > 0 || (old.capacity > old.rows && this.rowOrder !== 'key')) {
      const store = new HashStore(old.rows - old.removedRows, this.helper !== undefined);
      const words = new Uint32Array(WORDS_PER_HASH);
      for (let row = 0; row < old.rows; row++) {
        if (!old.isRemoved(row)) {
          old.readRow(row, words, 0);
          store.append(old.ids[row], words, 0);
        }
      }
      this.store = store;
    }
    this.buildCompacted();
  }

  /** Compacts the store's rows, or, given `rows` (the store being empty), appends them first. */
  private buildCompacted(given?: { ids: Uint32Array; words: Uint32Array }): void {
    const rows = this.store.rows + (given?.ids.length ?? 0);
    this.compactedRows = rows;
    this.compacted = [];
    const layout = (this.layout = layoutFor(rows, this.layoutChoice));
    const width = layout.keyWidth(rows, this.rowsPerKey);
    const widths = layout.widths.map((bits) => Math.min(width, bits));
    // rows in the order of slot 0's key: that slot's rows under a key are one run, and need no postings
    const byKey = this.rowOrder === 'key' && rows > 0;
    // rows given are filed straight in key order when the store can (no second store to collect)
    if (given !== undefined && !(byKey && this.store.appendManyByKey(given.ids, given.words, layout.starts[0], widths[0]))) {
      this.store.appendMany(given.ids, given.words);
      if (byKey) this.store = this.store.sortedBy(layout.starts[0], widths[0]);
    } else if (given === undefined && byKey) {
      this.store = this.store.sortedBy(layout.starts[0], widths[0]);
    }
    const store = this.store;
    const cursor = new Uint32Array(2 ** Math.max(...widths) + 1);
    const scatter = rows >= BUCKETED_FROM_ROWS ? scatterScratch(rows) : undefined;
    for (const [slot, start] of layout.starts.entries()) {
      const format = slot === 0 && byKey ? 'ranges' : this.postingsFormat;
      this.compacted.push(new CompactPostings(store.slotSource(start), rows, start, widths[slot], format, cursor, this.directory, scatter));
    }
    this.resetLive();
  }

  /** Rows added since the last compaction (they use more memory per hash than compacted ones). */
  get uncompactedRows(): number {
    return this.store.rows - this.compactedRows;
  }

  /** Bytes held by the index's arrays (hashes, ids, removed bits, postings). */
  byteLength(): number {
    let bytes = this.store.byteLength();
    for (const postings of this.compacted) bytes += postings.byteLength();
    for (const postings of this.live) bytes += postings.byteLength();
    return bytes;
  }

  /**
   * Calls `visit` with every held (id, 8-word hash) in row order (compacted rows by their first slot's key
   * unless `rowOrder: 'insertion'`, then the rows added since); the words are reused between calls.
   */
  forEachEntry(visit: (id: number, words: Uint32Array) => void): void {
    const store = this.store;
    const words = new Uint32Array(WORDS_PER_HASH);
    for (let row = 0; row < store.rows; row++) {
      if (store.isRemoved(row)) continue;
      store.readRow(row, words);
      visit(store.ids[row], words);
    }
  }

  private resetLive(): void {
    this.live = [];
    for (let slot = 0; slot < this.layout.widths.length; slot++) this.live.push(new LivePostings());
  }

  private fileLive(row: number): void {
    const store = this.store;
    const index = row - this.compactedRows;
    this.layout.starts.forEach((start, slot) => this.live[slot].add(store.slotBits(row, start, LIVE_KEY_BITS), index));
  }

  private collect(query: Uint32Array, options: QueryOptions, best: Map<number, number>): void {
    const radius = options.radius ?? DEFAULT_RADIUS;
    checkRadius(radius);
    const method = options.method ?? 'auto';
    const store = this.store;
    store.setQuery(query);
    const exhaustive = method === 'exhaustive'
      || radius > maxIndexedRadius(this.layout)
      || (method === 'auto' && store.rows < SMALL_BANK_ROWS);
    if (exhaustive) this.scanAll(radius, best);
    else this.probe(query, radius, best, options.useHelper !== false);
  }

  private scanAll(radius: number, best: Map<number, number>): void {
    const store = this.store;
    for (let first = 0; first < store.rows; first += CHUNK_ROWS) {
      const found = store.scan(first, Math.min(CHUNK_ROWS, store.rows - first), radius);
      const out = store.words;
      for (let k = 0, at = store.resultBase; k < found; k++, at += 2) {
        const row = first + out[at];
        if (!store.isRemoved(row)) keepBest(best, store.ids[row], out[at + 1]);
      }
    }
  }

  private probe(query: Uint32Array, radius: number, best: Map<number, number>, useHelper: boolean): void {
    const store = this.store;
    const layout = this.layout;
    const slots = layout.widths.length;
    // pigeonhole: some slot i differs in at most radii[i] bits (a slot at -1 need not be probed)
    const radii = probeRadii(layout, radius);
    const helper = this.helper;
    const handed = helper !== undefined && useHelper && this.compactedRows >= this.helperMinRows ? this.handOff(helper, query, radii, radius) : NOTHING_HANDED;
    const ownSlots = slots - handed.slots;
    const candidates = store.candidateBase;
    let pending = 0;
    for (let slot = 0; slot < slots; slot++) {
      const r = radii[slot];
      if (r < 0) continue;
      const start = layout.starts[slot];
      const [w1, w2] = slotWords(start);
      const first = query[w1];
      const second = query[w2];
      if (this.compactedRows > 0 && slot < ownSlots) {
        const compacted = this.compacted[slot];
        const key = slotBits(first, second, start, compacted.width);
        const total = this.useMasks(compacted, r) ? compacted.countProbes(key) : Infinity;
        pending = this.makeRoom(pending, total, radius, best);
        if (total <= CHUNK_ROWS) {
          // the usual case: the slot's probes gathered in one call, copied to the candidates at once
          compacted.gather(key);
          store.words.set(compacted.scratch.subarray(0, total), candidates + pending);
          pending += total;
        } else {
          // probes shared by more rows than the scratch area holds (heavily clustered banks): key by key
          for (const mask of flipMasks(compacted.width, r)) pending = this.probeLargeKey(compacted, key ^ mask, pending, radius, best);
        }
      }
      const live = this.live[slot];
      const liveKey = slotBits(first, second, start, LIVE_KEY_BITS);
      const liveMasks = flipMasks(LIVE_KEY_BITS, r);
      for (let f = 0; f < liveMasks.length; f++) {
        for (let index = live.first(liveKey ^ liveMasks[f]); index !== -1; index = live.nextOf(index)) {
          if (pending === CHUNK_ROWS) {
            this.verify(pending, radius, best);
            pending = 0;
          }
          store.words[candidates + pending++] = this.compactedRows + index;
        }
      }
    }
    if (pending > 0) this.verify(pending, radius, best);
    if (handed.slots > 0) this.collectFromHelper(helper!, handed.candidates, radius, best);
  }

  /** Loads the slot's probe masks for probe radius `r`; false when there are more than one call takes. */
  private useMasks(compacted: CompactPostings, r: number): boolean {
    const masks = flipMasks(compacted.width, r);
    if (masks.length > MAX_MASKS) return false;
    compacted.useMasks(masks);
    return true;
  }

  /**
   * Gathers the compacted candidates of the layout's last `helperSlots` slots, last slot first, into the helper's
   * scratch area, handing each slot's over as soon as it is written (the helper starts on the first while
   * the others are gathered); returns how many slots and candidates the helper took. No slots when the
   * helper is not ready (it is then given the current memory for later queries); fewer
   * when the candidates would overflow its area (clustered banks).
   */
  private handOff(helper: VerifyHelperLike, query: Uint32Array, radii: readonly number[], radius: number): HandOff {
    const store = this.store;
    if (!helper.readyFor(store.memory)) {
      helper.attach(store.memory);
      return NOTHING_HANDED;
    }
    const base = store.helperCandidateBase;
    let n = 0;
    let handed = 0;
    const layout = this.layout;
    const slots = layout.widths.length;
    for (let slot = slots - 1; slot >= slots - layout.helperSlots; slot--) {
      const compacted = this.compacted[slot];
      if (radii[slot] < 0 || !this.useMasks(compacted, radii[slot])) break;
      const [w1, w2] = slotWords(layout.starts[slot]);
      const key = slotBits(query[w1], query[w2], layout.starts[slot], compacted.width);
      const total = compacted.countProbes(key);
      if (n + total > HELPER_ROWS || total > CHUNK_ROWS) break;
      compacted.gather(key);
      store.words.set(compacted.scratch.subarray(0, total), base + n);
      n += total;
      if (handed++ === 0) helper.start(radius, store.planeA * 4, store.planeB * 4);
      helper.supply(n);
    }
    return { slots: handed, candidates: n };
  }

  /** Keeps the helper's results; if the helper failed, verifies its `n` candidates here instead. */
  private collectFromHelper(helper: VerifyHelperLike, n: number, radius: number, best: Map<number, number>): void {
    const store = this.store;
    const found = helper.finish();
    if (found >= 0) {
      this.keepFound(store.helperResultBase, found, best);
      return;
    }
    for (let from = 0; from < n; from += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, n - from);
      store.words.copyWithin(store.candidateBase, store.helperCandidateBase + from, store.helperCandidateBase + from + count);
      this.verify(count, radius, best);
    }
  }

  /** One key's rows when the probes of a slot hold more than CHUNK_ROWS together; returns the new `pending`. */
  private probeLargeKey(compacted: CompactPostings, key: number, pending: number, radius: number, best: Map<number, number>): number {
    const store = this.store;
    const candidates = store.candidateBase;
    const count = compacted.count(key);
    pending = this.makeRoom(pending, count, radius, best);
    if (count <= CHUNK_ROWS) {
      compacted.decode(key, store.words, candidates + pending);
      return pending + count;
    }
    const rows = new Uint32Array(count);
    compacted.decode(key, rows, 0);
    for (let from = 0; from < count; from += CHUNK_ROWS) {
      const piece = rows.subarray(from, Math.min(count, from + CHUNK_ROWS));
      store.words.set(piece, candidates);
      this.verify(piece.length, radius, best);
    }
    return pending;
  }

  /** Verifies the `pending` candidates first if `count` more would not fit with them; returns the new `pending`. */
  private makeRoom(pending: number, count: number, radius: number, best: Map<number, number>): number {
    if (pending + count <= CHUNK_ROWS || pending === 0) return pending;
    this.verify(pending, radius, best);
    return 0;
  }

  /**
   * Verifies the `pending` candidates with full popcounts and keeps those within the radius. A row near
   * the query in several slots is a candidate in each and is kept each time at the same distance, which
   * `keepBest` absorbs.
   */
  private verify(pending: number, radius: number, best: Map<number, number>): void {
    this.keepFound(this.store.resultBase, this.store.verify(pending, radius), best);
  }

  /** Keeps the `found` (row, distance) pairs at word `at`, but for removed rows. */
  private keepFound(at: number, found: number, best: Map<number, number>): void {
    const store = this.store;
    const words = store.words;
    for (let k = 0; k < found; k++, at += 2) {
      const row = words[at];
      if (!store.isRemoved(row)) keepBest(best, store.ids[row], words[at + 1]);
    }
  }
}

export function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RangeError(`an id is a whole number from 0 to 4294967295; got ${id}`);
  }
}

export function keepBest(best: Map<number, number>, id: number, distance: number): void {
  const known = best.get(id);
  if (known === undefined || distance < known) best.set(id, distance);
}

/** The ids kept, nearest first (ties by id), the first `limit` of them. */
export function sorted(best: Map<number, number>, limit: number | undefined): Match[] {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a whole number of results; got ${limit}`);
  }
  const matches: Match[] = [];
  for (const [id, distance] of best) matches.push({ id, distance });
  matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
  return limit === undefined ? matches : matches.slice(0, limit);
}
