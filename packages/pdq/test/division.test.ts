import { describe, expect, it } from 'vitest';

// downsample.ts multiplies by 1 / count in binary64 instead of dividing in binary32, on the argument that the
// two always round to the same binary32 value (see its header). This checks the argument where it is tight:
// binary32 values of every magnitude the box filter sees, every window count it uses, and near-halfway cases.
describe('x · (1 / c) rounded to binary32 equals the binary32 division x / c', () => {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);

  it('for 300 000 binary32 values and every count from 1 to 320', () => {
    let seed = 12345;
    let mismatches = 0;
    for (let i = 0; i < 300_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      // exponents spanning 2^-20 … 2^20 (luma sums are 0 … 255 · window), any significand, either sign
      u32[0] = ((seed & 0x807fffff) | ((107 + (i % 40)) << 23)) >>> 0;
      const x = f32[0];
      for (let c = 1; c <= 320; c += i % 7 === 0 ? 1 : 37) {
        if (Math.fround(x / c) !== Math.fround(x * (1 / c))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('for values whose quotient is within a hair of halfway between two binary32 values', () => {
    let mismatches = 0;
    for (let c = 3; c <= 320; c += 2) {
      for (let m = (1 << 24) + 1; m < (1 << 24) + 20_000; m += 2) {
        // m / 2^24 is halfway between binary32 neighbours; x = the binary32 nearest c · that.
        const x = Math.fround((c * m) / 2 ** 25);
        if (Math.fround(x / c) !== Math.fround(x * (1 / c))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});
