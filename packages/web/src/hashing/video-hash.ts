/**
 * vPDQ hashing of a video on the requester's device, for the request form: the video never leaves the
 * device, only the hashes do.
 *
 * The hashes must be the ones Meta's `vpdq-hash-video` and the server compute from the same file, so the
 * frames are picked by the reference's rule (shared/vectors/vpdq/README.md): the file is demuxed (mediabunny)
 * and every frame decoded with WebCodecs in order, counted from 0; every `stride`-th frame (int(frame rate)
 * at one hash per second) is drawn at its stored size, without the rotation flag, and hashed with PDQ through
 * the same VideoHashBuilder the server uses (same frame numbers, float32 timestamps). Seeking a <video>
 * element cannot do this: it picks frames by time, not by count. The decoded planes are converted to RGB
 * with swscale's own arithmetic (yuv420ToRgb), so the hashes are the reference's, bit for bit.
 */
import { ALL_FORMATS, BlobSource, Input, VideoSampleSink, type InputVideoTrack } from 'mediabunny';
import { VideoHashBuilder, yuv420ToRgb, type VideoHash } from '@takedown/vpdq';
import { Md5 } from './md5.ts';
import { containerFrameRate } from './video-frame-rate.ts';
import { VideoHashError } from './video-hash-error.ts';

export { VideoHashError } from './video-hash-error.ts';

export interface BrowserVideoHashes {
  vpdq: VideoHash;
  md5: string;
  sha256: string;
  /** Hashes per second asked for. */
  framesPerSecond: number;
  /** The stream's frame rate as ffprobe's avg_frame_rate gives it, which sets the stride and timestamps. */
  frameRate: number;
  /** Every this many decoded frames was hashed. */
  stride: number;
  /** Frames hashed before deduplication. */
  sampledFrames: number;
  durationSeconds: number;
  /** Stored size, as hashed (a rotation flag is not applied, as in the reference). */
  width: number;
  height: number;
}

export interface BrowserVideoHashOptions {
  /** Hashes per second of video. Default 1, as the server and Meta's tools. */
  framesPerSecond?: number;
  /** Consecutive frames within this many bits are kept once; -1 (the default, as the server) keeps all. */
  dedupeDistanceBits?: number;
  /** Longer videos are refused. Default 14 400 s, the server's default. */
  maxDurationSeconds?: number;
  /** Wider or taller videos are refused. Default 7 680, the server's default. */
  maxSide?: number;
  /** Give up when the browser takes longer than this to open the video or to decode one frame. Default 20 000. */
  stepTimeoutMs?: number;
  /** Called after each hashed frame, e.g. for a progress bar. */
  onProgress?: (hashed: number, total: number) => void;
  /** Stops hashing (the person removed the file or left the page). */
  signal?: AbortSignal;
}

