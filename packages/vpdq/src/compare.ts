import { MatchIndex } from '@takedown/match';
import { hammingDistance, parsePdqHex } from '@takedown/pdq';
import {
  resolveThresholds,
  type MatchedSegment,
  type VideoComparison,
  type VideoFrameHash,
  type VideoHash,
  type VideoMatchOptions,
  type VideoMatchThresholds,
} from './types.ts';

/** Above this many frame pairs the comparison goes through a MatchIndex rather than every pair. */
const PAIRWISE_LIMIT = 1_000_000;

/** A distinct hash of a video with the timestamps of every frame that carried it. */
export interface DistinctFrame {
  hash: string;
  bytes: Uint8Array;
  quality: number;
  timestamps: number[];
}

/**
 * The frames vPDQ compares, as python-threatexchange's brute matcher picks them (vpdq_brute_matcher.py:58-59):
 * one entry per distinct hash, the first frame carrying it deciding its quality (a video is a bag of hashes:
 * repeating a frame must not weigh more), then those below the quality threshold dropped.
 */
export function distinctComparableFrames(frames: readonly VideoFrameHash[], qualityThreshold: number): DistinctFrame[] {
  const byHash = new Map<string, DistinctFrame>();
  for (const frame of frames) {
    const hash = frame.hash.toLowerCase();
    const known = byHash.get(hash);
    if (known) known.timestamps.push(frame.timestamp);
    else byHash.set(hash, { hash, bytes: parsePdqHex(hash), quality: frame.quality, timestamps: [frame.timestamp] });
  }
  return [...byHash.values()].filter((frame) => frame.quality >= qualityThreshold);
}

/**
 * Compares two videos the vPDQ way: a frame of one matches when some frame of the other is within the
 * distance threshold and both have quality ≥ the quality threshold; each side reports the share of its
 * distinct frames that matched; a match needs both shares at or above their thresholds.
 *
 * @example compareVideoHashes(upload, known).isMatch
 */
export function compareVideoHashes(
  query: VideoHash,
  compared: VideoHash,
  options: VideoMatchOptions = {},
  method: 'auto' | 'pairwise' | 'index' = 'auto',
): VideoComparison {
  const thresholds = resolveThresholds(options);
  const queryFrames = distinctComparableFrames(query.frames, thresholds.qualityThreshold);
  const comparedFrames = distinctComparableFrames(compared.frames, thresholds.qualityThreshold);
  const queryMatched = new Array<boolean>(queryFrames.length).fill(false);
  const comparedMatched = new Array<boolean>(comparedFrames.length).fill(false);
  const useIndex =
    method === 'index' ||
    (method === 'auto' &&
      queryFrames.length * comparedFrames.length > PAIRWISE_LIMIT &&
      Number.isInteger(thresholds.distanceThresholdBits));
  if (useIndex) {
    // Two long videos (hours at 1 fps) would need hundreds of millions of pairs: index one side instead.
    const index = new MatchIndex();
    comparedFrames.forEach((frame, c) => index.add(c, frame.hash));
    queryFrames.forEach((frame, q) => {
      for (const { id } of index.query(frame.hash, { radius: thresholds.distanceThresholdBits })) {
        queryMatched[q] = true;
        comparedMatched[id] = true;
      }
    });
    return summarise(queryFrames, queryMatched, comparedFrames, comparedMatched, thresholds);
  }
  // All pairs, not "first match then break": both directions need every matched frame marked.
  for (let q = 0; q < queryFrames.length; q++) {
    for (let c = 0; c < comparedFrames.length; c++) {
      if (queryMatched[q] && comparedMatched[c]) continue;
      if (hammingDistance(queryFrames[q].bytes, comparedFrames[c].bytes) <= thresholds.distanceThresholdBits) {
        queryMatched[q] = true;
        comparedMatched[c] = true;
      }
    }
  }
  return summarise(queryFrames, queryMatched, comparedFrames, comparedMatched, thresholds);
}

/** Builds the comparison result from which distinct frames matched on each side. */
export function summarise(
  queryFrames: readonly DistinctFrame[],
  queryMatched: readonly boolean[],
  comparedFrames: readonly DistinctFrame[],
  comparedMatched: readonly boolean[],
  thresholds: VideoMatchThresholds,
): VideoComparison {
  const queryMatchPercent = percent(queryMatched);
  const comparedMatchPercent = percent(comparedMatched);
  return {
    queryMatchPercent,
    comparedMatchPercent,
    isMatch:
      queryFrames.length > 0 &&
      comparedFrames.length > 0 &&
      queryMatchPercent >= thresholds.queryMatchThresholdPercent &&
      comparedMatchPercent >= thresholds.comparedMatchThresholdPercent,
    querySegments: matchedSegments(queryFrames, queryMatched),
    comparedSegments: matchedSegments(comparedFrames, comparedMatched),
    thresholds,
  };
}

function percent(matched: readonly boolean[]): number {
  if (matched.length === 0) return 0;
  const count = matched.reduce((n, m) => n + (m ? 1 : 0), 0);
  return (count * 100) / matched.length;
}

/**
 * Groups matched frames into runs over time: a run continues while the next frame in time order (over all
 * comparable frames) also matched, so a clip found inside a long video comes out as its start and end.
 */
export function matchedSegments(frames: readonly DistinctFrame[], matched: readonly boolean[]): MatchedSegment[] {
  const timeline: { timestamp: number; hashIndex: number }[] = [];
  frames.forEach((frame, hashIndex) => {
    for (const timestamp of frame.timestamps) timeline.push({ timestamp, hashIndex });
  });
  timeline.sort((a, b) => a.timestamp - b.timestamp);
  const segments: MatchedSegment[] = [];
  let current: { start: number; end: number; hashes: Set<number> } | undefined;
  for (const point of timeline) {
    if (matched[point.hashIndex]) {
      if (current) {
        current.end = point.timestamp;
        current.hashes.add(point.hashIndex);
      } else {
        current = { start: point.timestamp, end: point.timestamp, hashes: new Set([point.hashIndex]) };
      }
    } else if (current) {
      segments.push({ startSeconds: current.start, endSeconds: current.end, frames: current.hashes.size });
      current = undefined;
    }
  }
  if (current) segments.push({ startSeconds: current.start, endSeconds: current.end, frames: current.hashes.size });
  return segments;
}
