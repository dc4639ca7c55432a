import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePdqSimd } from '../wasm/compile.ts';
import { PDQ_SIMD_WASM } from '../src/pdq-simd.generated.ts';
import { allowSimd, dct64To16Simd, downsampleTo64Simd, simdAvailable } from '../src/downsample-simd.ts';
import { dct64To16 } from '../src/dct.ts';
import { downsampleTo64 } from '../src/downsample.ts';
import { pdqHash, pdqHashDihedral } from '../src/index.ts';
import { readNetpbm } from './netpbm.ts';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';

const withPixels = loadVectors().filter((entry) => entry.decoded !== null);

/** Deterministic pseudo-random bytes (xorshift), so a failure can be reproduced. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

describe('the WebAssembly SIMD kernels', () => {
  afterEach(() => allowSimd(true));

  it('are committed exactly as the .wat compiles today', async () => {
    expect(Array.from(await compilePdqSimd())).toEqual(Array.from(PDQ_SIMD_WASM));
  });

  it('stay under 4 KB, which browsers compile synchronously even on a main thread', () => {
    expect(PDQ_SIMD_WASM.length).toBeLessThan(4096);
  });

  it('run on this engine (Node has WebAssembly SIMD)', () => {
    expect(simdAvailable()).toBe(true);
  });

  it.each(withPixels.map((entry) => [entry.file, entry] as const))(
    '%s: the pure TypeScript path gives the reference hash, quality and 8 variants too',
    (_file, entry) => {
      const image = readNetpbm(readFileSync(join(VECTORS_DIR, entry.decoded!)));
      allowSimd(false);
      expect(pdqHash(image.pixels, image.width, image.height)).toEqual({ hash: entry.hash, quality: entry.quality });
      const dihedral = pdqHashDihedral(image.pixels, image.width, image.height);
      expect(dihedral).toEqual({ quality: entry.quality, hashes: entry.dihedral });
    },
  );

  // Sizes around the edge cases: widths not a multiple of 4, narrower than 64 (repeated samples), windows of
  // 1 and of several pixels, a last group of 1, 2 or 3 rows; every pixel layout the hasher takes.
  const shapes: [number, number, number][] = [
    [5, 5, 1], [6, 9, 2], [7, 63, 3], [64, 64, 4], [65, 66, 3], [129, 7, 4], [131, 257, 3], [300, 129, 1],
    [257, 130, 2], [513, 383, 4], [1001, 61, 3], [61, 1001, 3], [20000, 9, 3], [9, 20000, 1],
  ];
  it.each(shapes)('blurs a %i×%i image of %i channel(s) to the same 64×64 floats as the TypeScript path', (width, height, channels) => {
    const pixels = noise(width * height * channels, width * 7919 + height * 31 + channels);
    const simd = downsampleTo64Simd(pixels, channels, width, height)!;
    const reference = downsampleTo64(pixels, channels, width, height);
    expect(Buffer.from(simd.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
  });

  it('compute the same DCT coefficients as the TypeScript path, float for float', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = noise(64 * 64, seed);
      // blurred values: fractions, zeros and the full 0–255 range
      const buffer = Float32Array.from(bytes, (v, i) => (i % 7 === 0 ? 0 : v * (seed % 3 === 0 ? 1 : 0.731)));
      const simd = dct64To16Simd(buffer)!;
      expect(Buffer.from(simd.buffer).equals(Buffer.from(dct64To16(buffer).buffer))).toBe(true);
    }
  });

  it('reuses its memory: a small image after a large one still hashes exactly', () => {
    const large = noise(2000 * 1500 * 3, 1);
    const small = noise(40 * 30 * 4, 2);
    const first = downsampleTo64Simd(large, 3, 2000, 1500)!;
    expect(Buffer.from(downsampleTo64Simd(small, 4, 40, 30)!.buffer).equals(Buffer.from(downsampleTo64(small, 4, 40, 30).buffer))).toBe(true);
    expect(Buffer.from(downsampleTo64Simd(large, 3, 2000, 1500)!.buffer).equals(Buffer.from(first.buffer))).toBe(true);
  });
});
