/**
 * Decodes image bytes to the pixels PDQ hashes, the way Meta's reference does: embedded ICC profiles ignored
 * (a colour-managed decode changes the hash), alpha dropped (the unpremultiplied colour is hashed), EXIF
 * orientation NOT applied, grey images kept grey (the reference hashes the grey value, not 0.299 g + …).
 */
import { FILE_TYPE_BOX_BYTES, heifKindOf } from '@takedown/core';
import sharp, { type Metadata } from 'sharp';

/** Default limit on decoded size: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

const NOT_READABLE = 'This is not an image in a format we can read (JPEG, PNG, WebP, GIF, TIFF, AVIF).';

export interface DecodedImage {
  /** 1 byte per pixel (grey) or 3 (RGB), row-major. */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
  /** The container format sharp recognised, e.g. "jpeg", "png", "webp". */
  format: string;
}

export type ImageDecodeErrorCode = 'not_an_image' | 'image_too_large' | 'image_corrupt';

/** An image that cannot be decoded; `code` is stable, `message` says what is wrong and what to do. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
  readonly code: ImageDecodeErrorCode;
  constructor(code: ImageDecodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface DecodeOptions {
  /** Images with more pixels than this are refused before they are decoded (decompression bombs). */
  maxPixels?: number;
}

function classify(error: unknown, maxPixels: number): ImageDecodeError {
  const text = error instanceof Error ? error.message : String(error);
  if (/unsupported image format|bad seek|Input buffer is empty|Input file is missing/i.test(text)) {
    return new ImageDecodeError('not_an_image', NOT_READABLE);
  }
  if (/pixel limit/i.test(text)) {
    return new ImageDecodeError(
      'image_too_large',
      `The image is larger than the limit of ${maxPixels.toLocaleString('en')} pixels. Use a smaller copy of it.`,
    );
  }
  return new ImageDecodeError('image_corrupt', `The image could not be read completely; it may be damaged or cut short (${firstLine(text)}).`);
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/^(VipsJpeg|VipsPng|VipsForeignLoad\w*|vips\w*):\s*/i, '').trim();
}

/** What a picture's header says, read without decoding its pixels. */
export interface ImageProbe {
  format: string;
  width: number;
  height: number;
  /** The most memory its decoded pixels can take (4 bytes a pixel), for the server's decode budget. */
  decodeBytes: number;
}

/**
 * The formats decoded here, as sharp names them (its libvips has no BMP loader, and decodes HEIF only when
 * it holds AV1, i.e. AVIF). SVG is refused on purpose: a 200-byte drawing can declare any size, and it is
 * not a photograph that PDQ is made for.
 */
const READABLE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

/** Checks the header: a readable format within the pixel limit. Throws ImageDecodeError otherwise. */
function checkHeader(metadata: Metadata, maxPixels: number): ImageProbe {
  const format = metadata.format ?? 'unknown';
  if (format === 'heif' && metadata.compression !== 'av1') throw heicRefused();
  if (!READABLE_FORMATS.has(format)) throw new ImageDecodeError('not_an_image', NOT_READABLE);
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width * height > maxPixels) {
    throw new ImageDecodeError('image_too_large', `The image is larger than the limit of ${maxPixels.toLocaleString('en')} pixels. Use a smaller copy of it.`);
  }
  return { format, width, height, decodeBytes: width * height * 4 };
}

/** A HEIC picture, named in the answer with how to send it instead (whatever its name or declared type). */
function heicRefused(): ImageDecodeError {
  return new ImageDecodeError(
    'not_an_image',
    'HEIC pictures (the iPhone’s usual format) cannot be read here. Send it as a JPEG: on an iPhone, share the photo and pick “Options → Most Compatible”, or set Settings → Camera → Formats → Most Compatible.',
  );
}

/**
 * Refuses what cannot be decoded before libvips reads it: an empty file, and HEIC told by its bytes (a HEIC
 * renamed `.jpg`, or one too damaged for libvips to name, would otherwise get the generic answer).
 */
function refuseBeforeDecoding(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ImageDecodeError('not_an_image', 'The file is empty.');
  if (heifKindOf(bytes.subarray(0, FILE_TYPE_BOX_BYTES)) === 'heic') throw heicRefused();
}

/** Reads a picture's header only (cheap): its format, size and what decoding it would cost. */
export async function probeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<ImageProbe> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  refuseBeforeDecoding(bytes);
  try {
    return checkHeader(await sharp(bytes).metadata(), maxPixels);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw classify(error, maxPixels);
  }
}

/** Decodes an image for hashing. Throws ImageDecodeError for anything that is not a whole, readable image. */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  refuseBeforeDecoding(bytes);
  try {
    // failOn 'warning' turns libvips' warnings about truncated or damaged data into errors, so a cut-short
    // upload is refused instead of being hashed with grey where the data ends.
    const image = sharp(bytes, { ignoreIcc: true, limitInputPixels: maxPixels, failOn: 'warning', sequentialRead: true });
    const metadata = await image.metadata();
    checkHeader(metadata, maxPixels);
    const grey = metadata.channels !== undefined && metadata.channels <= 2 && metadata.space !== 'cmyk';
    const pipeline = grey ? image.extractChannel(0) : image.removeAlpha().toColourspace('srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    if (channels !== 1 && channels !== 3) {
      throw new ImageDecodeError('image_corrupt', `The image decoded to ${channels} channels, which cannot be hashed.`);
    }
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels,
      format: metadata.format ?? 'unknown',
    };
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw classify(error, maxPixels);
  }
}
