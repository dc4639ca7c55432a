/**
 * Decoding and hashing one picture, on the device. Runs inside the hash worker.
 *
 * The pixels must be the server's (sharp with ignoreIcc, alpha dropped: the unpremultiplied colour is hashed),
 * or a picture hashed here would not find its copy online. Each format goes to the decoder that gives them
 * exactly (decodePixels below; measured in docs/decisions/005-browser-image-decoding.md). The hash is at full
 * resolution, never downscaled first.
 */
import { pdqHash } from '@takedown/pdq';
import { decodeWithCanvas } from './canvas-decoder.ts';
import { type DecodedPixels, pixelsToHash } from './decoded-pixels.ts';
import { DecoderUnavailableError, decodeGif, decodePng, decodeWebp } from './exact-decoders.ts';
import { jpegComponentCount, loadsAsGrey, sniffImageFormat, webpIsAnimated } from './image-format.ts';
import { canDecodeWithLibvips, decodeWithLibvips } from './libvips-decoder.ts';
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

/**
 * RGBA pixels of a picture at full size, colour not premultiplied, without colour management or rotation.
 * Throws NotAnImageError when the bytes are not a picture in a format we read, or are damaged.
 */
export async function decodePixels(bytes: Uint8Array<ArrayBuffer>, type = ''): Promise<DecodedPixels> {
  const format = sniffImageFormat(bytes);
  try {
    switch (format) {
      case 'png':
        return await decodePng(bytes);
      case 'webp':
        if (!webpIsAnimated(bytes)) return await decodeWebp(bytes);
        // Not isolated: the browser's decoder gives the first frame, exact where it is opaque.
        return canDecodeWithLibvips() ? await decodeWithLibvips(bytes) : await decodeWithCanvas(bytes, type);
      case 'gif':
        return await decodeGif(bytes);
      case 'jpeg':
        // Four components: CMYK or YCCK, which only libvips converts as the server does.
        if (jpegComponentCount(bytes) === 4 && canDecodeWithLibvips()) return await decodeWithLibvips(bytes);
        return await decodeWithCanvas(bytes, type);
      case 'bmp':
        return await decodeWithCanvas(bytes, type);
      default:
        throw new NotAnImageError('This file is not a JPEG, PNG, WebP, GIF or BMP picture.');
    }
  } catch (error) {
    if (error instanceof NotAnImageError) throw error;
    if (error instanceof DecoderUnavailableError) throw error;
    // The decoders throw (or, from WebAssembly, abort) on damaged data; the fix for the person is the same.
    throw new NotAnImageError('This file could not be read as a picture. It may be damaged or cut short.');
  }
}

/** PDQ (with quality), MD5 and SHA-256 of a picture file. */
export async function hashImageFile(file: Blob): Promise<ImageHashes> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
  const md5 = new Md5().update(bytes).hex();
  const decoded = await decodePixels(bytes, file.type);
  const format = sniffImageFormat(bytes);
  const grey = format !== undefined && loadsAsGrey(bytes, format);
  const { width, height } = decoded;
  const { hash, quality } = pdqHash(pixelsToHash(decoded, grey), width, height);
  return { pdq: hash, pdqQuality: quality, md5, sha256, width, height };
}
