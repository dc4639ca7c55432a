import { popcount32 } from './hash-words.ts';

/**
 * The exhaustive scan in plain JavaScript over a Uint32Array (8 words per hash from word `first`), for
 * hosts without WebAssembly and as the baseline bench/match.ts compares the WebAssembly kernel with.
 * Writes the matching rows' numbers to `rows` and their distances to `distances`; returns how many.
 */
export function scanTypedArrays(
  words: Uint32Array, first: number, count: number, query: Uint32Array, radius: number,
  rows: Uint32Array, distances: Uint8Array | Uint16Array | Uint32Array,
): number {
  const [q0, q1, q2, q3, q4, q5, q6, q7] = query;
  let found = 0;
  for (let row = 0, at = first; row < count; row++, at += 8) {
    // four words first: a random hash is already ~64 bits away by then, so most rows stop here
    let d = popcount32(words[at] ^ q0) + popcount32(words[at + 1] ^ q1)
      + popcount32(words[at + 2] ^ q2) + popcount32(words[at + 3] ^ q3);
    if (d > radius) continue;
    d += popcount32(words[at + 4] ^ q4) + popcount32(words[at + 5] ^ q5)
      + popcount32(words[at + 6] ^ q6) + popcount32(words[at + 7] ^ q7);
    if (d <= radius && found < rows.length) {
      rows[found] = row;
      distances[found] = d;
      found++;
    }
  }
  return found;
}
