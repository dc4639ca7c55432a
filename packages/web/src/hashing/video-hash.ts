/**
 * vPDQ hashing of a video on the requester's device, for the request form: the video never leaves the
 * device, only the hashes do.
 *
 * A <video> element decodes the file; for every sample time t = i / framesPerSecond (1 per second by
 * default, as on the server) the element is seeked to t, the frame is drawn onto a canvas at the video's
 * own size and hashed with PDQ through the same VideoHashBuilder the server uses (same timestamps, same
 * deduplication). The frame shown at t is the one ffmpeg's fps filter picks for that tick, so the frames
 * correspond one to one; the pixels differ slightly because the browser converts YUV to RGB its own way
 * (docs/video.md gives the measured distances). Runs on the main thread: a <video> element needs the DOM.
 */
import { VideoHashBuilder, type VideoHash } from '@takedown/vpdq';
import { Md5 } from './md5.ts';

export interface BrowserVideoHashes {
  vpdq: VideoHash;
  md5: string;
  sha256: string;
  framesPerSecond: number;
  /** Frames sampled before deduplication. */
  sampledFrames: number;
  durationSeconds: number;
  width: number;
  height: number;
}

export interface BrowserVideoHashOptions {
  /** Frames sampled per second of video. Default 1, the server's default. */
  framesPerSecond?: number;
  /** Consecutive frames within this many bits are kept once; -1 keeps all. Default 2, the server's default. */
  dedupeDistanceBits?: number;
  /** Longer videos are refused. Default 14 400 s, the server's default. */
  maxDurationSeconds?: number;
  /** Wider or taller videos are refused. Default 7 680, the server's default. */
  maxSide?: number;
  /** Give up when the browser takes longer than this to open the video or to show one frame. Default 20 000. */
  stepTimeoutMs?: number;
  /** Called after each sampled frame, e.g. for a progress bar. */
  onProgress?: (sampled: number, total: number) => void;
  /** Stops hashing (the person removed the file or left the page). */
  signal?: AbortSignal;
}

/** Why a video could not be hashed on the device, in words the person can act on. */
export class VideoHashError extends Error {
  override name = 'VideoHashError';
  readonly code: 'not_a_video' | 'video_too_long' | 'video_too_large' | 'video_timeout' | 'aborted';
  constructor(code: VideoHashError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** Waits for one of the element's events, failing on 'error', on timeout or on abort. */
function once(video: HTMLVideoElement, event: 'loadedmetadata' | 'seeked', timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: VideoHashError) => {
      clearTimeout(timer);
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onEvent = () => done();
    const onError = () => done(new VideoHashError('not_a_video', 'This file could not be played as a video by this browser.'));
    const onAbort = () => done(new VideoHashError('aborted', 'Hashing was stopped.'));
    const timer = setTimeout(
      () => done(new VideoHashError('video_timeout', 'The browser took too long to read this video.')),
      timeoutMs,
    );
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
    signal?.addEventListener('abort', onAbort);
  });
}

/** How long to wait for the seeked frame to be presented before drawing anyway (browsers without the callback). */
const PRESENT_FALLBACK_MS = 1_000;

/**
 * Seeks and waits until the frame at `seconds` is the one on screen. 'seeked' alone is not enough: Chromium
 * sometimes fires it while the previous frame is still the current one, and drawImage then copies that
 * (seen in the browser test: one frame of a few hundred, 94–124 bits from ffmpeg's). requestVideoFrameCallback fires once the new frame is
 * handed to the compositor.
 */
async function seekAndPresent(video: HTMLVideoElement, seconds: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const presented = new Promise<void>((resolve) => {
    if (typeof video.requestVideoFrameCallback !== 'function') return resolve();
    video.requestVideoFrameCallback(() => resolve());
    setTimeout(resolve, timeoutMs);
  });
  const seeked = once(video, 'seeked', timeoutMs, signal);
  video.currentTime = seconds;
  await seeked;
  await Promise.race([presented, new Promise<void>((resolve) => setTimeout(resolve, PRESENT_FALLBACK_MS))]);
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Samples, hashes and deduplicates the frames of a video file in the browser, plus MD5 and SHA-256 of its bytes. */
export async function hashVideoInBrowser(file: Blob, options: BrowserVideoHashOptions = {}): Promise<BrowserVideoHashes> {
  const builder = new VideoHashBuilder({
    framesPerSecond: options.framesPerSecond,
    dedupeDistanceBits: options.dedupeDistanceBits,
  });
  const stepTimeoutMs = options.stepTimeoutMs ?? 20_000;
  const maxDurationSeconds = options.maxDurationSeconds ?? 14_400;
  const maxSide = options.maxSide ?? 7_680;

  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  const url = URL.createObjectURL(file);
  try {
    const opened = once(video, 'loadedmetadata', stepTimeoutMs, options.signal);
    video.src = url;
    await opened;
    const { videoWidth: width, videoHeight: height } = video;
    let duration = video.duration;
    if (duration === Infinity) {
      // Recordings made with MediaRecorder (and live WebM) carry no duration: seeking far past the end makes
      // the browser scan the file and learn it.
      const seekedToEnd = once(video, 'seeked', stepTimeoutMs, options.signal);
      video.currentTime = Number.MAX_SAFE_INTEGER;
      await seekedToEnd;
      duration = video.duration;
    }
    if (!width || !height || !Number.isFinite(duration)) {
      throw new VideoHashError('not_a_video', 'This file has no picture this browser can show.');
    }
    if (duration > maxDurationSeconds) {
      throw new VideoHashError('video_too_long', `This video lasts ${Math.round(duration)} s; the limit is ${maxDurationSeconds} s.`);
    }
    if (width > maxSide || height > maxSide) {
      throw new VideoHashError('video_too_large', `This video is ${width}×${height}; the limit is ${maxSide}×${maxSide}.`);
    }
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    if (!context) throw new Error('This browser cannot read video pixels (no 2D canvas).');
    // Sample times as ffmpeg's fps filter ticks them: 0, 1/fps, 2/fps, … while inside the video.
    const total = Math.max(1, Math.ceil(duration * builder.framesPerSecond - 1e-6));
    for (let i = 0; i < total; i++) {
      await seekAndPresent(video, i / builder.framesPerSecond, stepTimeoutMs, options.signal);
      context.drawImage(video, 0, 0, width, height);
      const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
      builder.addFrame(data, width, height);
      options.onProgress?.(i + 1, total);
    }

    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
    const md5 = new Md5().update(bytes).hex();
    return {
      vpdq: builder.toVideoHash(),
      md5,
      sha256,
      framesPerSecond: builder.framesPerSecond,
      sampledFrames: builder.sampledFrames,
      durationSeconds: duration,
      width,
      height,
    };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
