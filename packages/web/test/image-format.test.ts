import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pixelsToHash } from '../src/hashing/decoded-pixels.ts';
import { jpegComponentCount, loadsAsGrey, sniffImageFormat, webpIsAnimated, type ImageFormat } from '../src/hashing/image-format.ts';
import { VECTORS_DIR } from '@takedown/testing/vectors';

const MODES = join(VECTORS_DIR, 'images/misc-images/modes');
const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/pdq-decoding');
const read = (path: string) => new Uint8Array(readFileSync(path));

describe('choosing the decoder from the first bytes', () => {
  it('recognises each format by its signature, whatever the file is called', () => {
    const cases: [string, ImageFormat][] = [
      [join(MODES, 'RGB.jpg'), 'jpeg'],
      [join(MODES, 'RGBA.png'), 'png'],
      [join(MODES, 'PA.webp'), 'webp'],
      [join(FIXTURES, 'transparent.gif'), 'gif'],
    ];
    for (const [path, format] of cases) expect(sniffImageFormat(read(path)), path).toBe(format);
    expect(sniffImageFormat(new Uint8Array([0x42, 0x4d, 0, 0]))).toBe('bmp');
    expect(sniffImageFormat(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageFormat(new Uint8Array(0))).toBeUndefined();
  });

  it("reads a JPEG's component count: 4 for CMYK, 3 for colour, 1 for grey", async () => {
    expect(jpegComponentCount(read(join(MODES, 'CMYK.jpg')))).toBe(4);
    expect(jpegComponentCount(read(join(FIXTURES, 'cmyk.jpg')))).toBe(4);
    expect(jpegComponentCount(read(join(MODES, 'RGB.jpg')))).toBe(3);
    const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).toColourspace('b-w').jpeg().toBuffer();
    expect(jpegComponentCount(new Uint8Array(grey))).toBe(1);
    // A JPEG cut short before its frame header has no count (the decoder then reports the damage).
    expect(jpegComponentCount(read(join(MODES, 'RGB.jpg')).subarray(0, 20))).toBeUndefined();
  });

  it('tells an animated WebP from a still one (the still-picture decoder refuses animations)', () => {
    expect(webpIsAnimated(read(join(FIXTURES, 'animated.webp')))).toBe(true);
    for (const file of ['rgba-lossless.webp', 'rgba-lossy.webp']) expect(webpIsAnimated(read(join(FIXTURES, file))), file).toBe(false);
    expect(webpIsAnimated(read(join(MODES, 'PA.webp')))).toBe(false);
  });

  it('knows which pictures the server loads as grey, as libvips does', async () => {
    expect(loadsAsGrey(read(join(MODES, 'L.png')), 'png')).toBe(true);
    expect(loadsAsGrey(read(join(MODES, 'LA.png')), 'png')).toBe(true);
    expect(loadsAsGrey(read(join(MODES, '1.png')), 'png')).toBe(true);
    expect(loadsAsGrey(read(join(FIXTURES, 'grey-alpha.png')), 'png')).toBe(true);
    // A palette of greys is still loaded as colour.
    expect(loadsAsGrey(read(join(MODES, 'P.png')), 'png')).toBe(false);
    expect(loadsAsGrey(read(join(MODES, 'RGBA.png')), 'png')).toBe(false);
    expect(loadsAsGrey(read(join(MODES, 'RGB.jpg')), 'jpeg')).toBe(false);
    expect(loadsAsGrey(read(join(FIXTURES, 'transparent.gif')), 'gif')).toBe(false);
    for (const file of ['L.png', 'LA.png', 'P.png', 'RGBA.png']) {
      const channels = (await sharp(join(MODES, file)).metadata()).channels ?? 0;
      expect(loadsAsGrey(read(join(MODES, file)), 'png'), file).toBe(channels <= 2);
    }
  });

  it('hashes a grey picture by its one grey value per pixel', () => {
    const decoded = { pixels: new Uint8ClampedArray([10, 10, 10, 0, 200, 200, 200, 255]), width: 2, height: 1 };
    expect(Array.from(pixelsToHash(decoded, true))).toEqual([10, 200]);
    expect(pixelsToHash(decoded, false)).toBe(decoded.pixels);
  });
});
