import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIHEDRAL_NAMES, hammingDistance, pdqHash, pdqHashDihedral } from '../src/index.ts';
import { readNetpbm } from './netpbm.ts';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';

const withPixels = loadVectors().filter((entry) => entry.decoded !== null);

describe('PDQ on the reference decoded pixels', () => {
  it('has vectors to check', () => expect(withPixels.length).toBeGreaterThanOrEqual(10));

  it.each(withPixels.map((entry) => [entry.file, entry] as const))('%s: hash, quality and 8 variants are exact', (_file, entry) => {
    const image = readNetpbm(readFileSync(join(VECTORS_DIR, entry.decoded!)));
    expect([image.width, image.height]).toEqual([entry.width, entry.height]);

    const single = pdqHash(image.pixels, image.width, image.height);
    expect(single).toEqual({ hash: entry.hash, quality: entry.quality });

    const dihedral = pdqHashDihedral(image.pixels, image.width, image.height);
    expect(dihedral.quality).toBe(entry.quality);
    expect(Object.keys(dihedral.hashes)).toEqual([...DIHEDRAL_NAMES]);
    expect(dihedral.hashes).toEqual(entry.dihedral);
  });

  it('gives the same hash for RGBA as for RGB (alpha is ignored)', () => {
    const entry = withPixels.find((e) => e.file.endsWith('wee.jpg'))!;
    const rgb = readNetpbm(readFileSync(join(VECTORS_DIR, entry.decoded!)));
    const rgba = new Uint8ClampedArray(rgb.width * rgb.height * 4);
    for (let p = 0; p < rgb.width * rgb.height; p++) {
      rgba.set(rgb.pixels.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = p % 256;
    }
    expect(pdqHash(rgba, rgb.width, rgb.height).hash).toBe(entry.hash);
  });

  it('reproduces the distances the Java reference asserts (120 and 138)', () => {
    const byName = (suffix: string) => withPixels.find((e) => e.file.endsWith(suffix))!.hash;
    expect(hammingDistance(byName('bridge-1-original.jpg'), byName('bridge-2-rotate-90.jpg'))).toBe(120);
    expect(hammingDistance(byName('bridge-1-original.jpg'), byName('pen-and-coaster.png'))).toBe(138);
  });
});
