// Test videos made at test time with ffmpeg, from the PDQ vector images and lavfi sources: nothing binary is
// checked in, and every clip is small (≤ 480×360, ≤ 60 s at low frame rates) so the suite stays fast.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VECTORS_DIR } from './vectors.ts';

const run = promisify(execFile);

export const VECTOR_IMAGES = join(VECTORS_DIR, 'images');

/** Throws with install instructions when ffmpeg is absent: video tests fail loudly, they never skip. */
export async function requireFfmpeg(): Promise<void> {
  try {
    await run('ffmpeg', ['-version']);
    await run('ffprobe', ['-version']);
  } catch {
    throw new Error(
      'ffmpeg and ffprobe are required by the video tests and were not found on PATH. Install them ' +
        '(Debian/Ubuntu: sudo apt-get install ffmpeg) and run the tests again.',
    );
  }
}

/** A piece of a test video: a still image shown for a while, or a lavfi source. */
export type Segment = { image: string; seconds: number } | { lavfi: string; seconds: number };

export function image(relativePath: string, seconds: number): Segment {
  return { image: join(VECTOR_IMAGES, relativePath), seconds };
}

/** Renders segments one after the other into a video of `width`×`height` at `rate` fps with the given encoder args. */
export async function renderVideo(
  out: string,
  segments: Segment[],
  options: { width: number; height: number; rate: number; encode: string[] },
): Promise<string> {
  const { width, height, rate } = options;
  const inputs: string[] = [];
  const filters: string[] = [];
  segments.forEach((segment, i) => {
    const fit =
      `scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
      `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
    if ('image' in segment) {
      // Decode and scale the photo once, then repeat the scaled frame (re-reading a 12-megapixel JPEG for
      // every output frame would make the fixtures slow).
      inputs.push('-i', segment.image);
      const repeats = Math.round(segment.seconds * rate) - 1;
      filters.push(`[${i}:v]${fit},loop=loop=${repeats}:size=1:start=0,setpts=N/${rate}/TB,fps=${rate}[v${i}]`);
    } else {
      inputs.push('-f', 'lavfi', '-t', String(segment.seconds), '-i', segment.lavfi);
      filters.push(`[${i}:v]${fit},fps=${rate}[v${i}]`);
    }
  });
  const concat = `${segments.map((_, i) => `[v${i}]`).join('')}concat=n=${segments.length}:v=1:a=0[out]`;
  await run('ffmpeg', [
    '-nostdin', '-v', 'error', '-y', ...inputs,
    '-filter_complex', [...filters, concat].join(';'),
    '-map', '[out]', ...options.encode, out,
  ]);
  return out;
}

/** Re-encodes a video (a copy found elsewhere: other codec, size, rate, bitrate, cut). */
export async function transcode(input: string, out: string, args: string[]): Promise<string> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args.slice(0, args.indexOf('--')), '-i', input, ...args.slice(args.indexOf('--') + 1), out]);
  return out;
}

export const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'];

export async function fixtureDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'takedown-video-test-'));
}

/** The clip every "same video" test starts from: 8 photos (2 s each) then a 4-second Mandelbrot zoom. */
export function originalSegments(): Segment[] {
  return [
    image('reg-test-input/dih/bridge-4-rotate-270.jpg', 2),
    image('reg-test-input/dih/bridge-1-original.jpg', 2),
    image('reg-test-input/labelme-subset/q0291.jpg', 2),
    image('reg-test-input/pen-and-coaster.png', 2),
    image('reg-test-input/labelme-subset/q0746.jpg', 2),
    image('reg-test-input/exif-rotn/exif-rotn-1.jpg', 2),
    image('reg-test-input/dih/bridge-3-rotate-180.jpg', 2),
    image('misc-images/c.png', 2),
    { lavfi: 'mandelbrot=size=480x360:rate=25', seconds: 4 },
  ];
}

/** Another clip made of other pictures: must not match the original. */
export function otherPhotoSegments(): Segment[] {
  return [
    image('reg-test-input/dih/bridge-2-rotate-90.jpg', 2),
    image('reg-test-input/exif-rotn/exif-rotn-6.jpg', 2),
    image('reg-test-input/dih/bridge-6-flipy.jpg', 2),
    image('reg-test-input/exif-rotn/exif-rotn-3.jpg', 2),
    image('reg-test-input/dih/bridge-8-flip-minus-1.jpg', 2),
  ];
}
