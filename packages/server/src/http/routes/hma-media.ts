import { createHash } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { AnySignalType, SignalValues } from '@takedown/core';
import type { FastifyRequest } from 'fastify';
import type { PlatformConfig } from '../../config/platform-config.ts';
import type { DecodeBudget } from '../../media/decode-budget.ts';
import { mediaKindFromHead } from '../../media/video/media-kind.ts';
import type { VideoService } from '../../media/video/video-service.ts';
import { fetchRemoteMedia, RemoteFetchError, type OutboundConnect } from '../../net/fetch-remote-media.ts';
import { HMA_CONTENT_TYPES, hmaSignalTypesOf, isHmaContentType, type HmaContentType } from '../../platform/hma-names.ts';
import { HttpError } from '../errors.ts';
import { hashMediaBytes, multipartError } from './platform-upload.ts';

/** A signal type under its HMA name (`video_md5` for takedown's `md5`). */
export interface HmaSignalType {
  hmaName: string;
  type: AnySignalType;
}

/** Media to hash: its bytes and HMA's content type for them. */
export interface HmaMedia {
  bytes: Buffer;
  content: HmaContentType;
  mediaType: string;
  name: string;
}

/** What hashing needs from the app: limits, ffmpeg and the decode budget. */
export interface HmaHashing {
  config: PlatformConfig;
  video: VideoService;
  decodeBudget: DecodeBudget;
}

/** HMA's `content_type` (`photo`, `video`), or 400 as HMA answers an unknown one. */
export function hmaContentType(name: string, field = 'content_type'): HmaContentType {
  if (!isHmaContentType(name)) throw new HttpError(400, 'unknown_content_type', `no such content_type: '${name}' (use ${Object.keys(HMA_CONTENT_TYPES).join(' or ')})`, { field });
  return name;
}

/** HMA's `types=pdq,video_md5` over the signal types of `content` (all of them without it), as HMA checks it. */
export function selectSignalTypes(content: HmaContentType, types: string | undefined): HmaSignalType[] {
  const available = hmaSignalTypesOf(content);
  if (types === undefined) return available;
  const selected: HmaSignalType[] = [];
  for (const name of types.split(',').map((t) => t.trim())) {
    if (!name) continue;
    const found = available.find((t) => t.hmaName === name);
    if (!found) throw new HttpError(400, 'unknown_signal_type', `signal type '${name}' doesn't exist or is disabled for ${content} (use ${available.map((t) => t.hmaName).join(', ')})`, { field: 'types' });
    if (!selected.includes(found)) selected.push(found);
  }
  if (selected.length === 0) throw new HttpError(400, 'unknown_signal_type', `empty signal type selection (use ${available.map((t) => t.hmaName).join(', ')})`, { field: 'types' });
  return selected;
}

/**
 * Hashes the media with the selected signal types; the bytes are dropped. A photo gets PDQ (with its 8 dihedral
 * variants, as an upload check does) and the digests; a video vPDQ (ffmpeg) and the digests — or the digests
 * alone when vPDQ is not asked for, which needs no decoding.
 */
export async function hashHmaMedia(media: HmaMedia, selected: HmaSignalType[], hashing: HmaHashing, field: string): Promise<SignalValues> {
  let hashes: SignalValues;
  if (media.content === 'video' && !selected.some((t) => t.type.media === 'video')) {
    hashes = { md5: createHash('md5').update(media.bytes).digest('hex'), sha256: createHash('sha256').update(media.bytes).digest('hex') };
  } else {
    const kind = HMA_CONTENT_TYPES[media.content];
    hashes = (await hashMediaBytes(media, hashing.config, hashing, { kind, field })).hashes;
  }
  const values: SignalValues = {};
  for (const { type } of selected) if (hashes[type.name] !== undefined) values[type.name] = hashes[type.name];
  return values;
}

/** HMA's upload: multipart with one file whose field name is its content type (`photo=@a.jpg`, `video=@b.mp4`). */
export async function readHmaUpload(request: FastifyRequest, config: PlatformConfig): Promise<HmaMedia> {
  if (!request.isMultipart()) throw new HttpError(400, 'invalid_multipart', 'Missing multipart/form-data file upload: send one file in a field named photo or video.');
  let media: HmaMedia | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') throw new HttpError(400, 'invalid_request', `Unexpected form field '${part.fieldname}': send only one file, in a field named photo or video.`, { field: part.fieldname });
      if (media) {
        await (part as MultipartFile).toBuffer().catch(() => undefined);
        throw onlyOneFile();
      }
      const content = hmaContentType(part.fieldname, part.fieldname);
      media = { bytes: await part.toBuffer(), content, mediaType: part.mimetype, name: part.filename || 'the upload' };
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_FILES_LIMIT') throw onlyOneFile();
    throw multipartError(error, config);
  }
  if (!media) throw new HttpError(400, 'invalid_multipart', 'Missing multipart/form-data file upload: send one file in a field named photo or video.');
  return media;
}

function onlyOneFile(): HttpError {
  return new HttpError(400, 'invalid_multipart', 'Only one file allowed per request.');
}

/**
 * Fetches the media at HMA's `url=` (size cap and timeout from the config, every connection through `connect`),
 * its content type from `content_type=`, else the answer's Content-Type, else its bytes.
 */
export async function fetchHmaMedia(url: string, contentType: string | undefined, config: PlatformConfig, connect: OutboundConnect): Promise<HmaMedia> {
  const declared = contentType === undefined ? undefined : hmaContentType(contentType);
  let fetched: { bytes: Buffer; contentType?: string };
  try {
    fetched = await fetchRemoteMedia(url, config.urlFetch, connect);
  } catch (error) {
    if (!(error instanceof RemoteFetchError)) throw error;
    if (error.code === 'remote_too_large') throw new HttpError(413, error.code, error.message, { field: 'url' });
    const prefix = error.code === 'fetch_failed' ? 'Failed to fetch URL' : 'Invalid or unsafe URL provided';
    throw new HttpError(400, error.code, `${prefix}: ${error.message}`, { field: 'url' });
  }
  const header = (fetched.contentType ?? '').toLowerCase();
  const sniffed = mediaKindFromHead(fetched.bytes.subarray(0, 512));
  const content: HmaContentType | undefined =
    declared ?? (header.startsWith('image') ? 'photo' : header.startsWith('video') ? 'video' : sniffed === 'image' ? 'photo' : sniffed === 'video' ? 'video' : undefined);
  if (!content) {
    throw new HttpError(400, 'unknown_content_type', `unsupported url ContentType: '${fetched.contentType ?? ''}', if you know the expected type, provide it with the content_type query param`, { field: 'content_type' });
  }
  return { bytes: fetched.bytes, content, mediaType: fetched.contentType ?? '', name: 'the file at the url' };
}
