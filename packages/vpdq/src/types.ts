/** One sampled frame of a video: where it is, its PDQ hash and how much detail it has. */
export interface VideoFrameHash {
  /** Position among the sampled frames (0 = the frame at the start), kept after deduplication. */
  index: number;
  /** Seconds from the start of the video. */
  timestamp: number;
  /** 64 lowercase hex characters, big-endian (the PDQ hex form). */
  hash: string;
  /** PDQ quality, 0–100; below 50 the frame is too uniform to match on. */
  quality: number;
}

/**
 * The vPDQ signal of a video: one PDQ hash per sampled frame, consecutive near-identical frames kept once.
 *
 * @example
 * { type: 'vpdq', frames: [{ index: 0, timestamp: 0, hash: 'f8f8…', quality: 100 }] }
 */
export interface VideoHash {
  type: 'vpdq';
  frames: VideoFrameHash[];
}

/** The thresholds of a video comparison; every field has the vPDQ default. */
export interface VideoMatchOptions {
  /** Two frames match when their hashes differ in at most this many bits. Default 31. */
  distanceThresholdBits?: number;
  /** Frames below this PDQ quality are never compared. Default 50. */
  qualityThreshold?: number;
  /** A match needs at least this share of the query's frames matched. Default 80. */
  queryMatchThresholdPercent?: number;
  /** A match needs at least this share of the compared video's frames matched. Default 80. */
  comparedMatchThresholdPercent?: number;
}

/** The thresholds with defaults applied: what every result reports it used (thresholds are logged). */
export type VideoMatchThresholds = Required<VideoMatchOptions>;

export const DEFAULT_VIDEO_MATCH_THRESHOLDS: VideoMatchThresholds = Object.freeze({
  distanceThresholdBits: 31,
  qualityThreshold: 50,
  queryMatchThresholdPercent: 80,
  comparedMatchThresholdPercent: 80,
});

/** A stretch of one video, in seconds, whose frames matched the other video. */
export interface MatchedSegment {
  startSeconds: number;
  /** The timestamp of the last matched frame (a one-frame segment has start = end). */
  endSeconds: number;
  /** How many distinct hashed frames of this video the segment holds. */
  frames: number;
}

/** The outcome of comparing a query video with another video. */
export interface VideoComparison {
  /** Share (0–100) of the query's distinct, good-quality frames that match some frame of the compared video. */
  queryMatchPercent: number;
  /** Share (0–100) of the compared video's distinct, good-quality frames that match some frame of the query. */
  comparedMatchPercent: number;
  /** Both percentages reach their thresholds. */
  isMatch: boolean;
  /** Where in the query the matching frames are. */
  querySegments: MatchedSegment[];
  /** Where in the compared video the matching frames are (e.g. where a short clip sits in a long video). */
  comparedSegments: MatchedSegment[];
  /** The thresholds used, so that every decision can be logged with them. */
  thresholds: VideoMatchThresholds;
}

export function resolveThresholds(options: VideoMatchOptions = {}): VideoMatchThresholds {
  const thresholds = { ...DEFAULT_VIDEO_MATCH_THRESHOLDS };
  for (const key of Object.keys(thresholds) as (keyof VideoMatchThresholds)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a number ≥ 0, got ${value}`);
    thresholds[key] = value;
  }
  if (thresholds.distanceThresholdBits > 256) throw new RangeError('distanceThresholdBits must be at most 256');
  return thresholds;
}
