import { fileTypeBox, heifFileStart, IPHONE_HEIC_BRANDS } from '@takedown/testing/heif-files';
import { describe, expect, it } from 'vitest';
import { fileTypeBrands, heifKindOf } from '../src/heif-brands.ts';

const start = (major: string, ...compatible: string[]) => heifFileStart({ major, compatible });

describe('HEIC told from a file’s first bytes', () => {
  it('reads the major and compatible brands of the file-type box', () => {
    expect(fileTypeBrands(heifFileStart())).toEqual([IPHONE_HEIC_BRANDS.major, ...IPHONE_HEIC_BRANDS.compatible]);
    // A box that claims more than was read: the brands read so far.
    expect(fileTypeBrands(fileTypeBox('heic', ['mif1', 'heic']).subarray(0, 20))).toEqual(['heic', 'mif1']);
  });

  it('calls HEVC-coded HEIF and plain HEIF “heic”, whatever the file is named', () => {
    expect(heifKindOf(heifFileStart())).toBe('heic');
    for (const major of ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']) expect(heifKindOf(start(major, 'mif1')), major).toBe('heic');
    // Samsung and others: plain HEIF as the major brand, HEVC among the compatible ones; or plain HEIF alone.
    expect(heifKindOf(start('mif1', 'heic'))).toBe('heic');
    expect(heifKindOf(start('msf1', 'hevc'))).toBe('heic');
    expect(heifKindOf(start('mif1'))).toBe('heic');
  });

  it('does not call AVIF HEIC, even when it lists the plain HEIF brands', () => {
    expect(heifKindOf(start('avif', 'mif1', 'miaf', 'MA1B'))).toBe('avif');
    expect(heifKindOf(start('avis', 'msf1', 'iso8', 'mif1', 'miaf'))).toBe('avif');
    expect(heifKindOf(start('mif1', 'avif', 'miaf'))).toBe('avif');
  });

  it('leaves other files alone: an MP4 video, a JPEG, a few bytes, nothing', () => {
    expect(heifKindOf(start('isom', 'iso2', 'avc1', 'mp41'))).toBeUndefined();
    expect(heifKindOf(start('qt  '))).toBeUndefined();
    expect(heifKindOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1]))).toBeUndefined();
    expect(heifKindOf(heifFileStart().subarray(0, 10))).toBeUndefined();
    expect(heifKindOf(new Uint8Array(0))).toBeUndefined();
  });
});
