/**
 * Decoding and hashing one picture, on the device. Runs inside the hash worker (or any context with
 * createImageBitmap and OffscreenCanvas).
 *
 * The decode is set up to give the same pixels as the server's (sharp with ignoreIcc): no colour management
 * (colorSpaceConversion 'none'), no EXIF rotation (the orientation tag is neutralised first, see
 * exif-orientation.ts: the PDQ reference hashes the stored pixels), and alpha not premultiplied. The hash is at full resolution, never downscaled first.
 */
import { pdqHash } from '@takedown/pdq';
import { withoutExifRotation } from './exif-orientation.ts';
import { Md5 } from './md5.ts';

export interface ImageHashes {
  pdq: string;
  pdqQuality: number;
  md5: string;
  sha256: string;
  width: number;
  height: number;
}

/** The decoder could not read the file as a picture. */
export class NotAnImageError extends Error {
  override name = 'NotAnImageError';
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** RGBA pixels of a picture at full size, decoded without colour management, rotation or premultiplication. */
export async function decodePixels(file: Blob): Promise<{ pixels: Uint8ClampedArray; width: number; height: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      // Ignored by current browsers for EXIF (see exif-orientation.ts); kept for those that still honour it.
      imageOrientation: 'none' as ImageOrientation,
    });
  } catch {
    throw new NotAnImageError('This file could not be read as a picture.');
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!context) throw new Error('This browser cannot read picture pixels (no 2D canvas).');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
  return { pixels: data, width, height };
}

/** PDQ (with quality), MD5 and SHA-256 of a picture file. */
export async function hashImageFile(file: Blob): Promise<ImageHashes> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
  const md5 = new Md5().update(bytes).hex();
  const { pixels, width, height } = await decodePixels(new Blob([withoutExifRotation(bytes)], { type: file.type }));
  const { hash, quality } = pdqHash(pixels, width, height);
  return { pdq: hash, pdqQuality: quality, md5, sha256, width, height };
}
