import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findJpegOrientation, withoutExifRotation } from '../src/hashing/exif-orientation.ts';
import { VECTORS_DIR } from '@takedown/testing/vectors';

const EXIF = join(VECTORS_DIR, 'images/reg-test-input/exif-rotn');

describe('EXIF orientation', () => {
  it('finds the orientation of the vector photos and sets it to "as stored" in a copy', async () => {
    for (const n of [1, 3, 6, 8]) {
      const bytes = new Uint8Array(readFileSync(join(EXIF, `exif-rotn-${n}.jpg`)));
      expect(findJpegOrientation(bytes)?.value).toBe(n);
      const fixed = withoutExifRotation(bytes);
      expect(findJpegOrientation(fixed)?.value).toBe(1);
      expect(fixed.length).toBe(bytes.length);
      // Only the two bytes of the tag change; libvips now reads orientation 1.
      expect(fixed.reduce((diff, b, i) => diff + (b === bytes[i] ? 0 : 1), 0)).toBeLessThanOrEqual(2);
      expect((await sharp(fixed).metadata()).orientation ?? 1).toBe(1);
      if (n === 1) expect(fixed).toBe(bytes);
    }
  });

  it('leaves files without EXIF, and non-JPEG files, alone', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(withoutExifRotation(png)).toBe(png);
    const bare = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x04, 0x00, 0x00, 0xff, 0xd9]);
    expect(withoutExifRotation(bare)).toBe(bare);
    expect(findJpegOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toBeUndefined();
  });
});