/** Resolves with the step's result, or fails after `timeoutMs` or on abort. */
function step<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(new VideoHashError('aborted', 'Hashing was stopped.')));
    const timer = setTimeout(
      () => finish(() => reject(new VideoHashError('video_timeout', 'The browser took too long to read this video.'))),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The reference's RGB for a 4:2:0 frame of even size: the decoded planes (bit-exact for H.264, VP9, AV1)
 * converted with swscale's own arithmetic. Undefined for other frames, which are drawn instead.
 */
async function referenceRgb(frame: VideoFrame, width: number, height: number, fullRange: boolean): Promise<Uint8Array | undefined> {
  if (frame.format !== 'I420' || width % 2 !== 0 || height % 2 !== 0) return undefined;
  const planes = new Uint8Array(frame.allocationSize());
  const [y, u, v] = await frame.copyTo(planes);
  if (!y || !u || !v) return undefined;
  return yuv420ToRgb(planes, [y, u, v], width, height, fullRange);
}

/**
 * Whether swscale reads the frame as full range for the reference: only when ffmpeg's decoder hands over a
 * "yuvj" pixel format, which its H.264 and HEVC decoders do for full-range streams; VP9 and AV1 frames
 * flagged full range arrive as plain yuv420p and are converted as limited range.
 */
function swscaleFullRange(codec: string | null, frame: VideoFrame): boolean {
  return (codec === 'avc' || codec === 'hevc') && frame.colorSpace.fullRange === true;
}

/**
 * Draws a frame {@link referenceRgb} does not take (odd size, 4:2:2, 4:4:4, NV12) at its stored size, as near
 * as the browser gets to swscale: YUV read with the BT.601 matrix whatever the file is tagged with
 * (sws_getContext is given no colour details), the range as decoded. Chromium would pick BT.709 for untagged HD
 * video (14–30 bits away on the vector clips), so the planes are copied into a frame that says BT.601; on the
 * odd-sized VP9 vector clip this gives the reference's hashes. Frames that are not planar YUV are drawn as they are. Never
 * `VideoSample.draw()`, which would turn the frame upright: the reference hashes it as stored.
 */
async function drawAsReference(context: OffscreenCanvasRenderingContext2D, frame: VideoFrame, width: number, height: number): Promise<void> {
  const format = frame.format;
  if (format === null || !/^(I420|I422|I444|NV12)$/.test(format)) {
    context.drawImage(frame, 0, 0, width, height);
    return;
  }
  // copyTo writes the visible rectangle only: the copy's coded size is that rectangle.
  const planes = new Uint8Array(frame.allocationSize());
  const layout = await frame.copyTo(planes);
  const visible = frame.visibleRect;
  const bt601 = new VideoFrame(planes, {
    format,
    codedWidth: visible?.width ?? frame.codedWidth,
    codedHeight: visible?.height ?? frame.codedHeight,
    displayWidth: width,
    displayHeight: height,
    layout,
    timestamp: frame.timestamp,
    colorSpace: { matrix: 'bt470bg', fullRange: frame.colorSpace.fullRange ?? false },
  });
  try {
    context.drawImage(bt601, 0, 0, width, height);
  } finally {
    bt601.close();
  }
}

const NOT_A_VIDEO = 'This file has no video this browser can decode. You can give a link to the video instead.';

async function openVideoTrack(input: Input): Promise<InputVideoTrack> {
  let track: InputVideoTrack | null;
  try {
    track = await input.getPrimaryVideoTrack();
  } catch {
    throw new VideoHashError('not_a_video', NOT_A_VIDEO);
  }
  if (!track || typeof VideoDecoder === 'undefined' || !(await track.canDecode())) {
    throw new VideoHashError('not_a_video', NOT_A_VIDEO);
  }
  return track;
}

/** Picks, hashes and optionally deduplicates the frames of a video file in the browser, plus MD5 and SHA-256 of its bytes. */
export async function hashVideoInBrowser(file: Blob, options: BrowserVideoHashOptions = {}): Promise<BrowserVideoHashes> {
  const stepTimeoutMs = options.stepTimeoutMs ?? 20_000;
  const maxDurationSeconds = options.maxDurationSeconds ?? 14_400;
  const maxSide = options.maxSide ?? 7_680;
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const track = await step(openVideoTrack(input), stepTimeoutMs, options.signal);
    const duration = await step(input.computeDuration(), stepTimeoutMs, options.signal);
    if (duration > maxDurationSeconds) {
      throw new VideoHashError('video_too_long', `This video lasts ${Math.round(duration)} s; the limit is ${maxDurationSeconds} s.`);
    }
    // Stored size: the reference hashes the frame as coded, whatever rotation the file asks players for.
    const width = track.codedWidth;
    const height = track.codedHeight;
    if (width > maxSide || height > maxSide) {
      throw new VideoHashError('video_too_large', `This video is ${width}×${height}; the limit is ${maxSide}×${maxSide}.`);
    }
    const frameRate = await step(containerFrameRate(file, track), stepTimeoutMs, options.signal);
    if (!(frameRate > 0)) throw new VideoHashError('not_a_video', NOT_A_VIDEO);
    const builder = new VideoHashBuilder({
      frameRate,
      framesPerSecond: options.framesPerSecond,
      dedupeDistanceBits: options.dedupeDistanceBits ?? -1,
    });
    const packetCount = (await step(track.computePacketStats(), stepTimeoutMs, options.signal)).packetCount;
    const total = Math.max(1, Math.ceil(packetCount / builder.stride));

    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    if (!context) throw new Error('This browser cannot read video pixels (no 2D canvas).');
    // Every frame is decoded and counted, in presentation order as a decoder returns them: the reference
    // numbers frames by that count (frame_number - 1), never by time.
    const samples = new VideoSampleSink(track).samples();
    try {
      for (let frameNumber = 0; ; frameNumber++) {
        const next = await step(samples.next(), stepTimeoutMs, options.signal);
        if (next.done) break;
        const sample = next.value;
        try {
          if (!builder.wants(frameNumber)) continue;
          const frame = sample.toCanvasImageSource() as VideoFrame;
          const rgb = await referenceRgb(frame, width, height, swscaleFullRange(track.codec, frame));
          if (rgb) {
            builder.addFrame(rgb, width, height, frameNumber);
          } else {
            await drawAsReference(context, frame, width, height);
            builder.addFrame(context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data, width, height, frameNumber);
          }
          options.onProgress?.(builder.sampledFrames, total);
        } finally {
          sample.close();
        }
      }
    } finally {
      await samples.return(undefined);
    }
    if (builder.sampledFrames === 0) throw new VideoHashError('not_a_video', NOT_A_VIDEO);

    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
    const md5 = new Md5().update(bytes).hex();
    return {
      vpdq: builder.toVideoHash(),
      md5,
      sha256,
      framesPerSecond: builder.framesPerSecond,
      frameRate,
      stride: builder.stride,
      sampledFrames: builder.sampledFrames,
      durationSeconds: duration,
      width,
      height,
    };
  } finally {
    input.dispose();
  }
}
