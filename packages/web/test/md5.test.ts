import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5, md5Hex } from '../src/hashing/md5.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('md5', () => {
  it('matches the RFC 1321 test suite', () => {
    const vectors: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, expected] of vectors) expect(md5Hex(encode(input)), input).toBe(expected);
  });

  it('gives the same digest however the bytes are split into chunks, at every padding boundary', () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff);
      const expected = createHash('md5').update(bytes).digest('hex');
      expect(md5Hex(bytes)).toBe(expected);
      const chunked = new Md5();
      for (let i = 0; i < length; i += 13) chunked.update(bytes.subarray(i, i + 13));
      expect(chunked.hex()).toBe(expected);
    }
  });
});
