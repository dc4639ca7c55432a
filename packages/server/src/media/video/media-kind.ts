import { open } from 'node:fs/promises';
import { heifKindOf } from '@takedown/core';
import { probeVideo } from './probe-video.ts';
import { VideoError } from './video-error.ts';
import type { FfmpegPaths } from './detect-ffmpeg.ts';

export type MediaKind = 'image' | 'video' | 'unknown';

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** Image formats recognised from their first bytes, so that hashing a folder of photos never starts ffprobe. */
function looksLikeImage(head: Uint8Array): boolean {
  const png = head[0] === 0x89 && ascii(head, 1, 4) === 'PNG';
  const jpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  const gif = ascii(head, 0, 4) === 'GIF8';
  const webp = ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP';
  const tiff = ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*';
  const bmp = ascii(head, 0, 2) === 'BM';
  const heif = heifKindOf(head) !== undefined;
  return png || jpeg || gif || webp || tiff || bmp || heif;
}

/** Containers that almost always hold video, recognised without ffprobe (to explain a missing ffmpeg). */
function looksLikeVideoContainer(head: Uint8Array): boolean {
  const isoMedia = ascii(head, 4, 8) === 'ftyp';
  const matroska = head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
  const avi = ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ';
  const flv = ascii(head, 0, 3) === 'FLV';
  const mpegTs = head[0] === 0x47 && head[188] === 0x47;
  const mpegPs = head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba;
  const ogg = ascii(head, 0, 4) === 'OggS';
  return isoMedia || matroska || avi || flv || mpegTs || mpegPs || ogg;
}

/**
 * What the first bytes of a file say it is, without running anything: 'image' for a known image signature,
 * 'video' for a container that almost always holds video, 'unknown' otherwise (ffprobe has the last word).
 */
export function mediaKindFromHead(head: Uint8Array): MediaKind {
  if (head.length === 0) return 'unknown';
  if (looksLikeImage(head)) return 'image';
  return looksLikeVideoContainer(head) ? 'video' : 'unknown';
}

/**
 * Decides whether a file is an image or a video by its content, never by its name: known image signatures
 * first (cheap), then ffprobe (any container ffmpeg reads). When ffprobe is absent, a file that looks like
 * a video container is reported as a video so that the caller says ffmpeg is missing rather than "not an
 * image". Unreadable files come back as 'unknown' and the image hasher reports why.
 */
export async function detectMediaKind(path: string, options: FfmpegPaths = {}): Promise<MediaKind> {
  let head: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = new Uint8Array(512);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return 'unknown';
  }
  if (head.length === 0 || looksLikeImage(head)) return head.length === 0 ? 'unknown' : 'image';
  try {
    await probeVideo(path, { ...options, timeoutMs: 15_000 });
    return 'video';
  } catch (error) {
    if (error instanceof VideoError && error.code === 'ffmpeg_missing') return looksLikeVideoContainer(head) ? 'video' : 'unknown';
    return 'unknown';
  }
}
