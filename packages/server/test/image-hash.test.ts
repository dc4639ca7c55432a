import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance } from '@takedown/pdq';
import { ImageDecodeError } from '../src/media/decode-image.ts';
import { hashImageBytes, hashImageFile } from '../src/media/hash-image.ts';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';

const vectors = loadVectors();
const decoderDependent = (note?: string) => note?.includes('decoder-dependent') ?? false;

describe('hashing the original vector files decoded by sharp', () => {
  it.each(vectors.filter((v) => !decoderDependent(v.note)).map((v) => [v.file, v] as const))(
    '%s: same pixels as the reference, so the same hash',
    async (_file, entry) => {
      const hashes = await hashImageFile(join(VECTORS_DIR, entry.file), { dihedral: true });
      expect([hashes.width, hashes.height]).toEqual([entry.width, entry.height]);
      expect(hashes.pdq).toBe(entry.hash);
      expect(hashes.quality).toBe(entry.quality);
      expect(hashes.dihedral).toEqual(entry.dihedral);
    },
  );

  it.each(vectors.filter((v) => decoderDependent(v.note)).map((v) => [v.file, v] as const))(
    '%s: decoder-dependent, the distance is reported and stays a match',
    async (_file, entry) => {
      const hashes = await hashImageFile(join(VECTORS_DIR, entry.file));
      const distance = hammingDistance(hashes.pdq, entry.hash);
      console.info(`${entry.file}: sharp's decode differs from the reference's; PDQ distance ${distance} bits`);
      expect(distance).toBeLessThanOrEqual(31);
    },
  );

  it('puts MD5 and SHA-256 of the exact bytes beside the PDQ hash', async () => {
    const path = join(VECTORS_DIR, 'images/misc-images/wee.jpg');
    const hashes = await hashImageFile(path);
    expect(hashes.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(hashes.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(hashes.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });
});

describe('images that cannot be hashed', () => {
  const bridge = readFileSync(join(VECTORS_DIR, 'images/reg-test-input/dih/bridge-1-original.jpg'));

  async function decodeError(bytes: Uint8Array, maxPixels?: number): Promise<ImageDecodeError> {
    const error = await hashImageBytes(bytes, { maxPixels }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    return error as ImageDecodeError;
  }

  it('says an empty or non-image file is not an image', async () => {
    expect((await decodeError(new Uint8Array(0))).code).toBe('not_an_image');
    expect((await decodeError(new TextEncoder().encode('hello, this is text'))).code).toBe('not_an_image');
  });

  it('refuses a truncated JPEG instead of hashing grey where the data stops', async () => {
    const error = await decodeError(bridge.subarray(0, Math.floor(bridge.length / 2)));
    expect(error.code).toBe('image_corrupt');
    expect(error.message).toMatch(/cut short/);
  });

  it('refuses an image above the pixel limit before decoding it', async () => {
    const error = await decodeError(bridge, 1_000_000);
    expect(error.code).toBe('image_too_large');
    expect(error.message).toMatch(/1,000,000 pixels/);
  });

  it('refuses a decompression bomb: a tiny PNG that claims 50 000 × 50 000 pixels', async () => {
    // A valid PNG header for a huge image with a few bytes of compressed data.
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc = (bytes: Buffer) => {
      let c = 0xffffffff;
      for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(8 + data.length + 4);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(50_000, 0);
    ihdr.writeUInt32BE(50_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(50_001 * 10))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect((await decodeError(png)).code).toBe('image_too_large');
  });

  it('hashes grey-with-alpha and RGBA images by their colour, ignoring alpha', async () => {
    const rgb = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .composite([{ input: { create: { width: 10, height: 10, channels: 3, background: '#ffffff' } }, left: 5, top: 5 }])
      .png().toBuffer();
    const rgba = await sharp(rgb).ensureAlpha(0.3).png().toBuffer();
    expect((await hashImageBytes(rgba)).pdq).toBe((await hashImageBytes(rgb)).pdq);
  });
});
