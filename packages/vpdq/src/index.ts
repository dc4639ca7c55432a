// vPDQ without I/O: what a video hash is, how frames are deduplicated, how two videos or a bank are compared.
export {
  DEFAULT_VIDEO_MATCH_THRESHOLDS,
  resolveThresholds,
  type MatchedSegment,
  type VideoComparison,
  type VideoFrameHash,
  type VideoHash,
  type VideoMatchOptions,
  type VideoMatchThresholds,
} from './types.ts';
export { ConsecutiveFrameDeduper, dedupeConsecutiveFrames, DEFAULT_DEDUPE_DISTANCE_BITS } from './dedupe.ts';
export { compareVideoHashes, distinctComparableFrames } from './compare.ts';
export { VideoHashBuilder, type VideoHashBuilderOptions } from './builder.ts';
export { DEFAULT_FRAMES_PER_SECOND, vpdqFrameRate, vpdqStride, vpdqTimestamp } from './frame-rule.ts';
export {
  formatFixed3,
  formatVpdqText,
  parseThreatExchangeVpdq,
  parseVpdqText,
  type VpdqTextProblem,
  type VpdqTextRead,
} from './text-formats.ts';
export { VideoBank, type VideoBankMatch, type VideoBankQueryOptions } from './bank.ts';
export { yuv420ToRgb, type Yuv420Layout } from './yuv420-to-rgb.ts';
