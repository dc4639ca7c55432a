/**
 * The words a `ShardedMatchIndex` (sharded-index.ts) and its shard threads (shard-worker.ts) share: one
 * Int32Array of control words per shard, and one payload area per shard for hashes, ids and results.
 */

/** Indexes of the control words. */
export const CONTROL = {
  /** Bumped by the owner for each request. */
  request: 0,
  /** Set by the shard to the request it finished. */
  done: 1,
  op: 2,
  /** Hashes of a query, entries of an add, ids of a remove. */
  count: 3,
  radius: 4,
  /** -1: no limit. */
  limit: 5,
  method: 6,
  /** The answer: matches written, rows removed; -needed when the results did not fit; STATUS_FAILED. */
  answer: 7,
  /** Hashes held (after a build, add, remove or compaction). */
  size: 8,
  /** Bytes of the shard's index arrays, in KiB (after a build or compaction). */
  kib: 9,
} as const;
export const CONTROL_WORDS = 10;

export const OP = { build: 1, query: 2, add: 3, remove: 4, compact: 5, resend: 6, stop: 7, queryBatch: 8 } as const;

/**
 * A batch of queries (`OP.queryBatch`, `count` of them), each answered on its own. Request: per query two
 * words, its number of hashes (1–8, the variants of one image) and its radius; then every query's hashes
 * in order, 8 words each. Answer: per query, its number of matches, then that many (id, distance) pairs.
 */
export const BATCH_HEADER_WORDS = 2;
export const METHODS = ['auto', 'multi-index', 'exhaustive'] as const;

/** The answer word of a request that threw in the shard; the error comes by its message port. */
export const STATUS_FAILED = -(2 ** 31);

/** Words of a shard's first payload area (1 MiB): a query's 8 variants, 29 000 added entries, 131 000 matches. */
export const PAYLOAD_WORDS = 1 << 18;
