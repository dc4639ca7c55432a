import { describe, expect, it } from 'vitest';
import { CompactPostings } from '../src/compact-postings.ts';
import { WIDE_LAYOUT, flipMasks, slotBits, slotWords } from '../src/slot-layout.ts';
import { randomHashes, seededRandom } from './helpers.ts';

/**
 * The `width` bits from bit `start` of row `row`, bit by bit from the hash's words: no code shared with slotBits. `words`
 * holds 2 words a row, the first being the word that holds the slot's first bit.
 */
function naiveKey(words: Uint32Array, row: number, width: number, start: number): number {
  let key = 0;
  const first = start & ~31;
  for (let bit = start; bit < start + width; bit++) key = key * 2 + ((words[row * 2 + ((bit - first) >>> 5)] >>> (31 - (bit & 31))) & 1);
  return key;
}

describe('compact postings', () => {
  it('slot keys are the bits the layout names', () => {
    const random = seededRandom(5);
    const words = randomHashes(50, random);
    expect(WIDE_LAYOUT.starts.at(-1)! + WIDE_LAYOUT.widths.at(-1)!).toBe(256);
    WIDE_LAYOUT.starts.forEach((start, slot) => {
      const [w1, w2] = slotWords(start);
      for (let row = 0; row < 50; row++) {
        const pair = Uint32Array.of(words[row * 8 + w1], words[row * 8 + w2]);
        for (const width of [WIDE_LAYOUT.widths[slot], 16]) expect(slotBits(pair[0], pair[1], start, width)).toBe(naiveKey(pair, 0, width, start));
      }
    });
  });

  const cases = [
    [140_000, 15, 'rows', 'full', '3-byte row numbers, a u32 offset per key, filed in one pass'],
    [140_000, 15, 'rows', 'auto', '3-byte row numbers, packed directory (4 rows a key)'],
    [400_000, 20, 'rows', 'auto', 'packed directory, most keys empty or one row, filed in two passes (256 buckets)'],
    [(1 << 24) + 3, 16, 'rows', 'full', '4-byte row numbers (over 2^24 rows), filed in two passes'],
    [(1 << 20) + 5, 16, 'split', 'auto', 'split: 16 low bits and 17 shards in unary'],
    [300_000, 11, 'split', 'auto', 'split: 147 rows a key, regions over several words'],
    [5000, 16, 'split', 'auto', 'split: one shard, most keys empty'],
  ] as const;
  it('keys of at most 16 bits take the split format, wider ones 3-byte row numbers', () => {
    const words = new Uint32Array(2 * 1000).fill(0x12345678);
    const source = { words, first: 0, second: 1, stride: 2 };
    expect(new CompactPostings(source, 1000, 0, 16).format).toBe('split');
    expect(new CompactPostings(source, 1000, 0, 17).format).toBe('rows');
  });

  it('packs the directory only when every group of 16 keys holds fewer than 256 rows before its last key', () => {
    const random = seededRandom(8);
    const words = new Uint32Array(2 * 20_000);
    for (let i = 0; i < words.length; i++) words[i] = random();
    const source = { words, first: 0, second: 1, stride: 2 };
    expect(new CompactPostings(source, 20_000, 0, 17).directory).toBe('packed');
    expect(new CompactPostings(source, 20_000, 0, 17, 'auto', undefined, 'full').directory).toBe('full');
    expect(new CompactPostings(source, 20_000, 0, 16).directory).toBe('full'); // split
    // 300 rows under one key: its group's next key lies 300 rows further on
    words.fill(0x12345678, 0, 600);
    const clustered = new CompactPostings(source, 20_000, 0, 17);
    expect(clustered.directory).toBe('full');
    expect(clustered.count(0x12345678 >>> 15)).toBeGreaterThanOrEqual(300);
    // 255 rows under the first key of a group still fit (the group's last key starts 255 on)
    const fitting = new Uint32Array(2 * 255).fill(0);
    const under = new CompactPostings({ words: fitting, first: 0, second: 1, stride: 2 }, 255, 0, 17);
    expect(under.directory).toBe('packed');
    expect(under.count(0)).toBe(255);
    expect(under.count(1)).toBe(0);
  });

  it('ranges: rows stored in key order need no row numbers, each key being one run', () => {
    const random = seededRandom(12);
    const rows = 60_000;
    const width = 17;
    const start = WIDE_LAYOUT.starts[0];
    const unsorted = new Uint32Array(rows * 2);
    for (let i = 0; i < unsorted.length; i++) unsorted[i] = random();
    // sorted by the naive key, two words a row
    const order = Array.from({ length: rows }, (_, r) => r).sort((a, b) => naiveKey(unsorted, a, width, start) - naiveKey(unsorted, b, width, start) || a - b);
    const words = new Uint32Array(rows * 2);
    order.forEach((from, to) => words.set(unsorted.subarray(from * 2, from * 2 + 2), to * 2));
    const postings = new CompactPostings({ words, first: 0, second: 1, stride: 2 }, rows, start, width, 'ranges');
    expect(postings.format).toBe('ranges');
    expect(postings.directory).toBe('packed');
    expect(postings.byteLength()).toBeLessThan(new CompactPostings({ words, first: 0, second: 1, stride: 2 }, rows, start, width).byteLength() - rows * 2);
    const rowsOf = new Map<number, number[]>();
    for (let r = 0; r < rows; r++) {
      const key = naiveKey(words, r, width, start);
      rowsOf.set(key, [...(rowsOf.get(key) ?? []), r]);
    }
    const keys = Array.from({ length: 30 }, () => random() & ((1 << width) - 1));
    keys.push(naiveKey(words, 0, width, start), naiveKey(words, rows - 1, width, start));
    for (const radius of [0, 1, 2]) {
      const masks = flipMasks(width, radius);
      postings.useMasks(masks);
      for (const key of keys) {
        const wanted = [...masks].flatMap((mask) => rowsOf.get(key ^ mask) ?? []);
        expect(postings.countProbes(key)).toBe(wanted.length);
        expect(postings.gather(key)).toBe(wanted.length);
        expect([...postings.scratch.subarray(0, wanted.length)]).toEqual(wanted);
        if (radius === 0) {
          const out = new Uint32Array(wanted.length);
          expect(postings.decode(key, out, 0)).toBe(wanted.length);
          expect([...out]).toEqual(wanted);
        }
      }
    }
    expect(() => new CompactPostings({ words: unsorted, first: 0, second: 1, stride: 2 }, rows, start, width, 'ranges')).toThrow(RangeError);
  }, 120_000);

  for (const [rows, width, format, directory, label] of cases) {
    it(`gather every probe's rows, in WebAssembly and in JavaScript (${label})`, () => {
      const random = seededRandom(41);
      const start = WIDE_LAYOUT.starts[5]; // spans words 3 and 4
      // only the slot's two words matter (words 3 and 4 of the hash): kept as 2 words a row
      const words = new Uint32Array(rows * 2);
      for (let i = 0; i < words.length; i++) words[i] = random();
      const key = (r: number) => naiveKey(words, r, width, start);
      // a key shared by many rows, one by none
      const shared = key(0);
      const postings = new CompactPostings({ words, first: 0, second: 1, stride: 2 }, rows, start, width, format, undefined, directory);
      expect(postings.format).toBe(format);
      expect(postings.directory).toBe(format === 'rows' && directory === 'auto' ? 'packed' : 'full');
      const expected = new Map<number, number[]>();
      for (let r = 0; r < rows; r++) {
        let list = expected.get(key(r));
        if (list === undefined) expected.set(key(r), (list = []));
        list.push(r);
      }
      const keys = [shared, ...Array.from({ length: 20 }, () => random() & ((1 << width) - 1))];
      for (const radius of [0, 1, 2]) {
        const masks = flipMasks(width, radius);
        postings.useMasks(masks);
        for (const key of keys) {
          const wanted = [...masks].flatMap((mask) => expected.get(key ^ mask) ?? []);
          expect(postings.countProbes(key)).toBe(wanted.length);
          if (wanted.length > postings.scratch.length) continue;
          expect(postings.gather(key)).toBe(wanted.length);
          expect([...postings.scratch.subarray(0, wanted.length)]).toEqual(wanted);
        }
      }
      for (const key of keys) {
        const wanted = expected.get(key) ?? [];
        expect(postings.count(key)).toBe(wanted.length);
        const out = new Uint32Array(wanted.length);
        postings.decode(key, out, 0);
        expect([...out]).toEqual(wanted);
      }
    }, 120_000);
  }
});
