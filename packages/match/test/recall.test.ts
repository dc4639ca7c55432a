import { describe, expect, it } from 'vitest';
import { MatchIndex, parseHash } from '../src/index.ts';
import { NARROW_LAYOUT, WIDE_LAYOUT } from '../src/slot-layout.ts';
import { clusteredHashes, matchesWithin, naiveDistances, nearby, randomHashes, seededRandom, vectorList } from './helpers.ts';

const RADII = [0, 1, 8, 10, 11, 15, 16, 21, 22, 24, 30, 31, 32, 33, 40, 43, 44, 47];

function sequentialIds(count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => i);
}

/** Every query answered three ways must agree: multi-index, WebAssembly scan, naive JavaScript. */
function expectFullRecall(index: MatchIndex, ids: Uint32Array, words: Uint32Array, queries: Uint32Array[], radii: number[]) {
  let compared = 0;
  for (const query of queries) {
    const distances = naiveDistances(words, query);
    for (const radius of radii) {
      const oracle = matchesWithin(ids, distances, radius);
      expect(index.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
      expect(index.scan(query, { radius })).toEqual(oracle);
      compared += oracle.length;
    }
  }
  return compared;
}

describe('multi-index recall on a bank large enough for wide keys (17 bits: packed directory, rows in key order)', () => {
  it('equals a naive oracle, and the index with rows in insertion order and a u32 directory, and with 18- and 19-bit keys', () => {
    const random = seededRandom(23);
    const count = 600_000;
    const ids = sequentialIds(count);
    const words = randomHashes(count, random);
    const index = MatchIndex.build(ids, words, { layout: 'wide', rowsPerKey: 4 });
    const plain = MatchIndex.build(ids, words, { layout: 'wide', rowOrder: 'insertion', directory: 'full', rowsPerKey: 4 });
    expect(index.byteLength()).toBeLessThan(plain.byteLength() - count * 8);
    // two to four rows a key (18 bits), and by default one or two (19 bits): 11 directories of 2^18 or 2^19
    // keys instead of 2^17
    const twoRows = MatchIndex.build(ids, words, { layout: 'wide', rowsPerKey: 2 });
    expect(twoRows.byteLength()).toBeGreaterThan(index.byteLength() + 11 * 1.25 * (2 ** 18 - 2 ** 17) - 65536 * 11);
    const standard = MatchIndex.build(ids, words, { layout: 'wide' });
    expect(standard.byteLength()).toBeGreaterThan(twoRows.byteLength() + 11 * 1.25 * (2 ** 19 - 2 ** 18) - 65536 * 11);
    expect(() => new MatchIndex({ rowsPerKey: 3 as 1 })).toThrow(/rowsPerKey must be 1, 2 or 4/);
    const queries: Uint32Array[] = [];
    for (let q = 0; q < 40; q++) queries.push(nearby(words, (random() % count) * 8, q, random));
    for (let q = 0; q < 4; q++) queries.push(randomHashes(1, random));
    let found = 0;
    for (const query of queries) {
      const distances = naiveDistances(words, query);
      for (const radius of [0, 9, 10, 11, 21, 22, 31, 32, 33]) {
        const oracle = matchesWithin(ids, distances, radius);
        expect(index.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
        expect(plain.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
        expect(twoRows.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
        expect(standard.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
        found += oracle.length;
      }
    }
    expect(found).toBeGreaterThan(150);
    // adds after the compaction, then a compaction that drops removed rows and sorts again
    const extra = randomHashes(1000, random);
    index.addMany(Uint32Array.from({ length: 1000 }, (_, i) => count + i), extra);
    index.removeMany([1, 2, 3, count + 5]);
    const near = nearby(extra, 5 * 8, 4, random);
    expect(index.query(near)).toEqual([]);
    const near6 = nearby(extra, 6 * 8, 4, random);
    expect(index.query(near6)).toEqual([{ id: count + 6, distance: 4 }]);
    index.compact();
    expect(index.uncompactedRows).toBe(0);
    expect(index.query(near6, { method: 'multi-index' })).toEqual([{ id: count + 6, distance: 4 }]);
    expect(index.query(words.subarray(8, 16), { radius: 0 })).toEqual([]);
    expect(index.query(words.subarray(40, 48), { radius: 0 })).toEqual([{ id: 5, distance: 0 }]);
  }, 300_000);
});

describe.each([NARROW_LAYOUT, WIDE_LAYOUT])('multi-index recall equals the exhaustive scan ($name layout)', (layout) => {
  const options = { layout: layout.name };
  it("on Meta's haystack and needles lists", () => {
    const haystack = vectorList('haystack.txt');
    const needles = vectorList('needles.txt');
    const ids = sequentialIds(haystack.length);
    const words = new Uint32Array(haystack.length * 8);
    haystack.forEach((hex, i) => words.set(parseHash(hex), i * 8));
    const live = new MatchIndex(options);
    haystack.forEach((hex, i) => live.add(i, hex));
    const compacted = MatchIndex.build(ids, words, options);
    const queries = [...needles, ...haystack.slice(0, 300)].map(parseHash);
    const found = expectFullRecall(live, ids, words, queries, RADII);
    expectFullRecall(compacted, ids, words, queries, [0, 11, 22, 31, 32, 33, 43, 47]);
    expect(found).toBeGreaterThan(1000); // the lists are full of near-duplicates: the test has teeth
  });

  it('on random hashes', () => {
    const random = seededRandom(7);
    const count = 140_000;
    const ids = sequentialIds(count);
    const words = randomHashes(count, random);
    const index = MatchIndex.build(ids, words, options);
    // queries: indexed hashes moved 0..47 bits (must be found up to the radius), and fresh random ones
    const queries: Uint32Array[] = [];
    for (let q = 0; q < 48; q++) queries.push(nearby(words, (random() % count) * 8, q, random));
    for (let q = 0; q < 8; q++) queries.push(randomHashes(1, random));
    const found = expectFullRecall(index, ids, words, queries, [0, 10, 11, 21, 22, 31, 32, 33, 43, 47]);
    expect(found).toBeGreaterThan(100);
  });

  it('on clustered hashes: near-duplicates at every distance 0..40', () => {
    const random = seededRandom(11);
    const words = clusteredHashes(200, 410, random); // 82 000 rows, 10 members at each distance per centre
    const ids = sequentialIds(words.length / 8);
    const index = MatchIndex.build(ids, words, options);
    const queries: Uint32Array[] = [];
    for (let q = 0; q < 40; q++) queries.push(nearby(words, (random() % ids.length) * 8, q % 20, random));
    const found = expectFullRecall(index, ids, words, queries, [0, 8, 16, 31, 32, 40]);
    expect(found).toBeGreaterThan(10_000);
  });

  it('handles keys shared by more rows than one verification batch (30 000 copies of one image)', () => {
    const random = seededRandom(17);
    const copy = randomHashes(1, random);
    const count = 45_000;
    const words = new Uint32Array(count * 8);
    for (let row = 0; row < count; row++) {
      // two rows in three are the copy moved 1-2 bits: the copy's probes hold ~30 000 rows > 16 384
      words.set(row % 3 !== 0 ? nearby(copy, 0, row % 3, random) : randomHashes(1, random), row * 8);
    }
    const ids = sequentialIds(count);
    const compacted = MatchIndex.build(ids, words, options);
    const live = new MatchIndex(options);
    live.addMany(ids, words);
    const query = nearby(copy, 0, 3, random);
    const oracle = matchesWithin(ids, naiveDistances(words, query), 31);
    expect(oracle.length).toBe(30_000);
    expect(compacted.query(query, { method: 'multi-index' })).toEqual(oracle);
    expect(live.query(query, { method: 'multi-index' })).toEqual(oracle);
    expect(live.query(query, { method: 'multi-index', limit: 3 })).toEqual(oracle.slice(0, 3));
  });

  it('finds every hash 31 bits away whose flips are spread as evenly over the slots as they can be', () => {
    // q = floor(31 / m) + 1 flips in every slot would be m q > 31 bits; taking the m q - 31 extra flips
    // away from one slot or from two (every choice) gives every pattern where all slots but one or two
    // hold more flips than a uniform probe radius, which uneven probe radii must still catch
    const slots = layout.widths.length;
    const q = Math.floor(31 / slots) + 1;
    const extra = slots * q - 31;
    expect(extra).toBeLessThanOrEqual(2);
    const patterns: number[][] = [];
    for (let s = 0; s < slots; s++) patterns.push(Array.from({ length: slots }, (_, i) => (i === s ? q - extra : q)));
    if (extra === 2) {
      for (let s = 0; s < slots; s++) for (let t = s + 1; t < slots; t++) patterns.push(Array.from({ length: slots }, (_, i) => (i === s || i === t ? q - 1 : q)));
    }
    const random = seededRandom(17);
    const base = randomHashes(1, random);
    const fillers = 12_000;
    const words = new Uint32Array((patterns.length + fillers) * 8);
    patterns.forEach((counts, p) => {
      const far = base.slice();
      layout.starts.forEach((start, slot) => {
        // the flips sit in the slot's top bits (every key width looks at them), shifted by the pattern
        for (let offset = 0; offset < counts[slot]; offset++) {
          const bit = start + ((offset + p) % Math.min(16, layout.widths[slot]));
          far[bit >>> 5] ^= 1 << (31 - (bit & 31));
        }
      });
      words.set(far, p * 8);
    });
    words.set(randomHashes(fillers, random), patterns.length * 8);
    const ids = sequentialIds(patterns.length + fillers);
    const distances = naiveDistances(words, base);
    const oracle = matchesWithin(ids, distances, 31);
    expect(oracle.filter((m) => m.id < patterns.length)).toEqual(patterns.map((_, id) => ({ id, distance: 31 })));
    const live = new MatchIndex(options);
    live.addMany(ids, words);
    const compacted = MatchIndex.build(ids, words, options);
    for (const index of [live, compacted]) {
      expect(index.query(base, { radius: 31, method: 'multi-index' })).toEqual(oracle);
      expect(index.query(base, { radius: 30, method: 'multi-index' })).toEqual(matchesWithin(ids, distances, 30));
    }
  });

  it('finds the worst case for radius 31: every slot just outside its probe radius but one, 1 bit inside', () => {
    const random = seededRandom(3);
    const base = randomHashes(1, random);
    const far = base.slice();
    // r + 1 flips in every slot but slot 9, which takes what is left of 31; the flips sit in each slot's
    // top bits, the ones every key width looks at
    const slots = layout.widths.length;
    const r = Math.floor(31 / slots);
    layout.starts.forEach((start, slot) => {
      const count = slot === 9 ? 31 - (slots - 1) * (r + 1) : r + 1;
      for (let offset = 0; offset < count; offset++) {
        const bit = start + offset;
        far[bit >>> 5] ^= 1 << (31 - (bit & 31));
      }
    });
    expect(matchesWithin([1], naiveDistances(far, base), 31)).toEqual([{ id: 1, distance: 31 }]);
    const live = new MatchIndex(options);
    live.add(1, far);
    const words = new Uint32Array(20_000 * 8);
    words.set(far);
    words.set(randomHashes(19_999, random), 8);
    for (let i = 1; i < 20_000; i++) live.add(1 + i, words.subarray(i * 8, i * 8 + 8));
    const compacted = MatchIndex.build(Uint32Array.from({ length: 20_000 }, (_, i) => 1 + i), words, options);
    for (const index of [live, compacted]) {
      expect(index.query(base, { radius: 31, method: 'multi-index' })).toEqual([{ id: 1, distance: 31 }]);
      expect(index.query(base, { radius: 30, method: 'multi-index' })).toEqual([]);
    }
  });
});
