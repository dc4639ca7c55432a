import { vpdqFrameRate } from '@takedown/vpdq';
import { lastErrorLine, runProcess } from './run-process.ts';
import { ffmpegMissingMessage, resolveFfmpegPaths, type FfmpegPaths } from './detect-ffmpeg.ts';
import { VideoError } from './video-error.ts';

/** What ffprobe says about a video's first video stream. */
export interface VideoProbe {
  /** Container, as ffprobe names it (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"). */
  container: string;
  codec: string;
  /**
   * Size of the decoded frames as stored (coded), before any rotation: what Meta's vPDQ hashes. A phone video
   * flagged "rotate 90" is portrait on screen but stored, and hashed, landscape.
   */
  width: number;
  height: number;
  /** The display matrix's rotation in degrees as ffprobe reports it (e.g. -90); 0 when none. Not applied. */
  rotation: number;
  /** The decoder's pixel format (e.g. "yuv420p", "yuvj420p"): sets the range of the RGB conversion. */
  pixelFormat: string;
  /** Seconds; 0 when the container does not say. */
  durationSeconds: number;
  /** Frames per second of the stream as vPDQ reads it (`avg_frame_rate`, else `r_frame_rate`); 0 when unknown. */
  frameRate: number;
}

export interface ProbeOptions extends FfmpegPaths {
  /** Kill ffprobe after this long (a named pipe or stalled mount must not hang). Default 30 000. */
  timeoutMs?: number;
  /** Name to use in error messages instead of the path (e.g. the uploaded file's name). */
  displayName?: string;
}

// Demuxers that hold one still image: these are images (hashed with PDQ), not videos.
// ffmpeg's "tty" demuxer renders any text file as a video of ANSI art: text is not a video for us.
const TEXT_CONTAINER = /(^|,)tty(,|$)/;
const STILL_IMAGE_CONTAINER = /(^|,)(image2|[a-z0-9]+_pipe|gif|apng|webp)(,|$)/;

interface FfprobeJson {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    pix_fmt?: string;
    duration?: string;
    disposition?: { attached_pic?: number };
    side_data_list?: { rotation?: number }[];
  }[];
  format?: { format_name?: string; duration?: string };
}

/**
 * Reads a file's container and first video stream with ffprobe. Throws {@link VideoError}: `not_a_video` for
 * files with no video stream (audio, text, corrupt data) or holding a still image, `video_timeout`,
 * `ffmpeg_missing`.
 */
export async function probeVideo(path: string, options: ProbeOptions = {}): Promise<VideoProbe> {
  const { ffprobePath } = resolveFfmpegPaths(options);
  const name = options.displayName ?? path;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const args = [
    '-v', 'error',
    '-show_entries',
    'stream=codec_type,codec_name,width,height,pix_fmt,avg_frame_rate,r_frame_rate,duration:stream_disposition=attached_pic:' +
      'stream_side_data=rotation:format=format_name,duration',
    '-of', 'json',
    // "file:" keeps a name such as "concat:…" or "http://…" from being read as a protocol.
    `file:${path}`,
  ];
  let result;
  try {
    result = await runProcess(ffprobePath, args, timeoutMs);
  } catch (error) {
    throw new VideoError('ffmpeg_missing', ffmpegMissingMessage(`ffprobe could not be started ("${ffprobePath}")`), {
      cause: error,
    });
  }
  if (result.timedOut) {
    throw new VideoError('video_timeout', `Reading "${name}" took longer than ${timeoutMs} ms and was stopped.`);
  }
  if (result.exitCode !== 0) {
    const reason = lastErrorLine(result.stderr);
    if (/No such file|Permission denied/i.test(reason)) {
      throw new VideoError('file_unreadable', `Cannot read "${name}": ${reason.replace(/^.*?: /, '')}.`);
    }
    throw new VideoError(
      'not_a_video',
      `"${name}" is not a video ffmpeg can read (${reason || 'unrecognised data'}). Check that the file is complete.`,
    );
  }
  let info: FfprobeJson;
  try {
    info = JSON.parse(result.stdout) as FfprobeJson;
  } catch {
    throw new VideoError('not_a_video', `"${name}" could not be read as a video (ffprobe gave no usable answer).`);
  }
  const container = info.format?.format_name ?? '';
  const stream = info.streams?.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!stream || !stream.width || !stream.height || TEXT_CONTAINER.test(container)) {
    throw new VideoError('not_a_video', `"${name}" holds no video stream. Send a video file (MP4, WebM, MOV, MKV…).`);
  }
  if (STILL_IMAGE_CONTAINER.test(container)) {
    throw new VideoError('not_a_video', `"${name}" is a still image (${container}), not a video: hash it as an image.`);
  }
  const durationSeconds = Number(info.format?.duration ?? stream.duration ?? 0);
  return {
    container,
    codec: stream.codec_name ?? 'unknown',
    width: stream.width,
    height: stream.height,
    rotation: stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0,
    pixelFormat: stream.pix_fmt ?? '',
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0,
    frameRate: vpdqFrameRate(stream.avg_frame_rate, stream.r_frame_rate),
  };
}
