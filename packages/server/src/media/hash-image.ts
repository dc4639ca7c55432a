/**
 * The signals takedown computes for an image file: PDQ (perceptual), and MD5 + SHA-256 of the exact bytes
 * (the exchange formats carry MD5; SHA-256 is the one to trust for exact identity).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type DihedralName, pdqHash, pdqHashDihedral } from '@takedown/pdq';
import { decodeImage, type DecodeOptions } from './decode-image.ts';

export interface ImageHashes {
  pdq: string;
  quality: number;
  md5: string;
  sha256: string;
  width: number;
  height: number;
  /** The 8 dihedral variants, when asked for. */
  dihedral?: Record<DihedralName, string>;
}

export interface HashImageOptions extends DecodeOptions {
  /** Also compute the 7 rotations and mirror images (from the same DCT). */
  dihedral?: boolean;
}

/** MD5 and SHA-256 of bytes, lowercase hex. */
export function byteDigests(bytes: Uint8Array): { md5: string; sha256: string } {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Hashes image bytes. Throws ImageDecodeError (with a stable code) when they are not a readable image. */
export async function hashImageBytes(bytes: Uint8Array, options: HashImageOptions = {}): Promise<ImageHashes> {
  const image = await decodeImage(bytes, options);
  const digests = byteDigests(bytes);
  if (options.dihedral) {
    const { quality, hashes } = pdqHashDihedral(image.pixels, image.width, image.height);
    return { pdq: hashes.original, quality, ...digests, width: image.width, height: image.height, dihedral: hashes };
  }
  const { hash, quality } = pdqHash(image.pixels, image.width, image.height);
  return { pdq: hash, quality, ...digests, width: image.width, height: image.height };
}

/** Reads and hashes an image file. File-system errors (missing, unreadable) are thrown as they are. */
export async function hashImageFile(path: string, options: HashImageOptions = {}): Promise<ImageHashes> {
  return hashImageBytes(await readFile(path), options);
}
