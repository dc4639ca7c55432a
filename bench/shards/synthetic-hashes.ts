/**
 * Random-looking 256-bit hashes that any process can make again from their ids alone: the coordinator of
 * the shard benchmark knows every shard's hashes without sending them (a shard holds the ids from `first`).
 */
function mix(x: number): number {
  // MurmurHash3's 32-bit finaliser: every input bit moves every output bit.
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The 8 words of hash `id`. */
export function syntheticHash(id: number, out = new Uint32Array(8), at = 0): Uint32Array {
  for (let w = 0; w < 8; w++) out[at + w] = mix(Math.imul(id, 0x9e3779b1) ^ mix(w + 1));
  return out;
}

/** Ids `first` … `first + count − 1` and their hashes, 8 words each, as MatchIndex.build takes them. */
export function syntheticHashes(first: number, count: number): { ids: Uint32Array; words: Uint32Array } {
  const ids = new Uint32Array(count);
  const words = new Uint32Array(count * 8);
  for (let i = 0; i < count; i++) {
    ids[i] = first + i;
    syntheticHash(first + i, words, i * 8);
  }
  return { ids, words };
}

/** Hash `id` with `bits` of its bits flipped (a near copy at exactly that distance). */
export function nearCopy(id: number, bits: number): Uint32Array {
  const words = syntheticHash(id);
  for (let b = 0; b < bits; b++) {
    // Spread over the words so the copy is not found through one slot only.
    const bit = (b * 37) % 256;
    words[bit >>> 5] ^= 1 << (bit & 31);
  }
  return words;
}
