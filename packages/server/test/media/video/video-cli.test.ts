// `takedown hash` and `takedown compare` on videos, run as the real CLI process; and the server's video
// service with ffmpeg present and absent.
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVideoService, VideoError } from '../../../src/media/video/index.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { fixtureDir, H264, image, renderVideo, requireFfmpeg, transcode, VECTOR_IMAGES } from '@takedown/testing/videos';

let dir: string;
let clip: string;
let copy: string;
let other: string;

const takedown = (...args: string[]) => runCli(args);

beforeAll(async () => {
  await requireFfmpeg();
  dir = await fixtureDir();
  const small = { width: 320, height: 240, rate: 10, encode: H264 };
  clip = await renderVideo(
    join(dir, 'clip.mp4'),
    [
      image('reg-test-input/pen-and-coaster.png', 2),
      image('reg-test-input/dih/bridge-1-original.jpg', 2),
      { lavfi: 'mandelbrot=size=320x240:rate=10', seconds: 2 },
    ],
    small,
  );
  [copy, other] = await Promise.all([
    transcode(clip, join(dir, 'copy.webm'), ['--', '-c:v', 'libvpx-vp9', '-b:v', '200k', '-deadline', 'realtime', '-cpu-used', '8']),
    renderVideo(join(dir, 'other.mp4'), [{ lavfi: 'testsrc2=size=320x240:rate=10', seconds: 4 }], small),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('takedown hash on videos', () => {
  it("prints Meta's frameNumber,quality,hash,timestamp lines, named by a # line among several files, and still hashes images", async () => {
    const photo = join(VECTOR_IMAGES, 'misc-images/wee.jpg');
    const alone = await takedown('hash', clip);
    expect(alone.code).toBe(0);
    const frameLines = alone.stdout.trimEnd().split('\n');
    // 10 fps: every 10th frame, 6 seconds.
    expect(frameLines.map((line) => line.split(',')[0])).toEqual(['0', '10', '20', '30', '40', '50']);
    for (const line of frameLines) expect(line).toMatch(/^\d+,\d+,[0-9a-f]{64},\d+\.\d{3}$/);
    const { code, stdout } = await takedown('hash', clip, photo);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`# ${clip}`);
    expect(lines.slice(1, 7)).toEqual(frameLines);
    expect(lines[7]).toMatch(new RegExp(`^[0-9a-f]{64},\\d+,${photo}$`));
  });

  it('prints one JSON object per video with --json', async () => {
    const { code, stdout } = await takedown('hash', '--json', clip);
    expect(code).toBe(0);
    const record = JSON.parse(stdout);
    expect(record).toMatchObject({ type: 'vpdq', path: clip, framesPerSecond: 1, frameRate: 10, stride: 10, sampledFrames: 6, width: 320, height: 240 });
    expect(record.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.frames[0]).toMatchObject({ index: 0, timestamp: 0 });
  });

  it('names a broken video on stderr and exits 2', async () => {
    const broken = join(dir, 'broken.mp4');
    const bytes = Buffer.alloc(4096, 7);
    bytes.write('\0\0\0\x18ftypisom', 0, 'latin1');
    await writeFile(broken, bytes);
    const { code, stderr } = await takedown('hash', broken);
    expect(code).toBe(2);
    expect(stderr).toContain(broken);
  });
});

describe('takedown compare', () => {
  it('prints both percentages and the verdict for a re-encoded copy', async () => {
    const { code, stdout } = await takedown('compare', clip, copy);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^query +.*clip\.mp4: \d+ frames, 100\.00 % matched$/m);
    expect(stdout).toMatch(/^compared +.*copy\.webm: \d+ frames, 100\.00 % matched$/m);
    expect(stdout).toMatch(/^verdict +match /m);
  });

  it('says no match for a different video, as JSON with --json', async () => {
    const { code, stdout } = await takedown('compare', '--json', clip, other);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ isMatch: false, queryMatchPercent: 0, comparedMatchPercent: 0 });
    expect(result.thresholds).toEqual({ distanceThresholdBits: 31, qualityThreshold: 50, queryMatchThresholdPercent: 80, comparedMatchThresholdPercent: 80 });
  });

  it('compares a saved hash with a video, and takes thresholds as options', async () => {
    const saved = join(dir, 'clip.json');
    await writeFile(saved, (await takedown('hash', '--json', clip)).stdout);
    const { stdout } = await takedown('compare', '--json', '--distance', '0', '--quality', '60', saved, copy);
    const result = JSON.parse(stdout);
    expect(result.thresholds).toMatchObject({ distanceThresholdBits: 0, qualityThreshold: 60 });
  });

  it('exits 1 on a usage error and 2 when a file is not a video', async () => {
    expect((await takedown('compare', clip)).code).toBe(1);
    expect((await takedown('compare', '--distance', 'many', clip, copy)).code).toBe(1);
    const notVideo = await takedown('compare', clip, join(VECTOR_IMAGES, 'misc-images/wee.jpg'));
    expect(notVideo.code).toBe(2);
    expect(notVideo.stderr).toMatch(/wee\.jpg.*still image/);
  });
});

describe('startVideoService', () => {
  it('hashes uploads when ffmpeg is present', async () => {
    const service = await startVideoService();
    expect(service.ffmpeg.available).toBe(true);
    const { readFile } = await import('node:fs/promises');
    const hash = await service.hashUpload(await readFile(clip), 'upload.mp4');
    expect(hash.sampledFrames).toBe(6);
  });

  it('answers every call with ffmpeg_missing (503) and the install advice when ffmpeg is absent', async () => {
    const service = await startVideoService({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' });
    expect(service.ffmpeg.available).toBe(false);
    const error = await service.hashFile(clip).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoError);
    expect((error as VideoError).httpStatus).toBe(503);
    expect((error as VideoError).toJSON().error.message).toMatch(/apt-get install ffmpeg/);
  });
});
