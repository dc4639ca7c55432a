import { describe, expect, it } from 'vitest';
import { MatchIndex, formatHash, parseHash } from '../src/index.ts';
import { matchesWithin, naiveDistances, nearby, randomHashes, seededRandom, vectorEntries } from './helpers.ts';

describe('adds and removes take effect at once', () => {
  it('sees hashes added after a compaction, and stops seeing removed ones, without a rebuild', () => {
    const random = seededRandom(5);
    const words = randomHashes(20_000, random);
    const ids = Uint32Array.from({ length: 20_000 }, (_, i) => i);
    const index = MatchIndex.build(ids, words);
    const target = nearby(words, 100 * 8, 0, random);
    expect(index.query(target, { method: 'multi-index' })).toEqual([{ id: 100, distance: 0 }]);

    const added = nearby(target, 0, 12, random);
    index.add(900_000, added);
    expect(index.uncompactedRows).toBe(1);
    expect(index.query(target, { method: 'multi-index' })).toEqual([{ id: 100, distance: 0 }, { id: 900_000, distance: 12 }]);

    expect(index.remove(100)).toBe(1);
    expect(index.query(target, { method: 'multi-index' })).toEqual([{ id: 900_000, distance: 12 }]);
    expect(index.scan(target)).toEqual([{ id: 900_000, distance: 12 }]);
    expect(index.size).toBe(20_000);
    expect(index.remove(100)).toBe(0);

    index.add(100, target); // re-added under the same id
    expect(index.query(target, { method: 'multi-index' })[0]).toEqual({ id: 100, distance: 0 });
    index.compact();
    expect(index.uncompactedRows).toBe(0);
    expect(index.size).toBe(20_001);
    expect(index.query(target, { method: 'multi-index' })).toEqual([{ id: 100, distance: 0 }, { id: 900_000, distance: 12 }]);
  });

  it('keeps matching the oracle through a random mix of adds, removes and compactions', () => {
    const random = seededRandom(9);
    const index = new MatchIndex();
    const rowsIds: number[] = [];
    const rowsWords: Uint32Array[] = [];
    const removed = new Set<number>();
    const centre = randomHashes(1, random);
    for (let step = 0; step < 6000; step++) {
      const action = random() % 10;
      if (action < 8) {
        const id = random() % 3000; // ids repeat: several hashes per id
        const hash = random() % 2 === 0 ? nearby(centre, 0, random() % 45, random) : randomHashes(1, random);
        index.add(id, hash);
        removed.delete(id);
        // a re-added id only has its new hashes: the old ones were removed
        rowsIds.push(id);
        rowsWords.push(hash);
      } else if (action < 10 && rowsIds.length > 0) {
        const id = rowsIds[random() % rowsIds.length];
        index.remove(id);
        for (let i = rowsIds.length - 1; i >= 0; i--) {
          if (rowsIds[i] === id) {
            rowsIds.splice(i, 1);
            rowsWords.splice(i, 1);
          }
        }
      }
      if (step % 2000 === 1999) index.compact();
      if (step % 500 === 0 || step === 5999) {
        const words = new Uint32Array(rowsWords.length * 8);
        rowsWords.forEach((hash, i) => words.set(hash, i * 8));
        const query = nearby(centre, 0, random() % 10, random);
        const distances = naiveDistances(words, query);
        for (const radius of [0, 16, 31, 40]) {
          const oracle = matchesWithin(rowsIds, distances, radius);
          expect(index.query(query, { radius, method: 'multi-index' })).toEqual(oracle);
          expect(index.scan(query, { radius })).toEqual(oracle);
        }
        expect(index.size).toBe(rowsIds.length);
      }
    }
  });

  it('reports each id once at its best distance, nearest first, ties by id, up to the limit', () => {
    const base = parseHash('f'.repeat(64));
    const index = new MatchIndex();
    index.add(5, nearby(base, 0, 9, seededRandom(1)));
    index.add(5, nearby(base, 0, 3, seededRandom(2)));
    index.add(2, nearby(base, 0, 3, seededRandom(3)));
    index.add(1, nearby(base, 0, 20, seededRandom(4)));
    expect(index.query(base)).toEqual([{ id: 2, distance: 3 }, { id: 5, distance: 3 }, { id: 1, distance: 20 }]);
    expect(index.query(base, { limit: 1 })).toEqual([{ id: 2, distance: 3 }]);
    expect(index.query(base, { radius: 5 })).toHaveLength(2);
    expect(() => index.query(base, { radius: 300 })).toThrow(/radius/);
    expect(() => index.query(base, { radius: 2.5 })).toThrow(/radius/);
    expect(() => index.query('xyz')).toThrow(/64 hexadecimal/);
    expect(() => index.add(-1, base)).toThrow(/id/);
  });
});

describe('dihedral queries', () => {
  it('finds a rotated copy through the variants computed from the image', () => {
    const entries = vectorEntries();
    const original = entries.find((e) => e.file.endsWith('dih/bridge-1-original.jpg'))!;
    const rotated = entries.find((e) => e.file.endsWith('dih/bridge-2-rotate-90.jpg'))!;
    const index = new MatchIndex();
    index.add(42, rotated.hash);
    for (let i = 0; i < 100; i++) index.add(1000 + i, randomHashes(1, seededRandom(100 + i)));
    // the plain hash is far from the rotated copy...
    expect(index.query(original.hash)).toEqual([]);
    // ...but one of the original image's 8 variants is the rotated image's hash
    const found = index.queryDihedral(original.dihedral);
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe(42);
    expect(found[0].distance).toBeLessThanOrEqual(31);
    expect(index.queryDihedral(Object.values(original.dihedral), { method: 'multi-index' })).toEqual(found);
    expect(formatHash(parseHash(original.hash))).toBe(original.hash);
  });
});
