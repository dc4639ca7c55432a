import { runProcess } from './run-process.ts';

/** Where ffmpeg and ffprobe are, and which version answered. */
export interface FfmpegInstallation {
  available: true;
  ffmpegPath: string;
  ffprobePath: string;
  /** The first line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.6-0+deb12u1". */
  version: string;
}

/** ffmpeg is absent: `message` says how to install it; video routes answer 503 with it, images keep working. */
export interface FfmpegMissing {
  available: false;
  message: string;
}

export interface FfmpegPaths {
  /** Default: `ffmpeg` on PATH (TAKEDOWN_FFMPEG is read by the configuration, config/, and passed here). */
  ffmpegPath?: string;
  /** Default: `ffprobe` on PATH (likewise TAKEDOWN_FFPROBE). */
  ffprobePath?: string;
}

export function resolveFfmpegPaths(paths: FfmpegPaths = {}): Required<FfmpegPaths> {
  return {
    ffmpegPath: paths.ffmpegPath ?? 'ffmpeg',
    ffprobePath: paths.ffprobePath ?? 'ffprobe',
  };
}

export function ffmpegMissingMessage(what: string): string {
  return (
    `Video hashing needs ffmpeg and ffprobe, and ${what}. Install them: on Debian or Ubuntu ` +
    '`sudo apt-get install ffmpeg`, on macOS `brew install ffmpeg`; or set TAKEDOWN_FFMPEG and TAKEDOWN_FFPROBE ' +
    'to their paths. Until then videos cannot be hashed; images keep working.'
  );
}

/**
 * Checks once, at start, that ffmpeg and ffprobe run. Never throws: the server keeps serving images and
 * answers video routes with 503 and the returned message.
 *
 * @example
 * const ffmpeg = await detectFfmpeg();
 * if (!ffmpeg.available) log.warn(ffmpeg.message);
 */
export async function detectFfmpeg(paths: FfmpegPaths = {}): Promise<FfmpegInstallation | FfmpegMissing> {
  const { ffmpegPath, ffprobePath } = resolveFfmpegPaths(paths);
  let version = '';
  for (const [name, path] of [['ffmpeg', ffmpegPath], ['ffprobe', ffprobePath]] as const) {
    try {
      const result = await runProcess(path, ['-version'], 10_000);
      if (result.exitCode !== 0) {
        return { available: false, message: ffmpegMissingMessage(`"${path} -version" failed (${name})`) };
      }
      if (name === 'ffmpeg') version = result.stdout.split('\n')[0].trim();
    } catch {
      return { available: false, message: ffmpegMissingMessage(`${name} was not found (tried "${path}")`) };
    }
  }
  return { available: true, ffmpegPath, ffprobePath, version };
}
