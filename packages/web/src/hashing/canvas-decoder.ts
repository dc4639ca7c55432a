/**
 * Decoding through the browser's own decoder and a 2D canvas, kept for opaque formats only (YCbCr and grey
 * JPEG, BMP), where it gives the server's pixels exactly: measured equal to sharp's on every JPEG vector. A canvas
 * premultiplies alpha, so it is never used for formats that can be transparent (see exact-decoders.ts).
 *
 * No colour management (colorSpaceConversion 'none'), no EXIF rotation (the orientation tag is neutralised
 * first, see exif-orientation.ts: the PDQ reference hashes the stored pixels), full resolution.
 */
import type { DecodedPixels } from './decoded-pixels.ts';
import { withoutExifRotation } from './exif-orientation.ts';

export class CanvasDecodeError extends Error {
  override name = 'CanvasDecodeError';
}

export async function decodeWithCanvas(bytes: Uint8Array<ArrayBuffer>, type: string): Promise<DecodedPixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([withoutExifRotation(bytes)], { type }), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      // Ignored by current browsers for EXIF (see exif-orientation.ts); kept for those that still honour it.
      imageOrientation: 'none' as ImageOrientation,
    });
  } catch {
    throw new CanvasDecodeError('The browser could not decode this picture.');
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
