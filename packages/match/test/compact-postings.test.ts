import { describe, expect, it } from 'vitest';
import { CompactPostings } from '../src/compact-postings.ts';
import { randomHashes, seededRandom } from './helpers.ts';

describe('compact postings', () => {
  it('decode every key to the rows filed under it, in WebAssembly and in JavaScript, across shards', () => {
    const random = seededRandom(41);
    const rows = 140_000; // three 65 536-row shards
    const words = randomHashes(rows, random);
    // a few keys shared by many rows, one by none
    for (let r = 0; r < rows; r += 97) words[r * 8 + 1] = (words[r * 8 + 1] & 0xffff0000) | 0x1234;
    for (let r = 0; r < rows; r++) if ((words[r * 8 + 1] & 0xffff) === 0x4321) words[r * 8 + 1] ^= 1;
    const slot = 3; // low half of word 1
    const postings = new CompactPostings(words, slot >>> 1, 8, rows, slot);
    const expected = new Map<number, number[]>();
    for (let r = 0; r < rows; r++) {
      const key = words[r * 8 + 1] & 0xffff;
      expected.set(key, [...(expected.get(key) ?? []), r]);
    }
    const keys = [0x1234, 0x4321, ...Array.from({ length: 300 }, () => random() & 0xffff)];
    // a slot's probes at once: each key's rows, key after key
    for (const [from, n] of [[0, 17], [17, 32], [49, 1]]) {
      postings.keys.set(keys.slice(from, from + n));
      const wanted = keys.slice(from, from + n).flatMap((key) => expected.get(key) ?? []);
      expect(postings.countKeys(n)).toBe(wanted.length);
      expect(postings.decodeKeysToScratch(n)).toBe(wanted.length);
      expect([...postings.scratch.subarray(0, wanted.length)]).toEqual(wanted);
    }
    for (const key of keys) {
      const wanted = expected.get(key) ?? [];
      expect(postings.count(key)).toBe(wanted.length);
      expect(postings.decodeToScratch(key)).toBe(wanted.length);
      expect([...postings.scratch.subarray(0, wanted.length)]).toEqual(wanted);
      const out = new Uint32Array(wanted.length);
      postings.decode(key, out, 0);
      expect([...out]).toEqual(wanted);
    }
  });
});
