/**
 * The expected hashes of test/fixtures/pdq-decoding (transparent PNG, WebP and GIF, CMYK JPEG) come from this
 * server's hasher, because Meta's reference has no outputs for them. That is only sound when (1) the hasher equals
 * Meta's reference on every vector it has outputs for, and (2) on the new files it decodes the colour written
 * under the alpha, unpremultiplied. Both are checked here, in that order, before the expected values are.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/media/decode-image.ts';
import { hashImageFile } from '../src/media/hash-image.ts';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';
import {
  FIXTURE_HEIGHT,
  FIXTURE_WIDTH,
  fixtureAlpha,
  fixtureGifIndices,
  fixtureGifPalette,
  fixtureRgb,
} from '../../../test/fixtures/pdq-decoding/fixture-pixels.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/pdq-decoding');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  file: string;
  hash: string;
  quality: number;
  width: number;
  height: number;
}[];
const pixelCount = FIXTURE_WIDTH * FIXTURE_HEIGHT;

/** The file's pixels as sharp decodes them, alpha kept: what the hasher sees before dropping it. */
async function sharpRaw(file: string) {
  const { data, info } = await sharp(join(FIXTURES, file), { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels, width: info.width, height: info.height };
}

describe('expected hashes for the decoding fixtures, taken from the server', () => {
  it("(1) the server's hasher equals Meta's reference on every vector it gives a decoder-independent output for", async () => {
    const vectors = loadVectors().filter((v) => !v.note?.includes('decoder-dependent'));
    expect(vectors.length).toBeGreaterThanOrEqual(34);
    for (const vector of vectors) {
      const hashes = await hashImageFile(join(VECTORS_DIR, vector.file));
      expect({ file: vector.file, hash: hashes.pdq, quality: hashes.quality }).toEqual({ file: vector.file, hash: vector.hash, quality: vector.quality });
    }
  });

  it('(2) sharp decodes the colour and alpha written into the lossless files (of an animated WebP, its first frame), colour kept under zero alpha', async () => {
    const rgb = fixtureRgb();
    // animated.webp: its first frame, the one sharp reads by default.
    for (const file of ['rgba-varied.png', 'rgba-lossless.webp', 'animated.webp']) {
      const image = await sharpRaw(file);
      expect([image.width, image.height, image.channels]).toEqual([FIXTURE_WIDTH, FIXTURE_HEIGHT, 4]);
      for (let p = 0; p < pixelCount; p++) {
        const got = Array.from(image.data.subarray(p * 4, p * 4 + 4));
        const want = [rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], fixtureAlpha(p % FIXTURE_WIDTH, Math.floor(p / FIXTURE_WIDTH), 'varied')];
        if (got.some((v, i) => v !== want[i])) expect({ file, pixel: p, got }).toEqual({ file, pixel: p, got: want });
      }
      // And the hasher's own decode (alpha dropped) is exactly that colour.
      expect(Buffer.from((await decodeImage(readFileSync(join(FIXTURES, file)))).pixels).equals(Buffer.from(rgb)), file).toBe(true);
    }
  });

  it('(2) sharp decodes the grey and alpha written into the grey-with-alpha PNG; the hasher hashes the grey', async () => {
    const rgb = fixtureRgb();
    const grey = Uint8Array.from({ length: pixelCount }, (_, p) => rgb[p * 3 + 1]);
    const decoded = await decodeImage(readFileSync(join(FIXTURES, 'grey-alpha.png')));
    expect(decoded.channels).toBe(1);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(grey))).toBe(true);
    // sharp's raw output turns grey into RGB; the alpha is the last band.
    const image = await sharpRaw('grey-alpha.png');
    expect(Array.from({ length: pixelCount }, (_, p) => image.data[p * image.channels + image.channels - 1])).toEqual(Array.from({ length: pixelCount }, (_, p) => fixtureAlpha(p % FIXTURE_WIDTH, Math.floor(p / FIXTURE_WIDTH), 'varied')));
  });

  it('(2) sharp decodes the lossy WebP with its alpha exact and colour (not black) under the transparent band', async () => {
    const rgb = fixtureRgb();
    const image = await sharpRaw('rgba-lossy.webp');
    let transparentError = 0;
    let transparentCount = 0;
    for (let p = 0; p < pixelCount; p++) {
      const x = p % FIXTURE_WIDTH;
      expect(image.data[p * 4 + 3]).toBe(fixtureAlpha(x, Math.floor(p / FIXTURE_WIDTH), 'half'));
      if (x < 24) {
        for (let c = 0; c < 3; c++) transparentError += Math.abs(image.data[p * 4 + c] - rgb[p * 3 + c]);
        transparentCount += 3;
      }
    }
    // Lossy: the colour is near what was written, far from the black a premultiplying decoder would give.
    expect(transparentError / transparentCount).toBeLessThan(12);
  });

  it("(2) sharp decodes the GIF's palette colours, and leaves its transparent pixels black", async () => {
    const palette = fixtureGifPalette();
    const indices = fixtureGifIndices();
    const image = await sharpRaw('transparent.gif');
    expect(image.channels).toBe(4);
    for (let p = 0; p < pixelCount; p++) {
      const colour = palette[indices[p]];
      // GIF has no colour under a transparent pixel (the index means "none"): libvips gives 0, 0, 0, 0.
      const want = indices[p] === 0 ? [0, 0, 0, 0] : [colour >> 16, (colour >> 8) & 0xff, colour & 0xff, 255];
      const got = Array.from(image.data.subarray(p * 4, p * 4 + 4));
      if (got.some((v, i) => v !== want[i])) expect({ pixel: p, got }).toEqual({ pixel: p, got: want });
    }
  });

  it('(3) the expected values are what the server computes for each fixture', async () => {
    expect(expected.map((e) => e.file)).toEqual(['rgba-varied.png', 'grey-alpha.png', 'rgba-lossless.webp', 'rgba-lossy.webp', 'animated.webp', 'transparent.gif', 'cmyk.jpg']);
    for (const entry of expected) {
      const hashes = await hashImageFile(join(FIXTURES, entry.file));
      expect({ file: entry.file, hash: hashes.pdq, quality: hashes.quality, width: hashes.width, height: hashes.height }).toEqual(entry);
    }
  });
});
