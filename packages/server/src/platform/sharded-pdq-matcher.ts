import type { HashMatcher } from '@takedown/core';
import { WORDS_PER_HASH, parseHashInto, type Match } from '@takedown/match';
import { ShardedMatchIndex } from '@takedown/match/sharded';

/** How a bank's PDQ hashes are served once they are too many for one index (TAKEDOWN_MATCH_SHARD_*). */
export interface MatchShardsConfig {
  /** From this many live PDQ hashes (at start, or once the banks grow that large), the banks' PDQ index is sharded; 0: never. */
  aboveHashes: number;
  /** Rows a shard holds at most (each a `MatchIndex` in its own worker thread). */
  shardRows: number;
}

/** Where a sharded build is: after each shard is built, and at the end. */
export interface ShardBuildProgress {
  shardsBuilt: number;
  shards: number;
  rows: number;
  seconds: number;
}

/**
 * Rows a chunk is first given room for while collecting. It grows ×1.5 as rows arrive, up to a shard's rows:
 * a bank just past the shard threshold (2^18 hashes, 9 MB) reserves about its own size, not a whole
 * shard's (2^24 rows, 600 MB).
 */
const FIRST_CHUNK_ROWS = 1 << 16;

/** One shard's rows as they are read: room for `ids.length` rows, `count` of them read; full at a shard's rows. */
interface RowChunk {
  ids: Uint32Array;
  words: Uint32Array;
  count: number;
}

/**
 * The banks' PDQ index when it is sharded (decision 030): a `ShardedMatchIndex` from `@takedown/match/sharded`
 * (worker threads, one `MatchIndex` each), behind core's `HashMatcher`, so core's PDQ index and the bank
 * index use it as they use a plain one. It starts empty and collecting: the hashes read at start are parsed
 * into chunks of up to `shardRows` rows, each grown as rows arrive (no object per hash, no room held for
 * rows that never come), or an index's rows moving here are given whole (`of`), then `build()` hands each
 * chunk to a shard thread and builds them there, without blocking this thread. Adds and removes after the
 * build go to the shards at once.
 */
export class ShardedPdqMatcher implements HashMatcher {
  readonly #shardRows: number;
  readonly #expectedRows: number;
  readonly #chunks: RowChunk[] = [];
  #index: ShardedMatchIndex | undefined;
  #building = false;

  /**
   * `expectedRows`: how many rows the load will likely read (the count it made first), so that each chunk is
   * given room for its share at once: no copy as it grows, none to trim it at the build. Rows past it grow
   * the last chunk as they come.
   */
  constructor(shardRows: number, expectedRows = 0) {
    this.#shardRows = shardRows;
    this.#expectedRows = expectedRows;
  }

  /**
   * A matcher to build from rows held already (an index's rows moving to the shards, 8 words a hash): cut
   * into chunks of `shardRows` rows without copying them; their buffers go to the shard threads at the build.
   */
  static of(shardRows: number, ids: Uint32Array, words: Uint32Array): ShardedPdqMatcher {
    if (words.length !== ids.length * WORDS_PER_HASH) throw new RangeError(`8 words per id: ${ids.length} ids, ${words.length} words`);
    const matcher = new ShardedPdqMatcher(shardRows);
    for (let from = 0; from < ids.length; from += shardRows) {
      const to = Math.min(ids.length, from + shardRows);
      matcher.#chunks.push({ ids: ids.subarray(from, to), words: words.subarray(from * WORDS_PER_HASH, to * WORDS_PER_HASH), count: to - from });
    }
    return matcher;
  }

  /** Rows collected or held. */
  get rows(): number {
    return this.#index?.size ?? this.#chunks.reduce((sum, chunk) => sum + chunk.count, 0);
  }

  get shardCount(): number {
    return this.#index?.shardCount ?? this.#chunks.length;
  }

