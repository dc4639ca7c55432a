import { pdqHash } from '@takedown/pdq';
import { ConsecutiveFrameDeduper, DEFAULT_DEDUPE_DISTANCE_BITS } from './dedupe.ts';
import { DEFAULT_FRAMES_PER_SECOND, vpdqStride, vpdqTimestamp } from './frame-rule.ts';
import type { VideoFrameHash, VideoHash } from './types.ts';

export interface VideoHashBuilderOptions {
  /** The video stream's frame rate (ffprobe's `avg_frame_rate`, else `r_frame_rate`): sets the stride and the timestamps. */
  frameRate: number;
  /** Hashes per second of video at the stream's frame rate. Default 1 (the reference's `-r 1`). */
  framesPerSecond?: number;
  /** Consecutive frames within this many bits of the last kept frame are dropped; -1 (the default, as the reference) keeps all. */
  dedupeDistanceBits?: number;
}

/**
 * Turns decoded frames into a vPDQ hash exactly as Meta's `vpdq-hash-video`: the decoder (ffmpeg on the
 * server, WebCodecs in the browser) counts every decoded frame from 0, asks {@link wants} whether that frame
 * is hashed (every `stride`-th one), and passes the picked frames' pixels with their frame number; the builder
 * computes PDQ, the reference's float32 timestamp, and optional deduplication. It holds no pixels, so a long
 * video costs one frame of memory at a time.
 *
 * @example
 * const builder = new VideoHashBuilder({ frameRate: 30000 / 1001 });
 * for await (const frame of decoded) if (builder.wants(frame.number)) builder.addFrame(frame.rgb, w, h, frame.number);
 * builder.toVideoHash(); // { type: 'vpdq', frames: [{ index: 0, … }, { index: 29, timestamp: 0.968 …}] }
 */
export class VideoHashBuilder {
  readonly frameRate: number;
  readonly framesPerSecond: number;
  /** Hash every this many decoded frames. */
  readonly stride: number;
  readonly dedupeDistanceBits: number;
  #deduper: ConsecutiveFrameDeduper;
  #frames: VideoFrameHash[] = [];
  #hashed = 0;
  #lastFrameNumber = -1;

  constructor(options: VideoHashBuilderOptions) {
    this.framesPerSecond = options.framesPerSecond ?? DEFAULT_FRAMES_PER_SECOND;
    this.stride = vpdqStride(options.frameRate, this.framesPerSecond);
    this.frameRate = options.frameRate;
    this.dedupeDistanceBits = options.dedupeDistanceBits ?? DEFAULT_DEDUPE_DISTANCE_BITS;
    this.#deduper = new ConsecutiveFrameDeduper(this.dedupeDistanceBits);
  }

  /** Whether the decoded frame with this number (0 for the first) is one the reference hashes. */
  wants(frameNumber: number): boolean {
    return frameNumber % this.stride === 0;
  }

  /** Hashes a picked frame (RGB, RGBA or luma pixels); returns it when kept, undefined when deduplicated. */
  addFrame(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, frameNumber: number): VideoFrameHash | undefined {
    const { hash, quality } = pdqHash(pixels, width, height);
    return this.addHashedFrame(hash, quality, frameNumber);
  }

  /** Adds a picked frame whose PDQ hash is already known (e.g. computed in a worker). */
  addHashedFrame(hash: string, quality: number, frameNumber: number): VideoFrameHash | undefined {
    if (!Number.isSafeInteger(frameNumber) || frameNumber <= this.#lastFrameNumber || !this.wants(frameNumber)) {
      throw new RangeError(`frame ${frameNumber} is not the next picked frame (every ${this.stride}th, after ${this.#lastFrameNumber})`);
    }
    this.#lastFrameNumber = frameNumber;
    this.#hashed++;
    const frame: VideoFrameHash = { index: frameNumber, timestamp: vpdqTimestamp(frameNumber, this.frameRate), hash, quality };
    if (!this.#deduper.keep(frame)) return undefined;
    this.#frames.push(frame);
    return frame;
  }

  /** How many frames were hashed, kept or not. */
  get sampledFrames(): number {
    return this.#hashed;
  }

  toVideoHash(): VideoHash {
    return { type: 'vpdq', frames: [...this.#frames] };
  }
}
