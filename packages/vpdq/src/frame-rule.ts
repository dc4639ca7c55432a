/**
 * Which decoded frames Meta's `vpdq-hash-video` hashes, and the timestamp it gives them (the rule, with
 * citations into the reference, is in shared/vectors/vpdq/README.md). Hashes are exchanged between platforms,
 * so takedown picks the same frames: every `stride`-th decoded frame, counted from 0, whatever their
 * presentation times (a variable-frame-rate video is sampled by frame count, not by seconds of playback).
 */

/** Hashes per second unless configured otherwise (the reference's `-r 1`, and python-threatexchange's). */
export const DEFAULT_FRAMES_PER_SECOND = 1;

/**
 * How many decoded frames apart the hashed frames are: `int(secondsPerHash × frameRate)`, at least 1
 * (filehasher.cpp:53-58), in double precision as the reference computes it.
 *
 * @example vpdqStride(30000 / 1001) // 29: frames 0, 29, 58 … of an NTSC video
 */
export function vpdqStride(frameRate: number, framesPerSecond: number = DEFAULT_FRAMES_PER_SECOND): number {
  if (!(framesPerSecond > 0) || !Number.isFinite(framesPerSecond)) {
    throw new RangeError(`framesPerSecond must be a positive number, got ${framesPerSecond}`);
  }
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) throw new RangeError(`frameRate must be a positive number, got ${frameRate}`);
  return Math.max(1, Math.trunc((1 / framesPerSecond) * frameRate));
}

/**
 * A hashed frame's timestamp as the reference writes it: `float(frameNumber) / float(frameRate)` in single
 * precision (hasher.h:190-194), so 29.97 fps gives 0.968 for frame 29, not the frame's presentation time.
 */
export function vpdqTimestamp(frameNumber: number, frameRate: number): number {
  return Math.fround(Math.fround(frameNumber) / Math.fround(frameRate));
}

/**
 * The frame rate the reference reads: the stream's `avg_frame_rate`, or `r_frame_rate` when that is 0/0
 * (ffmpegwrapper.cpp:119-129). Takes ffprobe's "num/den" strings; 0 when neither says.
 */
export function vpdqFrameRate(avgFrameRate: string | undefined, realFrameRate: string | undefined): number {
  const rate = (text: string | undefined) => {
    const [num, den] = (text ?? '0/0').split('/').map(Number);
    return den > 0 && Number.isFinite(num / den) ? num / den : 0;
  };
  return rate(avgFrameRate) || rate(realFrameRate);
}
