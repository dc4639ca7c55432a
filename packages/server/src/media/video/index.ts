// Video on the server: ffmpeg detection, probing, frame streaming and vPDQ hashing of files and uploads.
export { detectFfmpeg, ffmpegMissingMessage, type FfmpegInstallation, type FfmpegMissing, type FfmpegPaths } from './detect-ffmpeg.ts';
export { probeVideo, type VideoProbe, type ProbeOptions } from './probe-video.ts';
export { streamRgbFrames, frameSamplingArgs, type RgbFrame, type StreamFramesOptions } from './stream-frames.ts';
export {
  hashVideoFile,
  hashVideoBytes,
  checkVideoLimits,
  DEFAULT_MAX_VIDEO_SECONDS,
  DEFAULT_MAX_VIDEO_SIDE,
  type HashVideoOptions,
  type VideoFileHash,
} from './hash-video.ts';
export { VideoError, type VideoErrorCode } from './video-error.ts';
export { detectMediaKind, mediaKindFromHead, type MediaKind } from './media-kind.ts';
export { hashIfVideo, formatVideoHashJson, formatVideoHashPlain, type VideoCliOutcome } from './hash-cli.ts';
export { startVideoService, type VideoService } from './video-service.ts';
