import { detectFfmpeg, resolveFfmpegPaths, type FfmpegInstallation, type FfmpegMissing, type FfmpegPaths } from './detect-ffmpeg.ts';
import { hashVideoBytes, hashVideoFile, type HashVideoOptions, type VideoFileHash } from './hash-video.ts';
import { VideoError } from './video-error.ts';

/**
 * Video hashing as the server uses it: ffmpeg is looked for once, at start; when it is absent every call
 * throws `VideoError('ffmpeg_missing')` (HTTP 503) with the install instructions, and images keep working.
 * The content index, the upload check and the known-copy sweep take one of these.
 *
 * @example
 * const video = await startVideoService();
 * if (!video.ffmpeg.available) log.warn(video.ffmpeg.message);
 * // in a route: try { await video.hashUpload(bytes, filename) } catch (e) {
 * //   if (e instanceof VideoError) return reply.code(e.httpStatus).send(e.toJSON()); throw e; }
 */
export interface VideoService {
  readonly ffmpeg: FfmpegInstallation | FfmpegMissing;
  /** Hashes an uploaded video; `name` (the uploaded file name) is what error messages mention. */
  hashUpload(bytes: Uint8Array, name: string, options?: HashVideoOptions): Promise<VideoFileHash>;
  /** Hashes a video file on disk (e.g. a copy fetched for the known-copy sweep). */
  hashFile(path: string, options?: HashVideoOptions): Promise<VideoFileHash>;
}

/** Detects ffmpeg and returns the service; `defaults` (sample rate, limits, timeouts) apply to every call. */
export async function startVideoService(defaults: HashVideoOptions = {}): Promise<VideoService> {
  const paths: FfmpegPaths = resolveFfmpegPaths(defaults);
  const ffmpeg = await detectFfmpeg(paths);
  const ready = (): HashVideoOptions => {
    if (!ffmpeg.available) throw new VideoError('ffmpeg_missing', ffmpeg.message);
    return { ...defaults, ffmpegPath: ffmpeg.ffmpegPath, ffprobePath: ffmpeg.ffprobePath };
  };
  return {
    ffmpeg,
    async hashUpload(bytes, name, options = {}) {
      return hashVideoBytes(bytes, { ...ready(), ...options, displayName: name });
    },
    async hashFile(path, options = {}) {
      return hashVideoFile(path, { ...ready(), ...options });
    },
  };
}
