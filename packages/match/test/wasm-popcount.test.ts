import { describe, expect, it } from 'vitest';
import { popcountKernels, popcountModuleBytes } from '../src/wasm-popcount.ts';
import { scanTypedArrays } from '../src/index.ts';
import { naiveDistances, nearby, randomHashes, seededRandom } from './helpers.ts';

/** Writes `count` hashes (8 words each) as the kernels read them: first halves from byte 4096, then second halves. */
function writePlanes(words: Uint32Array, hashes: Uint32Array, count: number): { a: number; b: number } {
  const a = 4096;
  const b = a + count * 16;
  for (let r = 0; r < count; r++) {
    words.set(hashes.subarray(r * 8, r * 8 + 4), a / 4 + r * 4);
    words.set(hashes.subarray(r * 8 + 4, r * 8 + 8), b / 4 + r * 4);
  }
  return { a, b };
}

describe('the WebAssembly popcount kernels', () => {
  it('are a valid module built from the bytes in the repository', () => {
    expect(WebAssembly.validate(popcountModuleBytes() as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(popcountModuleBytes()).toEqual(popcountModuleBytes());
  });

  it('scan and verify agree with the JavaScript scan and the naive oracle', () => {
    const random = seededRandom(13);
    const memory = new WebAssembly.Memory({ initial: 4 });
    const kernels = popcountKernels(memory);
    const words = new Uint32Array(memory.buffer);
    const count = 1000;
    const hashes = randomHashes(count, random);
    for (let i = 0; i < count; i += 10) hashes.set(nearby(hashes, 0, i % 60, random), i * 8);
    const planes = writePlanes(words, hashes, count);
    const query = hashes.slice(0, 8);
    words.set(query, 0);
    const expected = naiveDistances(hashes, query);
    for (const radius of [0, 31, 59, 256]) {
      const found = kernels.scan(planes.a, planes.b, count, 0, radius, 65536);
      const pairs = Array.from({ length: found }, (_, k) => [words[16384 + 2 * k], words[16384 + 2 * k + 1]]);
      const wanted = [...expected].flatMap((d, row) => (d <= radius ? [[row, d]] : []));
      expect(pairs).toEqual(wanted);
      const rows = new Uint32Array(count);
      const distances = new Uint16Array(count);
      const n = scanTypedArrays(hashes, 0, count, query, radius, rows, distances);
      expect(Array.from({ length: n }, (_, k) => [rows[k], distances[k]])).toEqual(wanted);
      // verify: the candidate rows listed backwards
      const candidates = Array.from({ length: count }, (_, k) => count - 1 - k);
      words.set(candidates, 32768); // at byte 131072
      const verified = kernels.verify(planes.a, planes.b, 131072, count, 0, radius, 65536);
      const verifiedPairs = Array.from({ length: verified }, (_, k) => [words[16384 + 2 * k], words[16384 + 2 * k + 1]]);
      expect(verifiedPairs).toEqual([...wanted].reverse());
    }
  });
});

describe('the unrolled and blocked kernel loops', () => {
  it('give the same pairs for every remainder of four and of the verification block', () => {
    const random = seededRandom(29);
    const memory = new WebAssembly.Memory({ initial: 8 });
    const kernels = popcountKernels(memory);
    const words = new Uint32Array(memory.buffer);
    const count = 700;
    const hashes = randomHashes(count, random);
    for (let i = 0; i < count; i += 3) hashes.set(nearby(hashes, 0, i % 50, random), i * 8);
    const planes = writePlanes(words, hashes, count);
    const query = hashes.slice(0, 8);
    words.set(query, 0);
    const distances = naiveDistances(hashes, query);
    const read = (found: number) => Array.from({ length: found }, (_, k) => [words[16384 + 2 * k], words[16384 + 2 * k + 1]]);
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 255, 256, 257, 511, 513, 700]) {
      const wanted = [...distances.subarray(0, n)].flatMap((d, row) => (d <= 31 ? [[row, d]] : []));
      expect(read(kernels.scan(planes.a, planes.b, n, 0, 31, 65536))).toEqual(wanted);
      const candidates = Array.from({ length: n }, (_, k) => (k * 7) % n);
      words.set(candidates, 32768);
      const expected = candidates.flatMap((row) => (distances[row] <= 31 ? [[row, distances[row]]] : []));
      expect(read(kernels.verify(planes.a, planes.b, 131072, n, 0, 31, 65536))).toEqual(expected);
    }
  });
});
