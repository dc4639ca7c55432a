// The browser's YUV → RGB (yuv420ToRgb in @takedown/vpdq) against ffmpeg's swscale as the server and Meta's
// reference call it, byte for byte, on every hashed frame of the even-sized vector clips and on a
// full-range clip made here.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yuv420ToRgb } from '@takedown/vpdq';
import { vectorPath, VPDQ_VECTORS } from '@takedown/testing/vpdq-vectors';
import { requireFfmpeg } from '@takedown/testing/videos';

let dir: string;

beforeAll(async () => {
  await requireFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'takedown-yuv-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The picked frames as decoded planes and as the server's ffmpeg converts them. */
function decode(path: string, stride: number, pixelFormat: string, range: string): { yuv: Buffer; rgb: Buffer } {
  const run = (filter: string) =>
    execFileSync('ffmpeg', ['-v', 'error', '-noautorotate', '-i', path, '-vf', `select='not(mod(n,${stride}))',${filter}`, '-vsync', 'passthrough', '-f', 'rawvideo', '-'], {
      maxBuffer: 1 << 30,
    });
  return {
    yuv: run(`format=${pixelFormat}`),
    rgb: run(`scale=flags=area:in_color_matrix=bt601:in_range=${range},format=rgb24`),
  };
}

function expectSameRgb(yuv: Buffer, rgb: Buffer, width: number, height: number, fullRange: boolean): number {
  const frameBytes = (width * height * 3) / 2;
  const frames = yuv.length / frameBytes;
  for (let i = 0; i < frames; i++) {
    const planes = new Uint8Array(yuv.buffer, yuv.byteOffset + i * frameBytes, frameBytes);
    const layout = [
      { offset: 0, stride: width },
      { offset: width * height, stride: width / 2 },
      { offset: (width * height * 5) / 4, stride: width / 2 },
    ] as const;
    const ours = yuv420ToRgb(planes, layout, width, height, fullRange);
    const theirs = rgb.subarray(i * width * height * 3, (i + 1) * width * height * 3);
    // Buffer.compare: one mismatch report instead of millions of elements.
    expect(Buffer.compare(Buffer.from(ours), theirs), `frame ${i}`).toBe(0);
  }
  return frames;
}

describe('yuv420ToRgb', () => {
  for (const video of VPDQ_VECTORS.videos.filter((v) => v.width % 2 === 0 && v.height % 2 === 0)) {
    it(`gives swscale's RGB on every hashed frame of ${video.file}`, () => {
      const { yuv, rgb } = decode(vectorPath(video.file), video.stride, 'yuv420p', 'limited');
      expect(expectSameRgb(yuv, rgb, video.width, video.height, false)).toBe(video.reference_frame_count);
    });
  }

  it("gives swscale's RGB for full-range (yuvj420p) video", () => {
    const path = join(dir, 'full-range.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=852x480:rate=10', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuvj420p', '-y', path]);
    const { yuv, rgb } = decode(path, 10, 'yuvj420p', 'full');
    expect(expectSameRgb(yuv, rgb, 852, 480, true)).toBe(2);
  });

  it('refuses an odd size, which swscale converts on another path', () => {
    expect(() => yuv420ToRgb(new Uint8Array(100), [{ offset: 0, stride: 3 }, { offset: 9, stride: 2 }, { offset: 13, stride: 2 }], 3, 3, false)).toThrow(RangeError);
  });
});
