import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVideoHashes, VideoBank } from '@takedown/vpdq';
import {
  detectFfmpeg,
  hashVideoBytes,
  hashVideoFile,
  probeVideo,
  streamRgbFrames,
  VideoError,
  type VideoFileHash,
} from '../../../src/media/video/index.ts';
import {
  fixtureDir,
  H264,
  image,
  originalSegments,
  otherPhotoSegments,
  renderVideo,
  requireFfmpeg,
  transcode,
  VECTOR_IMAGES,
} from '@takedown/testing/videos';

const run = promisify(execFile);
let dir: string;
const files: Record<string, string> = {};
const hashes: Record<string, VideoFileHash> = {};

// The copies a platform would meet: other codec, bitrate, resolution, frame rate, a few seconds cut.
const REENCODES: Record<string, string[]> = {
  'vp9-320x240-300k.webm': ['--', '-c:v', 'libvpx-vp9', '-b:v', '300k', '-deadline', 'realtime', '-cpu-used', '8', '-vf', 'scale=320:240'],
  'mpeg4-15fps.avi': ['--', '-c:v', 'mpeg4', '-q:v', '8', '-r', '15'],
  'hevc-400x300.mkv': ['--', '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '30', '-vf', 'scale=400:300', '-x265-params', 'log-level=error'],
  'h264-cut-2s-start-1s-end.mp4': ['-ss', '2', '--', '-t', '17', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28'],
};

beforeAll(async () => {
  await requireFfmpeg();
  dir = await fixtureDir();
  const small = { width: 320, height: 240, rate: 10, encode: H264 };
  const original = renderVideo(join(dir, 'original.mp4'), originalSegments(), { width: 480, height: 360, rate: 25, encode: H264 });
  await Promise.all([
    original.then((path) =>
      Promise.all(Object.entries(REENCODES).map(([name, args]) => transcode(path, join(dir, name), args))),
    ),
    renderVideo(join(dir, 'other-photos.mp4'), otherPhotoSegments(), small),
    renderVideo(join(dir, 'testsrc2.mp4'), [{ lavfi: 'testsrc2=size=320x240:rate=10', seconds: 8 }], small),
    renderVideo(join(dir, 'life.mp4'), [{ lavfi: 'life=size=320x240:rate=10:mold=10:ratio=0.4', seconds: 8 }], small),
    // 60 seconds with a 2-second clip at 37 s; the clip itself is rendered apart, at another size and codec.
    renderVideo(
      join(dir, 'long-60s.mp4'),
      [
        { lavfi: 'life=size=320x240:rate=10:mold=10:ratio=0.4:seed=7', seconds: 37 },
        image('reg-test-input/dih/bridge-7-flip-plus-1.jpg', 1),
        image('reg-test-input/exif-rotn/exif-rotn-8.jpg', 1),
        { lavfi: 'cellauto=size=320x240:rate=10:rule=110', seconds: 21 },
      ],
      small,
    ),
    renderVideo(
      join(dir, 'clip-2s.webm'),
      [image('reg-test-input/dih/bridge-7-flip-plus-1.jpg', 1), image('reg-test-input/exif-rotn/exif-rotn-8.jpg', 1)],
      { width: 480, height: 360, rate: 25, encode: ['-c:v', 'libvpx-vp9', '-b:v', '400k', '-deadline', 'realtime', '-cpu-used', '8'] },
    ),
  ]);
  for (const name of ['original.mp4', ...Object.keys(REENCODES), 'other-photos.mp4', 'testsrc2.mp4', 'life.mp4', 'long-60s.mp4', 'clip-2s.webm']) {
    files[name] = join(dir, name);
  }
  // Two at a time: the machine has two cores.
  const names = Object.keys(files);
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(names.slice(i, i + 2).map(async (name) => (hashes[name] = await hashVideoFile(files[name]))));
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('detectFfmpeg', () => {
  it('finds the installed ffmpeg and ffprobe', async () => {
    const found = await detectFfmpeg();
    expect(found.available).toBe(true);
    if (found.available) expect(found.version).toMatch(/^ffmpeg version/);
  });

  it('says how to install ffmpeg when it is absent', async () => {
    const found = await detectFfmpeg({ ffmpegPath: '/nonexistent/ffmpeg' });
    expect(found.available).toBe(false);
    if (!found.available) expect(found.message).toMatch(/apt-get install ffmpeg/);
  });
});

describe('hashVideoFile', () => {
  it('hashes every 25th frame of a 25 fps video as PDQ with the reference\'s frame numbers and timestamps, plus MD5 and SHA-256', async () => {
    const hash = hashes['original.mp4'];
    const bytes = await readFile(files['original.mp4']);
    expect(hash).toMatchObject({
      type: 'vpdq',
      framesPerSecond: 1,
      frameRate: 25,
      stride: 25,
      sampledFrames: 20,
      width: 480,
      height: 360,
      rotation: 0,
      codec: 'h264',
      md5: createHash('md5').update(bytes).digest('hex'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(hash.durationSeconds).toBeCloseTo(20, 1);
    // Every hashed frame is kept, as Meta's vpdq-hash-video writes them (photos shown 2 s give 2 frames each).
    expect(hash.frames.length).toBe(20);
    for (const frame of hash.frames) {
      expect(frame.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(frame.index).toBe(frame.timestamp * 25);
      expect(frame.quality).toBeGreaterThanOrEqual(50);
    }
    expect(hash.frames.slice(0, 3).map((f) => f.index)).toEqual([0, 25, 50]);
  });

  it('prunes consecutive near-identical frames only when asked to', async () => {
    const hash = await hashVideoFile(files['original.mp4'], { dedupeDistanceBits: 2 });
    // 8 photos shown 2 s each collapse to one frame each; the 4 zooming seconds stay.
    expect(hash.frames.length).toBe(12);
    expect(hash.sampledFrames).toBe(20);
    expect(hash.frames.slice(0, 3).map((f) => f.timestamp)).toEqual([0, 2, 4]);
  });

  it('takes the sample rate and the deduplication distance as options', async () => {
    const hash = await hashVideoFile(files['other-photos.mp4'], { framesPerSecond: 2, dedupeDistanceBits: -1 });
    expect(hash.sampledFrames).toBe(20);
    expect(hash.frames).toHaveLength(20);
    expect(hash.frames.slice(0, 3).map((f) => f.timestamp)).toEqual([0, 0.5, 1]);
  });

  it('hashes an upload held in memory the same way as the file', async () => {
    const bytes = await readFile(files['other-photos.mp4']);
    const fromBytes = await hashVideoBytes(bytes, { displayName: 'upload.mp4' });
    expect(fromBytes.frames).toEqual(hashes['other-photos.mp4'].frames);
    expect(fromBytes.sha256).toBe(hashes['other-photos.mp4'].sha256);
  });
});

describe('matching re-encoded copies', () => {
  for (const name of Object.keys(REENCODES)) {
    it(`matches the original with ${name} both ways`, () => {
      const forward = compareVideoHashes(hashes[name], hashes['original.mp4']);
      const backward = compareVideoHashes(hashes['original.mp4'], hashes[name]);
      expect(forward.isMatch, JSON.stringify(forward)).toBe(true);
      expect(backward.isMatch, JSON.stringify(backward)).toBe(true);
      expect(forward.queryMatchPercent).toBe(backward.comparedMatchPercent);
    });
  }

  for (const name of ['other-photos.mp4', 'testsrc2.mp4', 'life.mp4', 'long-60s.mp4']) {
    it(`does not match the original with the different video ${name}`, () => {
      const result = compareVideoHashes(hashes[name], hashes['original.mp4']);
      expect(result.isMatch).toBe(false);
      expect(result.queryMatchPercent).toBeLessThan(20);
      expect(result.comparedMatchPercent).toBeLessThan(20);
    });
  }

  it('finds a 2-second clip inside a 60-second video, at 37–38 s', () => {
    const result = compareVideoHashes(hashes['clip-2s.webm'], hashes['long-60s.mp4']);
    expect(result.queryMatchPercent).toBe(100);
    expect(result.comparedSegments).toEqual([{ startSeconds: 37, endSeconds: 38, frames: 2 }]);
    expect(result.isMatch).toBe(false); // the long video is mostly something else
  });

  it('finds the same through a bank of videos, over all frames', () => {
    const bank = new VideoBank();
    const banked = ['original.mp4', 'other-photos.mp4', 'testsrc2.mp4', 'life.mp4', 'long-60s.mp4'];
    banked.forEach((name, id) => bank.add(id, hashes[name]));
    const [clipHit, ...others] = bank.query(hashes['clip-2s.webm']);
    expect(others).toEqual([]);
    expect(clipHit).toMatchObject({ videoId: 4, queryMatchPercent: 100 });
    expect(clipHit.comparedSegments).toEqual([{ startSeconds: 37, endSeconds: 38, frames: 2 }]);
    const copy = bank.query(hashes['vp9-320x240-300k.webm'], { onlyMatches: true });
    expect(copy.map((m) => m.videoId)).toEqual([0]);
  });
});

describe('bad input', () => {
  async function failure(promise: Promise<unknown>): Promise<VideoError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VideoError);
    return error as VideoError;
  }

  it('names a file that is not a video', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'not a video at all\n'.repeat(100));
    const error = await failure(hashVideoFile(path));
    expect(error.code).toBe('not_a_video');
    expect(error.message).toContain(path);
    expect(error.httpStatus).toBe(422);
  });

  it('names a corrupt (truncated) video', async () => {
    const bytes = await readFile(files['original.mp4']);
    const path = join(dir, 'truncated.mp4');
    await writeFile(path, bytes.subarray(0, bytes.length >> 1));
    const error = await failure(hashVideoFile(path));
    expect(['not_a_video', 'video_decode_failed']).toContain(error.code);
    expect(error.message).toContain(path);
  });

  it('refuses a still image, an audio file and a missing file', async () => {
    const jpeg = join(VECTOR_IMAGES, 'reg-test-input/dih/bridge-1-original.jpg');
    expect((await failure(hashVideoFile(jpeg))).message).toMatch(/still image/);
    const audio = join(dir, 'tone.m4a');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', audio]);
    expect((await failure(hashVideoFile(audio))).message).toMatch(/no video stream/);
    expect((await failure(hashVideoFile(join(dir, 'missing.mp4')))).code).toBe('file_unreadable');
  });

  it('refuses videos over the duration and resolution limits before decoding', async () => {
    const long = await failure(hashVideoFile(files['long-60s.mp4'], { maxDurationSeconds: 30 }));
    expect(long.code).toBe('video_too_long');
    expect(long.httpStatus).toBe(413);
    const large = await failure(hashVideoFile(files['original.mp4'], { maxWidth: 320 }));
    expect(large.code).toBe('video_too_large');
    expect(large.message).toContain('480×360');
  });

  it('kills a hung ffprobe or ffmpeg after the timeout', async () => {
    // A named pipe nobody writes to: opening it blocks forever, as on a stalled network mount.
    const fifo = join(dir, 'hung.mp4');
    await run('mkfifo', [fifo]);
    const probe = await failure(probeVideo(fifo, { timeoutMs: 500 }));
    expect(probe.code).toBe('video_timeout');
    expect(probe.message).toContain(fifo);
    const frames = streamRgbFrames(fifo, { width: 320, height: 240, stallTimeoutMs: 500 });
    const stream = await failure(frames.next());
    expect(stream.code).toBe('video_timeout');
  });

  it('reports ffmpeg missing with how to install it (503)', async () => {
    const error = await failure(hashVideoFile(files['original.mp4'], { ffprobePath: '/nonexistent/ffprobe' }));
    expect(error.code).toBe('ffmpeg_missing');
    expect(error.httpStatus).toBe(503);
    expect(error.message).toMatch(/apt-get install ffmpeg/);
  });
});
