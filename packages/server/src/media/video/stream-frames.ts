import { spawn } from 'node:child_process';
import { lastErrorLine } from './run-process.ts';
import { ffmpegMissingMessage, resolveFfmpegPaths, type FfmpegPaths } from './detect-ffmpeg.ts';
import { VideoError } from './video-error.ts';

/** One picked frame: packed RGB, 3 bytes per pixel, rows top to bottom, as stored (no rotation applied). */
export interface RgbFrame {
  /** Its number among all decoded frames (0 for the first): Meta's vPDQ `frameNumber`. */
  frameNumber: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface StreamFramesOptions extends FfmpegPaths {
  /** Coded size of the frames ffmpeg will write (from {@link probeVideo}). */
  width: number;
  height: number;
  /** Pick every this many decoded frames (see `vpdqStride`). Default 1: every frame. */
  stride?: number;
  /** The decoder's pixel format from {@link probeVideo}: "yuvj…" formats are full range, other YUV limited. */
  pixelFormat?: string;
  /** Decode at most this many seconds (a container that lies about its duration stops here). */
  maxDurationSeconds?: number;
  /** Kill ffmpeg when it writes nothing for this long. Default 30 000. */
  stallTimeoutMs?: number;
  /** Kill ffmpeg when the whole decode takes longer than this. Default 1 800 000 (30 minutes). */
  timeoutMs?: number;
  /** Name to use in error messages instead of the path. */
  displayName?: string;
}

/**
 * The ffmpeg arguments that write the frames Meta's `vpdq-hash-video` hashes as raw RGB on stdout (shared
 * with the benchmark): every decoded frame counted, every `stride`-th picked by its count (`select` numbers
 * the frames it receives from 0, as the reference's `frame_number - 1`), converted at the coded size to RGB24
 * with area scaling as the reference's `sws_scale` context (ffmpegwrapper.h: SWS_AREA, default colorspace).
 */
export function frameSamplingArgs(path: string, stride: number, pixelFormat = '', maxDurationSeconds?: number): string[] {
  // sws_getContext with no colour details uses BT.601 and takes the range from the pixel format alone; the
  // scale filter would otherwise read the frame's tags (BT.709, range) and give other RGB values.
  const range = pixelFormat.startsWith('yuvj') ? ':in_range=full' : pixelFormat.startsWith('yuv') ? ':in_range=limited' : '';
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    // The reference never reads the display matrix: a phone video flagged "rotate 90" is hashed as stored.
    '-noautorotate',
    '-i', `file:${path}`,
    ...(maxDurationSeconds !== undefined ? ['-t', String(maxDurationSeconds)] : []),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    // (The quotes keep the comma inside mod() from ending the filter.)
    '-vf', `select='not(mod(n,${stride}))',scale=flags=area:in_color_matrix=bt601${range},format=rgb24`,
    // Frames out as they come: no duplicates or drops to fit a frame rate (variable frame rate stays as decoded).
    '-vsync', 'passthrough',
  ];
}

/**
 * Decodes a video with ffmpeg and yields the picked frames as raw RGB read straight from its stdout: no
 * temporary file per frame, one frame in memory at a time (the async iteration pauses ffmpeg while the
 * consumer hashes). ffmpeg is killed when it stalls, when the time limit passes, or when the consumer stops.
 *
 * @example
 * for await (const frame of streamRgbFrames('clip.mp4', { width: 1280, height: 720, stride: 30 })) hash(frame.pixels);
 */
export async function* streamRgbFrames(path: string, options: StreamFramesOptions): AsyncGenerator<RgbFrame> {
  const { ffmpegPath } = resolveFfmpegPaths(options);
  const name = options.displayName ?? path;
  const { width, height } = options;
  const stride = options.stride ?? 1;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 1_800_000;
  const frameBytes = width * height * 3;
  const args = [...frameSamplingArgs(path, stride, options.pixelFormat, options.maxDurationSeconds), '-f', 'rawvideo', 'pipe:1'];

  const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 64_000) stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; spawnError?: Error }>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, spawnError }));
    child.on('close', (code) => resolve({ code }));
  });

  let stopReason: string | undefined;
  const kill = (reason: string) => {
    stopReason ??= reason;
    child.kill('SIGKILL');
  };
  const totalTimer = setTimeout(() => kill(`took longer than ${timeoutMs} ms`), timeoutMs);
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => kill(`produced nothing for ${stallTimeoutMs} ms`), stallTimeoutMs);
  };

  let index = 0;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let finished = false;
  try {
    armStallTimer();
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          // The stall clock measures ffmpeg, not the consumer: stop it while the frame is being hashed.
          clearTimeout(stallTimer);
          yield { frameNumber: index++ * stride, width, height, pixels: frame };
          frame = new Uint8Array(frameBytes);
          filled = 0;
          armStallTimer();
        }
      }
    }
    const { code, spawnError } = await exited;
    finished = true;
    if (spawnError) {
      throw new VideoError('ffmpeg_missing', ffmpegMissingMessage(`ffmpeg could not be started ("${ffmpegPath}")`), {
        cause: spawnError,
      });
    }
    if (stopReason) {
      throw new VideoError('video_timeout', `Decoding "${name}" was stopped: ffmpeg ${stopReason}.`);
    }
    if (code !== 0) {
      throw new VideoError(
        'video_decode_failed',
        `ffmpeg could not decode "${name}" (${lastErrorLine(stderr) || `exit code ${code}`}). The file may be corrupt or truncated.`,
      );
    }
    if (filled !== 0 || index === 0) {
      throw new VideoError(
        'video_decode_failed',
        index === 0
          ? `ffmpeg found no frame to decode in "${name}". The file may be corrupt or empty.`
          : `ffmpeg stopped in the middle of a frame of "${name}". The file may be corrupt.`,
      );
    }
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(stallTimer);
    // The consumer stopped early or something threw: never leave ffmpeg running.
    if (!finished) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