  addHex(entries: readonly { id: number; hash: string }[]): void {
    const ids = new Uint32Array(entries.length);
    const words = new Uint32Array(entries.length * WORDS_PER_HASH);
    entries.forEach((entry, i) => {
      ids[i] = entry.id;
      parseHashInto(entry.hash, words, i * WORDS_PER_HASH);
    });
    if (this.#index) this.#index.addMany(ids, words);
    else this.#collect(ids, words);
  }

  /** Bytes the rows collected hold (their arrays' room, read or not), until the build hands them to the shards. */
  get collectedBytes(): number {
    return this.#chunks.reduce((sum, chunk) => sum + chunk.ids.byteLength + chunk.words.byteLength, 0);
  }

  #collect(ids: Uint32Array, words: Uint32Array): void {
    if (this.#building) throw new Error('the sharded PDQ index is building: changes wait for the build');
    for (let from = 0; from < ids.length;) {
      let chunk = this.#chunks.at(-1);
      if (!chunk || chunk.count >= this.#shardRows) {
        chunk = { ids: new Uint32Array(0), words: new Uint32Array(0), count: 0 };
        this.#chunks.push(chunk);
      }
      const take = Math.min(ids.length - from, this.#shardRows - chunk.count);
      if (chunk.count + take > chunk.ids.length) this.#grow(chunk, chunk.count + take);
      chunk.ids.set(ids.subarray(from, from + take), chunk.count);
      chunk.words.set(words.subarray(from * WORDS_PER_HASH, (from + take) * WORDS_PER_HASH), chunk.count * WORDS_PER_HASH);
      chunk.count += take;
      from += take;
    }
  }

  /**
   * Gives `chunk` room for at least `rows` rows, at most a shard's: a new chunk for the rows still expected
   * (if none are, `FIRST_CHUNK_ROWS`), one that has room already for half as much again (rows read past the
   * count made first are few: twice the room would hold much that stays empty).
   */
  #grow(chunk: RowChunk, rows: number): void {
    const expectedLeft = this.#expectedRows - (this.rows - chunk.count);
    const first = chunk.ids.length > 0 ? 0 : expectedLeft > 0 ? expectedLeft : FIRST_CHUNK_ROWS;
    const room = Math.min(this.#shardRows, Math.max(rows, first, Math.ceil(chunk.ids.length * 1.5)));
    const ids = new Uint32Array(room);
    const words = new Uint32Array(room * WORDS_PER_HASH);
    ids.set(chunk.ids.subarray(0, chunk.count));
    words.set(chunk.words.subarray(0, chunk.count * WORDS_PER_HASH));
    chunk.ids = ids;
    chunk.words = words;
  }

  remove(id: number): number {
    if (this.#index) return this.#index.remove(id);
    if (this.#building) throw new Error('the sharded PDQ index is building: changes wait for the build');
    // while collecting (not on the server's path, which changes the banks only once they are loaded)
    let removed = 0;
    for (const chunk of this.#chunks) {
      let kept = 0;
      for (let row = 0; row < chunk.count; row++) {
        if (chunk.ids[row] === id) continue;
        chunk.ids[kept] = chunk.ids[row];
        chunk.words.copyWithin(kept * WORDS_PER_HASH, row * WORDS_PER_HASH, (row + 1) * WORDS_PER_HASH);
        kept++;
      }
      removed += chunk.count - kept;
      chunk.count = kept;
    }
    return removed;
  }

  /** Removes every hash under any of `ids`, each asked only of the shards that may hold it; returns how many. */
  removeMany(ids: Iterable<number>): number {
    if (this.#index) return this.#index.removeMany(ids);
    let removed = 0;
    for (const id of ids) removed += this.remove(id);
    return removed;
  }

  query(hash: string, options: { radius: number }): Match[] {
    return this.#built().query(hash, options);
  }

  queryDihedral(hashes: readonly string[], options: { radius: number }): Match[] {
    return this.#built().queryDihedral(hashes, options);
  }

  /** `query` answered in the shard threads while this thread goes on (the queries of one event-loop turn travel together). */
  queryAsync(hash: string, options: { radius: number }): Promise<Match[]> {
    return this.#built().queryAsync(hash, options);
  }

  queryDihedralAsync(hashes: readonly string[], options: { radius: number }): Promise<Match[]> {
    return this.#built().queryDihedralAsync(hashes, options);
  }

  #built(): ShardedMatchIndex {
    if (!this.#index) throw new Error('the sharded PDQ index is not built yet');
    return this.#index;
  }

  /**
   * Builds the shards from the rows collected, in worker threads (as many at a time as there are cores);
   * `progress` hears of each shard built. This thread only waits, so its event loop stays free.
   */
  async build(progress: (done: ShardBuildProgress) => void = () => {}): Promise<void> {
    if (this.#index || this.#building) throw new Error('the sharded PDQ index is built once');
    this.#building = true;
    const started = performance.now();
    const shards = Math.max(1, this.#chunks.length);
    const rows = this.rows;
    let shardsBuilt = 0;
    try {
      this.#index = await ShardedMatchIndex.buildFrom(shards, (shard) => this.#take(shard), {
        onShardBuilt: () => progress({ shardsBuilt: ++shardsBuilt, shards, rows, seconds: (performance.now() - started) / 1000 }),
      });
    } finally {
      this.#building = false;
      this.#chunks.length = 0;
    }
  }

  /** Chunk `shard`'s rows, trimmed to those read; the chunk is let go (its arrays move to the shard's thread). */
  #take(shard: number): { ids: Uint32Array; words: Uint32Array } {
    const chunk = this.#chunks[shard];
    if (!chunk) return { ids: new Uint32Array(0), words: new Uint32Array(0) };
    this.#chunks[shard] = { ids: new Uint32Array(0), words: new Uint32Array(0), count: 0 };
    if (chunk.count === chunk.ids.length) return chunk;
    return { ids: chunk.ids.slice(0, chunk.count), words: chunk.words.slice(0, chunk.count * WORDS_PER_HASH) };
  }

  /** Stops the shard threads. */
  async close(): Promise<void> {
    await this.#index?.close();
    this.#index = undefined;
  }
}
