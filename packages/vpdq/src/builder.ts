import { pdqHash } from '@takedown/pdq';
import { ConsecutiveFrameDeduper, DEFAULT_DEDUPE_DISTANCE_BITS } from './dedupe.ts';
import type { VideoFrameHash, VideoHash } from './types.ts';

/** Frames sampled per second of video unless configured otherwise (Meta's vPDQ default). */
export const DEFAULT_FRAMES_PER_SECOND = 1;

export interface VideoHashBuilderOptions {
  /** How many frames per second of video were sampled; gives each frame its timestamp. Default 1. */
  framesPerSecond?: number;
  /** Consecutive frames within this many bits of the last kept frame are dropped; -1 keeps all. Default 2. */
  dedupeDistanceBits?: number;
}

/**
 * Turns sampled frames, in order, into a vPDQ hash: PDQ per frame, timestamp from the sample rate,
 * consecutive near-identical frames kept once. The decoder (ffmpeg on the server, a <video> element in the
 * browser) feeds it; it holds no pixels, so a long video costs one frame of memory at a time.
 *
 * @example
 * const builder = new VideoHashBuilder({ framesPerSecond: 1 });
 * for await (const frame of frames) builder.addFrame(frame.pixels, frame.width, frame.height);
 * builder.toVideoHash(); // { type: 'vpdq', frames: [...] }
 */
export class VideoHashBuilder {
  readonly framesPerSecond: number;
  readonly dedupeDistanceBits: number;
  #deduper: ConsecutiveFrameDeduper;
  #frames: VideoFrameHash[] = [];
  #sampled = 0;

  constructor(options: VideoHashBuilderOptions = {}) {
    this.framesPerSecond = options.framesPerSecond ?? DEFAULT_FRAMES_PER_SECOND;
    if (!(this.framesPerSecond > 0) || !Number.isFinite(this.framesPerSecond)) {
      throw new RangeError(`framesPerSecond must be a positive number, got ${options.framesPerSecond}`);
    }
    this.dedupeDistanceBits = options.dedupeDistanceBits ?? DEFAULT_DEDUPE_DISTANCE_BITS;
    this.#deduper = new ConsecutiveFrameDeduper(this.dedupeDistanceBits);
  }

  /** Hashes the next sampled frame (RGB, RGBA or luma pixels); returns it when kept, undefined when deduplicated. */
  addFrame(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number): VideoFrameHash | undefined {
    const { hash, quality } = pdqHash(pixels, width, height);
    return this.addHashedFrame(hash, quality);
  }

  /** Adds a frame whose PDQ hash is already known (e.g. computed in a worker). */
  addHashedFrame(hash: string, quality: number): VideoFrameHash | undefined {
    const index = this.#sampled++;
    // Timestamps as index / rate, rounded to the millisecond so that 1/3 fps prints cleanly.
    const frame: VideoFrameHash = { index, timestamp: Math.round((index / this.framesPerSecond) * 1000) / 1000, hash, quality };
    if (!this.#deduper.keep(frame)) return undefined;
    this.#frames.push(frame);
    return frame;
  }

  /** How many frames were sampled, kept or not. */
  get sampledFrames(): number {
    return this.#sampled;
  }

  toVideoHash(): VideoHash {
    return { type: 'vpdq', frames: [...this.#frames] };
  }
}
