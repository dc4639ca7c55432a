import { describe, expect, it } from 'vitest';
import { HashStore, MAX_GROWTH_ROWS, MAX_ROWS, grownCapacity } from '../src/hash-store.ts';
import { MatchIndex } from '../src/index.ts';
import { randomHashes, seededRandom } from './helpers.ts';

describe('the hash store grows geometrically', () => {
  it('moves its rows a dozen times, not a hundred, over a hundred adds of a thousand rows', () => {
    const store = new HashStore(1024);
    const words = randomHashes(1000, seededRandom(1));
    const capacities = [store.capacity];
    for (let add = 0; add < 100; add++) {
      store.appendMany(Uint32Array.from({ length: 1000 }, (_, i) => add * 1000 + i), words);
      if (store.capacity !== capacities.at(-1)) capacities.push(store.capacity);
    }
    // half as much again each time, or what one add needs when that is more (1 024 → 2 000 → 3 000)
    expect(capacities).toEqual([1024, 2000, 3000, 4500, 6750, 10125, 15188, 22782, 34173, 51260, 76890, 115335]);
    expect(store.rows).toBe(100_000);
    // the rows kept their ids and hashes through the moves
    const row = new Uint32Array(8);
    store.readRow(99_999, row, 0);
    expect([...row]).toEqual([...words.subarray(999 * 8, 1000 * 8)]);
    expect(store.ids[54_321]).toBe(54_321);
  });

  it('adds at most MAX_GROWTH_ROWS of headroom, never grows past MAX_ROWS, and takes a large add exactly', () => {
    expect(grownCapacity(10_000_000, 10_000_001)).toBe(10_000_000 + MAX_GROWTH_ROWS);
    expect(grownCapacity(1024, 5_000_000)).toBe(5_000_000);
    expect(grownCapacity(MAX_ROWS - 10, MAX_ROWS)).toBe(MAX_ROWS);
    expect(grownCapacity(1024, 1025)).toBe(1536);
  });

  it('gives the headroom back at compaction, in either row order', () => {
    const words = randomHashes(30_000, seededRandom(2));
    const ids = Uint32Array.from({ length: 30_000 }, (_, i) => i);
    for (const rowOrder of ['key', 'insertion'] as const) {
      const grown = new MatchIndex({ rowOrder });
      for (let at = 0; at < 30_000; at += 1000) grown.addMany(ids.subarray(at, at + 1000), words.subarray(at * 8, (at + 1000) * 8));
      grown.compact();
      expect(grown.byteLength(), rowOrder).toBe(MatchIndex.build(ids, words, { rowOrder }).byteLength());
    }
  });
});
