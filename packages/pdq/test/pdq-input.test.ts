import { describe, expect, it } from 'vitest';
import { PdqInputError, pdqHash, pdqHashDihedral } from '../src/index.ts';

describe('pdqHash input handling', () => {
  it('hashes images under 5 pixels on a side to zero with quality 0', () => {
    expect(pdqHash(new Uint8Array(4 * 100 * 3), 4, 100)).toEqual({ hash: '0'.repeat(64), quality: 0 });
    const dihedral = pdqHashDihedral(new Uint8Array(100 * 4), 100, 4);
    expect(dihedral.quality).toBe(0);
    expect(new Set(Object.values(dihedral.hashes))).toEqual(new Set(['0'.repeat(64)]));
  });

  it('gives a uniform image quality 0', () => {
    expect(pdqHash(new Uint8Array(300 * 200 * 3).fill(128), 300, 200).quality).toBe(0);
  });

  it('rejects a pixel buffer whose length does not fit the size, saying what it expected', () => {
    expect(() => pdqHash(new Uint8Array(10 * 10 * 3 + 1), 10, 10)).toThrow(PdqInputError);
    expect(() => pdqHash(new Uint8Array(10 * 10 * 3 + 1), 10, 10)).toThrow(/Expected 100 pixels/);
    expect(() => pdqHash(new Uint8Array(10 * 10 * 5), 10, 10)).toThrow(/got 500 bytes/);
  });

  it('rejects sizes that are not whole positive numbers', () => {
    expect(() => pdqHash(new Uint8Array(0), 0, 0)).toThrow(/at least 1/);
    expect(() => pdqHash(new Uint8Array(30), 2.5, 4)).toThrow(/whole numbers/);
  });

  it('hashes a 64×64 image without blurring, and images narrower than 64 columns', () => {
    const pixels = new Uint8Array(64 * 64);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251;
    expect(pdqHash(pixels, 64, 64).hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pdqHash(pixels.subarray(0, 20 * 30), 20, 30).hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
