import { hammingDistance } from '@takedown/pdq';
import type { VideoFrameHash } from './types.ts';

/**
 * Default for dropping consecutive near-identical frames: -1 keeps every frame, as Meta's `vpdq-hash-video`
 * and python-threatexchange do, so the hashes takedown writes are theirs. Pruning ("a frame is kept only when
 * it differs from the last kept frame by more than N bits"; 2 in Meta's notes) is an explicit option.
 */
export const DEFAULT_DEDUPE_DISTANCE_BITS = -1;

/**
 * Keeps a frame only when it differs from the last kept frame by more than `maxDistanceBits`; a negative
 * value keeps every frame. Comparing with the last *kept* frame (not the previous one) stops a slow fade from
 * collapsing into a single frame.
 */
export function dedupeConsecutiveFrames(
  frames: readonly VideoFrameHash[],
  maxDistanceBits: number = DEFAULT_DEDUPE_DISTANCE_BITS,
): VideoFrameHash[] {
  const deduper = new ConsecutiveFrameDeduper(maxDistanceBits);
  return frames.filter((frame) => deduper.keep(frame));
}

/**
 * The streaming form of {@link dedupeConsecutiveFrames}: decides frame by frame as a decoder produces them,
 * so a long video never holds more than one hash in memory for this step.
 */
export class ConsecutiveFrameDeduper {
  readonly maxDistanceBits: number;
  #lastKept: string | undefined;

  constructor(maxDistanceBits: number = DEFAULT_DEDUPE_DISTANCE_BITS) {
    if (!Number.isFinite(maxDistanceBits)) throw new RangeError('The deduplication distance must be a number.');
    this.maxDistanceBits = maxDistanceBits;
  }

  /** True when the frame should be kept (and then remembered as the last kept frame). */
  keep(frame: Pick<VideoFrameHash, 'hash'>): boolean {
    if (
      this.maxDistanceBits >= 0 &&
      this.#lastKept !== undefined &&
      hammingDistance(this.#lastKept, frame.hash) <= this.maxDistanceBits
    ) {
      return false;
    }
    this.#lastKept = frame.hash;
    return true;
  }
}
