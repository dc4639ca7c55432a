/**
 * PDQ perceptual hashing of images, bit-exact with Meta's reference implementation: the same hashes as
 * StopNCII, Meta's Hasher-Matcher-Actioner and ThreatExchange. Runs in the browser and in Node.
 */

import { coefficientsToHex, DIHEDRAL_NAMES, dihedralCoefficients, type DihedralName } from './bits.ts';
import { blurAndDecimate, dctCoefficients } from './downsample-simd.ts';
import { lumaImage, type PixelBytes } from './downsample.ts';
import { pdqQuality } from './quality.ts';

export interface PdqResult {
  /** 64 lowercase hex characters, big-endian. */
  hash: string;
  /** 0–100; below 50 the image is too uniform to match on reliably. */
  quality: number;
}

export interface PdqDihedralResult {
  quality: number;
  hashes: Record<DihedralName, string>;
}

/** Pixels that cannot be hashed as given (wrong length or dimensions); the message says what is wrong. */
export class PdqInputError extends Error {
  override name = 'PdqInputError';
}

/** Images smaller than this on either side hash to all zeros with quality 0, as in the reference. */
export const PDQ_MIN_DIMENSION = 5;
const ZERO_HASH = '0'.repeat(64);

function channelsOf(pixels: PixelBytes, width: number, height: number): number {
  if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
    throw new PdqInputError('Pixels must be a Uint8Array or Uint8ClampedArray.');
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PdqInputError(`Width and height must be whole numbers of at least 1; got ${width}×${height}.`);
  }
  const pixelCount = width * height;
  const channels = pixels.length / pixelCount;
  if (![1, 2, 3, 4].includes(channels)) {
    throw new PdqInputError(
      `Expected ${pixelCount} pixels of 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) bytes for a ` +
        `${width}×${height} image; got ${pixels.length} bytes.`,
    );
  }
  return channels;
}

/**
 * Hashes an image at full resolution (no downscale before hashing). Alpha, if present, is ignored.
 * @example const { hash, quality } = pdqHash(rgbaBytes, 1600, 1004);
 */
export function pdqHash(pixels: PixelBytes, width: number, height: number): PdqResult {
  const channels = channelsOf(pixels, width, height);
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) return { hash: ZERO_HASH, quality: 0 };
  // A 64×64 image is hashed without blurring, as the reference does for already-downsampled video frames.
  const buffer = width === 64 && height === 64
    ? lumaImage(pixels, channels, width, height)
    : blurAndDecimate(pixels, channels, width, height);
  return { hash: coefficientsToHex(dctCoefficients(buffer)), quality: pdqQuality(buffer) };
}

/**
 * Hashes an image and its 7 rotations and mirror images from one DCT, as the reference's dihedral hasher does
 * (which always blurs, even a 64×64 input).
 */
export function pdqHashDihedral(pixels: PixelBytes, width: number, height: number): PdqDihedralResult {
  const channels = channelsOf(pixels, width, height);
  const hashes = {} as Record<DihedralName, string>;
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) {
    for (const name of DIHEDRAL_NAMES) hashes[name] = ZERO_HASH;
    return { quality: 0, hashes };
  }
  const buffer = blurAndDecimate(pixels, channels, width, height);
  const coefficients = dctCoefficients(buffer);
  for (const name of DIHEDRAL_NAMES) hashes[name] = coefficientsToHex(dihedralCoefficients(coefficients, name));
  return { quality: pdqQuality(buffer), hashes };
}
