/** Test data: seeded random hashes, near-duplicates at exact distances, and a naive distance oracle. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { popcount32, type Match } from '../src/index.ts';
import { VECTORS_DIR } from '@takedown/testing/vectors';

/** xorshift32: the same data on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export function randomHashes(count: number, random: () => number): Uint32Array {
  const words = new Uint32Array(count * 8);
  for (let i = 0; i < words.length; i++) words[i] = random();
  return words;
}

/** A copy of the 8 words at `from[at]` with exactly `distance` distinct bits flipped. */
export function nearby(from: Uint32Array, at: number, distance: number, random: () => number): Uint32Array {
  const hash = from.slice(at, at + 8);
  const flipped = new Set<number>();
  while (flipped.size < distance) flipped.add(random() & 255);
  for (const bit of flipped) hash[bit >>> 5] ^= 1 << (bit & 31);
  return hash;
}

/**
 * Clustered bank: `clusters` centres, each with `perCluster` members at every distance 0..40 in turn
 * (the near-duplicates that break schemes probing too few keys).
 */
export function clusteredHashes(clusters: number, perCluster: number, random: () => number): Uint32Array {
  const centres = randomHashes(clusters, random);
  const words = new Uint32Array(clusters * perCluster * 8);
  for (let c = 0; c < clusters; c++) {
    for (let m = 0; m < perCluster; m++) {
      words.set(nearby(centres, c * 8, m % 41, random), (c * perCluster + m) * 8);
    }
  }
  return words;
}

/** The oracle's first half: every row's distance to the query, bit by bit in plain JavaScript. */
export function naiveDistances(words: Uint32Array, query: Uint32Array): Uint16Array {
  const distances = new Uint16Array(words.length / 8);
  for (let row = 0; row < distances.length; row++) {
    let d = 0;
    for (let w = 0; w < 8; w++) d += popcount32(words[row * 8 + w] ^ query[w]);
    distances[row] = d;
  }
  return distances;
}

/** The oracle's second half: ids within the radius, best distance per id, nearest first, ties by id. */
export function matchesWithin(ids: ArrayLike<number>, distances: Uint16Array, radius: number, removed = new Set<number>()): Match[] {
  const best = new Map<number, number>();
  for (let row = 0; row < distances.length; row++) {
    const d = distances[row];
    if (d > radius || removed.has(ids[row])) continue;
    const known = best.get(ids[row]);
    if (known === undefined || d < known) best.set(ids[row], d);
  }
  return [...best].map(([id, distance]) => ({ id, distance })).sort((a, b) => a.distance - b.distance || a.id - b.id);
}

export function naiveMatches(
  ids: ArrayLike<number>, words: Uint32Array, query: Uint32Array, radius: number, removed = new Set<number>(),
): Match[] {
  return matchesWithin(ids, naiveDistances(words, query), radius, removed);
}

export { VECTORS_DIR };

/** A list from the shared PDQ vectors (hashes/haystack.txt, needles.txt); fails loudly when missing. */
export function vectorList(name: string): string[] {
  const path = join(VECTORS_DIR, 'hashes', name);
  if (!existsSync(path)) {
    throw new Error(`The PDQ test vectors are missing: no ${path}. Put the shared vectors beside the repository or set TAKEDOWN_VECTORS_DIR.`);
  }
  return readFileSync(path, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

export function vectorEntries(): { file: string; hash: string; dihedral: Record<string, string> }[] {
  return JSON.parse(readFileSync(join(VECTORS_DIR, 'expected.json'), 'utf8'));
}
