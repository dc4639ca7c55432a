import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchIndex, formatHash } from '../src/index.ts';
import { ShardedMatchIndex } from '../src/sharded-index.ts';
import { clusteredHashes, matchesWithin, naiveDistances, naiveMatches, nearby, randomHashes, seededRandom } from './helpers.ts';

// A bank of random rows and clusters (near-duplicates at every distance 0-40), cut into 3 shards; ids repeat
// across the shards (two rows a row-id), so merging the shards' answers per id is tested too.
const random = seededRandom(77);
const ROWS = 30_000;
const words = new Uint32Array(ROWS * 8);
words.set(randomHashes(ROWS - 4100, random), 0);
words.set(clusteredHashes(50, 82, random), (ROWS - 4100) * 8);
const ids = Uint32Array.from({ length: ROWS }, (_, row) => row % 20_000);
const queries = [
  ...Array.from({ length: 20 }, () => nearby(words, (random() % ROWS) * 8, random() % 32, random)),
  ...Array.from({ length: 10 }, () => nearby(words, (ROWS - 1 - (random() % 4100)) * 8, random() % 40, random)),
  ...Array.from({ length: 5 }, () => randomHashes(1, random)),
];

describe('sharded index: shards in worker threads, queried in parallel', () => {
  let sharded: ShardedMatchIndex;
  const single = MatchIndex.build(ids, words);

  beforeAll(async () => {
    sharded = await ShardedMatchIndex.build(ids, words, { shards: 3, buildConcurrency: 2, payloadWords: 64 });
  }, 60_000);
  afterAll(() => sharded?.close());

  it('answers as one index over all the rows and as the naive oracle', () => {
    expect(sharded.shardCount).toBe(3);
    expect(sharded.shardSizes()).toEqual([10_000, 10_000, 10_000]);
    expect(sharded.size).toBe(ROWS);
    expect(sharded.byteLength()).toBeGreaterThan(ROWS * 32);
    let most = 0;
    for (const query of queries) {
      const distances = naiveDistances(words, query);
      for (const radius of [0, 12, 31, 40]) {
        const expected = matchesWithin(ids, distances, radius);
        expect(sharded.query(query, { radius })).toEqual(expected);
        expect(sharded.query(query, { radius, method: 'exhaustive' })).toEqual(expected);
        expect(sharded.query(query, { radius, limit: 3 })).toEqual(expected.slice(0, 3));
        most = Math.max(most, expected.length);
      }
      expect(sharded.query(formatHash(query))).toEqual(single.query(query));
    }
    // some clusters' queries have more matches than a 64-word payload area holds (32): it grew
    expect(most).toBeGreaterThan(32);
  });

  it('queries the dihedral variants of a hash at once, each id at its best distance', () => {
    const variants = queries.slice(0, 8);
    expect(sharded.queryDihedral(variants, { radius: 31 })).toEqual(single.queryDihedral(variants, { radius: 31 }));
  });

  it('sees adds and removes at once, and keeps them through a compaction', async () => {
    const target = nearby(words, 5 * 8, 0, random);
    const added = nearby(target, 0, 9, random);
    sharded.add(900_000, added);
    expect(sharded.size).toBe(ROWS + 1);
    expect(sharded.query(target)).toEqual([{ id: 5, distance: 0 }, { id: 900_000, distance: 9 }]);
    // id 5 is held by rows 5 and 20 005, in two shards: both go, and only those
    expect(sharded.shardsHolding(5)).toEqual([0, 2]);
    expect(sharded.shardsHolding(15_000)).toEqual([1]);
    expect(sharded.shardsHolding(900_000)).toHaveLength(1);
    expect(sharded.remove(5)).toBe(2);
    expect(sharded.query(target)).toEqual([{ id: 900_000, distance: 9 }]);
    const many = randomHashes(40, random);
    sharded.addMany(Uint32Array.from({ length: 40 }, (_, i) => 800_000 + i), many);
    expect(sharded.query(many.subarray(8 * 39, 8 * 40))).toEqual([{ id: 800_039, distance: 0 }]);
    expect(sharded.removeMany([800_000, 800_039, 123_456_789])).toBe(2);
    const compacting = sharded.compact();
    expect(() => sharded.query(target)).toThrow(/compacting/);
    await compacting;
    expect(sharded.size).toBe(ROWS + 1 - 2 + 40 - 2);
    expect(sharded.query(target)).toEqual([{ id: 900_000, distance: 9 }]);
    expect(sharded.query(many.subarray(8 * 38, 8 * 39))).toEqual([{ id: 800_038, distance: 0 }]);
  });

  it('answers queries asked without blocking, many in one batch, each as the blocking query does', async () => {
    // one turn's queries travel as one batch; with a 64-word payload area they also overflow it (it grows)
    const asked = queries.flatMap((query) => [0, 12, 31].map((radius) => ({ query, radius })));
    const answers = await Promise.all(asked.map(({ query, radius }) => sharded.queryAsync(query, { radius })));
    answers.forEach((answer, i) => expect(answer).toEqual(sharded.query(asked[i].query, { radius: asked[i].radius })));
    const variants = queries.slice(0, 8);
    expect(await sharded.queryDihedralAsync(variants, { radius: 31 })).toEqual(single.queryDihedral(variants, { radius: 31 }));
    expect(await sharded.queryAsync(formatHash(queries[3]))).toEqual(single.query(queries[3]));
  });

  it('answers a batch in flight before a blocking call, and sees a change made before the batch leaves', async () => {
    const target = nearby(words, 11 * 8, 0, random);
    const inFlight = sharded.queryAsync(target, { radius: 31 });
    // the batch leaves after this turn: the add below is made before, so the batch sees it
    sharded.add(910_000, nearby(target, 0, 4, random));
    const sent = sharded.queryAsync(target, { radius: 31 });
    await new Promise((resolve) => setImmediate(resolve));
    // a blocking query while that batch is in flight: the batch is answered first, then this query
    const blocking = sharded.query(target, { radius: 31 });
    expect(blocking.map((m) => m.id)).toContain(910_000);
    expect(await inFlight).toEqual(blocking);
    expect(await sent).toEqual(blocking);
    expect(sharded.remove(910_000)).toBe(1);
    expect((await sharded.queryAsync(target, { radius: 31 })).map((m) => m.id)).not.toContain(910_000);
  });

  it('refuses bad asynchronous queries with what to fix, and stops answering once closed', async () => {
    await expect(sharded.queryAsync(queries[0], { radius: 257 })).rejects.toThrow(/radius must be a whole number/);
    await expect(sharded.queryAsync('not a hash')).rejects.toThrow(/hash/);
    await expect(sharded.queryDihedralAsync([])).rejects.toThrow(/at least one hash/);
    await expect(sharded.queryDihedralAsync(queries.slice(0, 9))).rejects.toThrow(/at most 8 hashes/);
    const small = await ShardedMatchIndex.build(ids.slice(0, 100), words.slice(0, 800), { shards: 2 });
    expect(await small.queryAsync(words.subarray(0, 8), { radius: 0 })).toEqual([{ id: 0, distance: 0 }]);
    const waiting = expect(small.queryAsync(words.subarray(0, 8))).rejects.toThrow(/closed|stopped/);
    await small.close();
    await waiting;
  });

  it('removes from the shards holding an id only, whatever the order of the ids', async () => {
    // ids in no order: each shard keeps a sorted copy of its ids; adds split across shards by a small payload
    const count = 3000;
    const shuffled = Uint32Array.from({ length: count }, (_, i) => (i * 7919) % count);
    const rows = words.slice(0, count * 8);
    const index = await ShardedMatchIndex.build(shuffled, rows, { shards: 3, payloadWords: 90 });
    try {
      for (const id of [0, 1, 2999, 1234]) expect(index.shardsHolding(id)).toHaveLength(1);
      const extra = randomHashes(30, random);
      const extraIds = Uint32Array.from({ length: 30 }, (_, i) => 50_000 + (i % 10));
      index.addMany(extraIds, extra);
      const gone = [0, 1234, 2999, 50_000, 50_003, 77_777];
      const expected = gone.reduce((n, id) => n + shuffled.filter((x) => x === id).length + extraIds.filter((x) => x === id).length, 0);
      expect(index.removeMany(gone)).toBe(expected);
      for (const row of [0, 1234, 2999].map((id) => shuffled.indexOf(id))) {
        const query = rows.subarray(row * 8, row * 8 + 8);
        const left = naiveMatches(shuffled, rows, query, 31).filter((m) => !gone.includes(m.id));
        expect(index.query(query)).toEqual(left);
      }
      expect(index.size).toBe(count + 30 - expected);
    } finally {
      await index.close();
    }
  });

  it('refuses bad input with what to fix, before any shard sees it', () => {
    expect(() => sharded.query(queries[0], { radius: 257 })).toThrow(/radius must be a whole number/);
    expect(() => sharded.query(queries[0], { limit: -1 })).toThrow(/limit must be a whole number/);
    expect(() => sharded.query('not a hash')).toThrow(/hash/);
    expect(() => sharded.add(-1, queries[0])).toThrow(/an id is a whole number/);
    expect(() => sharded.queryDihedral([])).toThrow(/at least one hash/);
    expect(sharded.query(queries[0])).toEqual(naiveMatches(ids, words, queries[0], 31).filter((m) => m.id !== 5));
  });

  it("files a shard's keys under about one row a key by default (wider keys than one index's)", async () => {
    const rows = 1 << 19;
    const bank = randomHashes(rows, random);
    const bankIds = Uint32Array.from({ length: rows }, (_, i) => i);
    const fast = await ShardedMatchIndex.build(bankIds, bank, { shards: 2, layout: 'wide' });
    const compact = await ShardedMatchIndex.build(bankIds, bank, { shards: 2, layout: 'wide', rowsPerKey: 4 });
    try {
      // 18-bit keys against 16: 11 directories of 2^18 keys instead of 2^16 in each shard
      expect(fast.byteLength()).toBeGreaterThan(compact.byteLength() + 2 * 11 * 1.25 * (2 ** 18 - 2 ** 16) - 2 * 11 * 65536);
      for (let q = 0; q < 10; q++) {
        const query = nearby(bank, (random() % rows) * 8, random() % 32, random);
        const expected = matchesWithin(bankIds, naiveDistances(bank, query), 31);
        expect(fast.query(query)).toEqual(expected);
        expect(compact.query(query)).toEqual(expected);
      }
    } finally {
      await fast.close();
      await compact.close();
    }
  }, 120_000);

  it('builds shard by shard from a loader, and rejects rows that do not fit', async () => {
    const loaded: number[] = [];
    const small = await ShardedMatchIndex.buildFrom(2, (shard) => {
      loaded.push(shard);
      return { ids: ids.slice(shard * 100, shard * 100 + 100), words: words.slice(shard * 800, shard * 800 + 800) };
    }, { buildConcurrency: 1 });
    expect(loaded).toEqual([0, 1]);
    expect(small.query(words.subarray(150 * 8, 151 * 8))).toEqual([{ id: 150, distance: 0 }]);
    await small.close();
    await expect(ShardedMatchIndex.buildFrom(1, () => ({ ids: new Uint32Array(2), words: new Uint32Array(8) }))).rejects.toThrow(/8 words per id/);
    await expect(ShardedMatchIndex.buildFrom(0, () => ({ ids, words }))).rejects.toThrow(/at least 1/);
  });
});
