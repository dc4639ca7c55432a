import { spawn } from 'node:child_process';
import { lastErrorLine } from './run-process.ts';
import { ffmpegMissingMessage, resolveFfmpegPaths, type FfmpegPaths } from './detect-ffmpeg.ts';
import { VideoError } from './video-error.ts';

/** One decoded frame: packed RGB, 3 bytes per pixel, rows top to bottom. */
export interface RgbFrame {
  /** 0 for the first sampled frame. */
  index: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface StreamFramesOptions extends FfmpegPaths {
  /** Size of the frames ffmpeg will write (from {@link probeVideo}). */
  width: number;
  height: number;
  /** Frames sampled per second of video. Default 1. */
  framesPerSecond?: number;
  /** Decode at most this many seconds (a container that lies about its duration stops here). */
  maxDurationSeconds?: number;
  /** Kill ffmpeg when it writes nothing for this long. Default 30 000. */
  stallTimeoutMs?: number;
  /** Kill ffmpeg when the whole decode takes longer than this. Default 1 800 000 (30 minutes). */
  timeoutMs?: number;
  /** Name to use in error messages instead of the path. */
  displayName?: string;
}

/** The ffmpeg arguments that sample a file at `framesPerSecond` as raw RGB on stdout; shared with the benchmark. */
export function frameSamplingArgs(path: string, framesPerSecond: number, maxDurationSeconds?: number): string[] {
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    '-i', `file:${path}`,
    ...(maxDurationSeconds !== undefined ? ['-t', String(maxDurationSeconds)] : []),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    // One frame per 1/fps seconds: the frame on screen at t = i / fps, as a player (or the browser's
    // <video> seek) shows it. round=up makes it so: with the default rounding the fps filter takes the last
    // frame before t + 0.5 / fps, half a tick late, which the browser cannot reproduce.
    '-vf', `fps=${framesPerSecond}:round=up`,
    '-pix_fmt', 'rgb24',
  ];
}

/**
 * Decodes a video with ffmpeg and yields sampled frames as raw RGB read straight from its stdout: no
 * temporary file per frame, one frame in memory at a time (the async iteration pauses ffmpeg while the
 * consumer hashes). ffmpeg is killed when it stalls, when the time limit passes, or when the consumer stops.
 *
 * @example
 * for await (const frame of streamRgbFrames('clip.mp4', { width: 1280, height: 720 })) hash(frame.pixels);
 */
export async function* streamRgbFrames(path: string, options: StreamFramesOptions): AsyncGenerator<RgbFrame> {
  const { ffmpegPath } = resolveFfmpegPaths(options);
  const name = options.displayName ?? path;
  const { width, height } = options;
  const framesPerSecond = options.framesPerSecond ?? 1;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 1_800_000;
  const frameBytes = width * height * 3;
  const args = [...frameSamplingArgs(path, framesPerSecond, options.maxDurationSeconds), '-f', 'rawvideo', 'pipe:1'];

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
          yield { index: index++, width, height, pixels: frame };
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
