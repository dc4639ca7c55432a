import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ShardedPdqMatcher, type ShardBuildProgress } from '../src/platform/sharded-pdq-matcher.ts';

const pdq = (seed: number) => createHash('sha256').update(`matcher ${seed}`).digest('hex');

describe('sharded PDQ matcher: collects rows, then builds its shards in worker threads', () => {
  it('builds chunk by chunk without blocking this thread, and answers as an index', async () => {
    const matcher = new ShardedPdqMatcher(300);
    matcher.addHex(Array.from({ length: 500 }, (_, i) => ({ id: i + 1, hash: pdq(i) })));
    matcher.addHex(Array.from({ length: 200 }, (_, i) => ({ id: i + 501, hash: pdq(i + 500) })));
    expect([matcher.rows, matcher.shardCount]).toEqual([700, 3]);
    // a remove while collecting takes the rows out of their chunk
    expect(matcher.remove(3)).toBe(1);
    expect(() => matcher.query(pdq(0), { radius: 31 })).toThrow(/not built yet/);
    const progress: ShardBuildProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await matcher.build((done) => progress.push(done));
    } finally {
      clearInterval(timer);
    }
    // this thread's event loop ran while the shards were built in theirs
    expect(ticks).toBeGreaterThan(0);
    expect(progress.map((p) => [p.shardsBuilt, p.shards, p.rows])).toEqual([[1, 3, 699], [2, 3, 699], [3, 3, 699]]);
    expect(matcher.rows).toBe(699);
    try {
      expect(matcher.query(pdq(0), { radius: 31 })).toEqual([{ id: 1, distance: 0 }]);
      expect(matcher.query(pdq(2), { radius: 31 })).toEqual([]);
      expect(matcher.queryDihedral([pdq(650), pdq(10)], { radius: 0 })).toEqual([{ id: 11, distance: 0 }, { id: 651, distance: 0 }]);
      matcher.addHex([{ id: 9000, hash: pdq(9000) }]);
      expect(matcher.query(pdq(9000), { radius: 0 })).toEqual([{ id: 9000, distance: 0 }]);
      expect(matcher.remove(9000)).toBe(1);
      expect(matcher.remove(650)).toBe(1);
      expect(matcher.query(pdq(649), { radius: 0 })).toEqual([]);
      await expect(matcher.build()).rejects.toThrow(/built once/);
    } finally {
      await matcher.close();
    }
  }, 60_000);

  it('gives each chunk room for its share of the rows counted first, and grows the last for rows past the count', () => {
    const matcher = new ShardedPdqMatcher(400, 1100);
    matcher.addHex(Array.from({ length: 1100 }, (_, i) => ({ id: i + 1, hash: pdq(i) })));
    // 400, 400 and 300 rows, 36 bytes each (an id and 8 words): no room left empty
    expect([matcher.rows, matcher.shardCount, matcher.collectedBytes]).toEqual([1100, 3, 1100 * 36]);
    matcher.addHex([{ id: 1101, hash: pdq(1100) }]);
    expect([matcher.rows, matcher.shardCount, matcher.collectedBytes]).toEqual([1101, 3, (800 + 400) * 36]);
  });

  // 2^18 hashes (TAKEDOWN_MATCH_SHARD_ABOVE's default) and one more, read in pages as the index follower does;
  // with the count the follower makes first, or without one
  it.each([{ expected: 0 }, { expected: (1 << 18) + 1 }])('holds room for about the rows read, not a whole shard, for a bank just past the shard threshold (expected: $expected)', async ({ expected }) => {
    const shardRows = 1 << 24;
    const rows = (1 << 18) + 1;
    const rowHash = (i: number) => (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
    const matcher = new ShardedPdqMatcher(shardRows, expected);
    for (let from = 0; from < rows; from += 50_000) {
      matcher.addHex(Array.from({ length: Math.min(50_000, rows - from) }, (_, i) => ({ id: from + i + 1, hash: rowHash(from + i) })));
    }
    expect([matcher.rows, matcher.shardCount]).toEqual([rows, 1]);
    // 36 bytes a row (an id and 8 words): at most twice the rows read (the count made first: just them), where
    // a whole shard's room is 600 MB
    if (expected) expect(matcher.collectedBytes).toBe(rows * 36);
    else expect(matcher.collectedBytes).toBeLessThanOrEqual(2 * rows * 36);
    await matcher.build();
    try {
      expect(matcher.collectedBytes).toBe(0);
      expect(matcher.rows).toBe(rows);
      // rows copied at each growth are all there: the first, those at a growth's edge, the last
      for (const i of [0, 65_535, 65_536, 98_303, 98_304, rows - 1]) expect(matcher.query(rowHash(i), { radius: 0 })).toEqual([{ id: i + 1, distance: 0 }]);
    } finally {
      await matcher.close();
    }
  }, 60_000);
});
