import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { byteDigests, hashImageBytes, type ImageHashes } from '../../media/hash-image.ts';
import { ImageDecodeError } from '../../media/decode-image.ts';
import type { PlatformConfig } from '../../platform/config.ts';
import { HttpError } from '../errors.ts';

/** What a multipart upload brought: its text fields and the hashes of its file (the bytes are not kept). */
export interface HashedUpload {
  fields: Record<string, string>;
  mediaType: string;
  hashes: { pdq?: string; pdqQuality?: number; pdqVariants?: string[]; md5: string; sha256: string };
}

const DECODE_STATUS: Record<ImageDecodeError['code'], number> = { not_an_image: 415, image_too_large: 413, image_corrupt: 422 };

/** Hashes image bytes for the content index or a check; undecodable images become 415/413/422 with a message. */
export async function hashUploadBytes(bytes: Uint8Array, maxPixels: number): Promise<ImageHashes> {
  try {
    return await hashImageBytes(bytes, { maxPixels, dihedral: true });
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new HttpError(DECODE_STATUS[error.code], error.code, error.message, { field: 'file' });
    throw error;
  }
}

/**
 * Reads a multipart body: text fields, then one file (field `file`). Images are hashed (PDQ with its
 * dihedral variants, MD5, SHA-256); videos get MD5 and SHA-256 of their bytes (exchange lists carry video
 * MD5). The bytes are dropped as soon as they are hashed.
 */
export async function readHashedUpload(request: FastifyRequest, config: PlatformConfig): Promise<HashedUpload> {
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; mediaType: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (file || part.fieldname !== 'file') {
          await (part as MultipartFile).toBuffer().catch(() => undefined);
          throw new HttpError(400, 'invalid_request', 'Send exactly one file, in the field named "file".', { field: part.fieldname });
        }
        file = { bytes: await part.toBuffer(), mediaType: part.mimetype };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new HttpError(413, 'file_too_large', `The file is larger than ${config.maxImageBytes.toLocaleString('en')} bytes. Send a smaller copy or its hashes.`, { field: 'file' });
    }
    if (code?.startsWith('FST_') || (error as Error).message?.includes('Multipart')) {
      throw new HttpError(400, 'invalid_multipart', 'The multipart body could not be read; send fields and one file named "file".');
    }
    throw error;
  }
  if (!file) throw new HttpError(400, 'invalid_request', 'Send the file in a multipart field named "file".', { field: 'file' });
  if (file.bytes.length === 0) throw new HttpError(415, 'not_an_image', 'The file is empty.', { field: 'file' });
  if (file.mediaType.startsWith('video/')) {
    // Video: exact digests only here (StopNCII shares MD5 for video). Frame-level vPDQ matching of uploads
    // is not wired into checks yet.
    return { fields, mediaType: file.mediaType, hashes: byteDigests(file.bytes) };
  }
  const hashed = await hashUploadBytes(file.bytes, config.maxImagePixels);
  const variants = hashed.dihedral ? Object.values(hashed.dihedral).filter((h) => h !== hashed.pdq) : [];
  return {
    fields,
    mediaType: file.mediaType,
    hashes: { pdq: hashed.pdq, pdqQuality: hashed.quality, pdqVariants: [...new Set(variants)], md5: hashed.md5, sha256: hashed.sha256 },
  };
}
