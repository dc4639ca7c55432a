import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VideoHashBuilder, type VideoHash } from '@takedown/vpdq';
import { probeVideo, type VideoProbe } from './probe-video.ts';
import { streamRgbFrames } from './stream-frames.ts';
import { VideoError } from './video-error.ts';
import type { FfmpegPaths } from './detect-ffmpeg.ts';

export interface HashVideoOptions extends FfmpegPaths {
  /** Hashes per second of video: every int(frameRate / framesPerSecond)-th decoded frame. Default 1 (Meta's vPDQ default). */
  framesPerSecond?: number;
  /** Consecutive frames within this many bits of the last kept frame are dropped; -1 (the default, as Meta's reference) keeps every frame. */
  dedupeDistanceBits?: number;
  /** Longer videos are refused with `video_too_long`. Default 14 400 (4 hours). */
  maxDurationSeconds?: number;
  /** Wider or taller videos are refused with `video_too_large`. Default 7 680 (8K). */
  maxWidth?: number;
  maxHeight?: number;
  /** Kill ffmpeg when it writes nothing for this long. Default 30 000. */
  stallTimeoutMs?: number;
  /** Kill ffmpeg when the whole decode takes longer than this. Default 1 800 000. */
  timeoutMs?: number;
  /** Name for error messages (e.g. the uploaded file's name) instead of the path. */
  displayName?: string;
}

/** A video's signals: the vPDQ frames plus exact-byte digests (StopNCII shares MD5 for video) and what was probed. */
export interface VideoFileHash extends VideoHash {
  md5: string;
  sha256: string;
  /** Hashes per second asked for. */
  framesPerSecond: number;
  /** The stream's frame rate (avg_frame_rate, else r_frame_rate), which sets the stride and the timestamps. */
  frameRate: number;
  /** Every this many decoded frames was hashed. */
  stride: number;
  /** How many frames were hashed before deduplication. */
  sampledFrames: number;
  durationSeconds: number;
  /** Coded size, as hashed (a rotation flag is not applied). */
  width: number;
  height: number;
  /** The display matrix's rotation (ffprobe's degrees, e.g. -90), reported and not applied, as the reference. */
  rotation: number;
  codec: string;
  container: string;
}

export const DEFAULT_MAX_VIDEO_SECONDS = 14_400;
export const DEFAULT_MAX_VIDEO_SIDE = 7_680;

/** Refuses a probed video outside the configured limits, before any frame is decoded. */
export function checkVideoLimits(probe: VideoProbe, name: string, options: HashVideoOptions): void {
  const maxSeconds = options.maxDurationSeconds ?? DEFAULT_MAX_VIDEO_SECONDS;
  const maxWidth = options.maxWidth ?? DEFAULT_MAX_VIDEO_SIDE;
  const maxHeight = options.maxHeight ?? DEFAULT_MAX_VIDEO_SIDE;
  if (probe.durationSeconds > maxSeconds) {
    throw new VideoError(
      'video_too_long',
      `"${name}" lasts ${probe.durationSeconds.toFixed(1)} s; the limit is ${maxSeconds} s. Send a shorter cut.`,
    );
  }
  if (probe.width > maxWidth || probe.height > maxHeight) {
    throw new VideoError(
      'video_too_large',
      `"${name}" is ${probe.width}×${probe.height}; the limit is ${maxWidth}×${maxHeight}. Send a smaller version.`,
    );
  }
}

/**
 * Hashes a video file as Meta's `vpdq-hash-video` does (same frames, pixels, hashes and timestamps): ffprobe
 * for its size, frame rate and length (refusing what is over the limits), then ffmpeg streaming every
 * stride-th decoded frame into PDQ, while the bytes are digested with MD5 and SHA-256.
 * Throws {@link VideoError} with a message naming the file.
 *
 * @example
 * const hash = await hashVideoFile('upload.mp4');
 * hash.frames[1]; // { index: 30, timestamp: 1, hash: 'e271…', quality: 100 } (index = the reference's frameNumber)
 */
export async function hashVideoFile(path: string, options: HashVideoOptions = {}): Promise<VideoFileHash> {
  const name = options.displayName ?? path;
  const probe = await probeVideo(path, { ...options, displayName: name });
  checkVideoLimits(probe, name, options);
  if (!(probe.frameRate > 0)) {
    throw new VideoError('video_decode_failed', `"${name}" states no frame rate, which vPDQ needs to pick and time frames. Re-encode it (e.g. ffmpeg -i in -r 30 out.mp4).`);
  }
  const builder = new VideoHashBuilder({
    frameRate: probe.frameRate,
    framesPerSecond: options.framesPerSecond,
    dedupeDistanceBits: options.dedupeDistanceBits,
  });
  const digests = digestFile(path);
  // Catch now so that a read error does not surface as an unhandled rejection while frames decode.
  digests.catch(() => undefined);
  const frames = streamRgbFrames(path, {
    ...options,
    displayName: name,
    width: probe.width,
    height: probe.height,
    stride: builder.stride,
    pixelFormat: probe.pixelFormat,
    maxDurationSeconds: options.maxDurationSeconds ?? DEFAULT_MAX_VIDEO_SECONDS,
  });
  for await (const frame of frames) builder.addFrame(frame.pixels, frame.width, frame.height, frame.frameNumber);
  const { md5, sha256 } = await digests;
  return {
    ...builder.toVideoHash(),
    md5,
    sha256,
    framesPerSecond: builder.framesPerSecond,
    frameRate: probe.frameRate,
    stride: builder.stride,
    sampledFrames: builder.sampledFrames,
    // Live WebM and MediaRecorder files carry no duration: then the hashed frames tell it.
    durationSeconds: probe.durationSeconds || (builder.sampledFrames * builder.stride) / probe.frameRate,
    width: probe.width,
    height: probe.height,
    rotation: probe.rotation,
    codec: probe.codec,
    container: probe.container,
  };
}

/**
 * Hashes a video held in memory (an upload). MP4 files often keep their index at the end, which ffmpeg can
 * only reach by seeking, so the bytes go to one private temporary file (mode 0600, removed afterwards) —
 * never one file per frame.
 */
export async function hashVideoBytes(
  bytes: Uint8Array,
  options: HashVideoOptions & { displayName: string },
): Promise<VideoFileHash> {
  const dir = await mkdtemp(join(tmpdir(), 'takedown-video-'));
  try {
    const path = join(dir, 'video');
    await writeFile(path, bytes, { mode: 0o600 });
    return await hashVideoFile(path, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function digestFile(path: string): Promise<{ md5: string; sha256: string }> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    md5.update(chunk);
    sha256.update(chunk);
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}
