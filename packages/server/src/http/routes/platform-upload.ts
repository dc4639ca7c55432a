import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { hashImageBytes, type ImageHashes } from '../../media/hash-image.ts';
import { ImageDecodeError, probeImage } from '../../media/decode-image.ts';
import type { DecodeBudget } from '../../media/decode-budget.ts';
import type { PdqValue, SignalValues } from '@takedown/core';
import { mediaKindFromHead } from '../../media/video/media-kind.ts';
import { VideoError } from '../../media/video/video-error.ts';
import type { VideoService } from '../../media/video/video-service.ts';
import { maxUploadBytes, type PlatformConfig } from '../../config/platform-config.ts';
import { HttpError } from '../errors.ts';

/** What a multipart upload brought: its text fields and the hashes of its file (the bytes are not kept). */
export interface HashedUpload {
  fields: Record<string, string>;
  mediaType: string;
  /** What the bytes turned out to be (decided by content; the part's type is only a hint). */
  kind: 'image' | 'video';
  /** The signals of its file, by type name. */
  hashes: SignalValues;
}

const DECODE_STATUS: Record<ImageDecodeError['code'], number> = { not_an_image: 415, image_too_large: 413, image_corrupt: 422 };

/**
 * Hashes image bytes for the content index or a check, within the server's decode budget (its header is read
 * first, so the budget knows what the decode will hold); undecodable images become 415/413/422 with a message.
 */
export async function hashUploadBytes(bytes: Uint8Array, maxPixels: number, budget: DecodeBudget, field = 'file'): Promise<ImageHashes> {
  try {
    const probe = await probeImage(bytes, { maxPixels });
    return await budget.run(probe.decodeBytes + bytes.length, () => hashImageBytes(bytes, { maxPixels, dihedral: true }));
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new HttpError(DECODE_STATUS[error.code], error.code, error.message, { field });
    throw error;
  }
}

/**
 * Hashes video bytes with vPDQ, MD5 and SHA-256. A VideoError becomes its HTTP answer (503 when ffmpeg is
 * missing, with how to install it); undefined when the bytes are not a video after all and `sure` is false
 * (the caller then treats them as an image, which says "not an image").
 */
async function hashVideoUpload(video: VideoService, bytes: Uint8Array, name: string, sure: boolean, field: string) {
  try {
    return await video.hashUpload(bytes, name);
  } catch (error) {
    if (!(error instanceof VideoError)) throw error;
    if (error.code === 'not_a_video' && !sure) return undefined;
    throw new HttpError(error.httpStatus, error.code, error.message, { field });
  }
}

/**
 * What went wrong while a multipart body was read, as an answer. Everything that can fail there is the body's
 * own fault (the parser's messages vary in wording and case: "Unexpected end of form", "Malformed part
 * header", "Part terminated early due to unexpected end of multipart data"), so all of it is a 400 — never a
 * 500 — except a file over the size limit, which is a 413 that says the limit.
 */
export function multipartError(error: unknown, config: PlatformConfig): HttpError {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpError(413, 'file_too_large', `The file is larger than ${maxUploadBytes(config).toLocaleString('en')} bytes. Send a smaller copy or its hashes.`, { field: 'file' });
  }
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new HttpError(400, 'invalid_multipart', 'The multipart body has too many parts; send the fields and one file named "file".');
  }
  return new HttpError(400, 'invalid_multipart', 'The multipart body was cut short or is malformed; send the fields and one file named "file" again.');
}

/**
 * Reads a multipart body: text fields, then one file (field `file`). What the file is comes from its bytes:
 * image signatures → sharp + PDQ (with its dihedral variants), MD5, SHA-256; video containers (or an
 * unknown signature sent as video/…) → ffmpeg + vPDQ, MD5, SHA-256. The bytes are dropped once hashed.
 */
export async function readHashedUpload(
  request: FastifyRequest,
  config: PlatformConfig,
  media: { video: VideoService; decodeBudget: DecodeBudget },
): Promise<HashedUpload> {
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; mediaType: string; name: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (file || part.fieldname !== 'file') {
          await (part as MultipartFile).toBuffer().catch(() => undefined);
          throw new HttpError(400, 'invalid_request', 'Send exactly one file, in the field named "file".', { field: part.fieldname });
        }
        file = { bytes: await part.toBuffer(), mediaType: part.mimetype, name: part.filename || 'the upload' };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    throw multipartError(error, config);
  }
  if (!file) throw new HttpError(400, 'invalid_request', 'Send the file in a multipart field named "file".', { field: 'file' });
  return { fields, mediaType: file.mediaType, ...(await hashMediaBytes(file, config, media)) };
}

/**
 * Hashes a file's bytes as an image or a video, and drops them. What the file is comes from its bytes, unless
 * the caller says (`kind`, as HMA's content type does); only a video signature, an unknown one the sender
 * calls video/…, or a caller's `video` starts ffprobe: damaged images never do. `field` names the file in errors.
 */
export async function hashMediaBytes(
  file: { bytes: Uint8Array; mediaType: string; name: string },
  config: PlatformConfig,
  media: { video: VideoService; decodeBudget: DecodeBudget },
  options: { kind?: 'image' | 'video'; field?: string } = {},
): Promise<{ kind: 'image' | 'video'; hashes: SignalValues }> {
  const field = options.field ?? 'file';
  if (file.bytes.length === 0) throw new HttpError(415, 'not_an_image', 'The file is empty.', { field });
  const kind = options.kind ?? mediaKindFromHead(file.bytes.subarray(0, 512));
  if (kind === 'video' || (kind === 'unknown' && file.mediaType.startsWith('video/'))) {
    if (file.bytes.length > config.maxVideoBytes) {
      throw new HttpError(413, 'file_too_large', `The video is larger than ${config.maxVideoBytes.toLocaleString('en')} bytes. Send its hashes instead.`, { field });
    }
    const hashed = await hashVideoUpload(media.video, file.bytes, file.name, kind === 'video', field);
    if (hashed) return { kind: 'video', hashes: { md5: hashed.md5, sha256: hashed.sha256, vpdq: hashed.frames } };
  }
  if (file.bytes.length > config.maxImageBytes) {
    throw new HttpError(413, 'file_too_large', `The image is larger than ${config.maxImageBytes.toLocaleString('en')} bytes. Send a smaller copy or its hashes.`, { field });
  }
  const hashed = await hashUploadBytes(file.bytes, config.maxImagePixels, media.decodeBudget, field);
  const variants = hashed.dihedral ? Object.values(hashed.dihedral).filter((h) => h !== hashed.pdq) : [];
  return {
    kind: 'image',
    hashes: { pdq: { hash: hashed.pdq, quality: hashed.quality, variants: [...new Set(variants)] } satisfies PdqValue, md5: hashed.md5, sha256: hashed.sha256 },
  };
}
