import { describe, expect, it } from 'vitest';
import { dedupeConsecutiveFrames, VideoHashBuilder } from '../src/index.ts';
import { flipBits, randomHash, video } from './helpers.ts';

describe('dedupeConsecutiveFrames', () => {
  it('drops frames within the distance of the last kept frame, keeps index and timestamp of the kept ones', () => {
    const a = randomHash(1);
    const b = randomHash(2);
    const frames = video([a, flipBits(a, 1), flipBits(a, 2), flipBits(a, 3), b, b, a]).frames;
    const kept = dedupeConsecutiveFrames(frames, 2);
    expect(kept.map((f) => f.index)).toEqual([0, 3, 4, 6]);
    expect(kept.map((f) => f.timestamp)).toEqual([0, 3, 4, 6]);
  });

  it('compares with the last kept frame, so a slow drift is not collapsed into one frame', () => {
    const a = randomHash(3);
    // Each frame is 2 bits from the previous one, 4 and 6 bits from the first.
    const drift = video([a, flipBits(a, 2), flipBits(a, 4), flipBits(a, 6)]).frames;
    expect(dedupeConsecutiveFrames(drift, 2).map((f) => f.index)).toEqual([0, 2]);
  });

  it('keeps everything with a negative distance, and exact repeats only with distance 0', () => {
    const a = randomHash(4);
    const frames = video([a, a, flipBits(a, 1)]).frames;
    expect(dedupeConsecutiveFrames(frames, -1)).toHaveLength(3);
    expect(dedupeConsecutiveFrames(frames, 0).map((f) => f.index)).toEqual([0, 2]);
  });
});

describe('VideoHashBuilder', () => {
  const width = 64;
  const height = 48;
  const stripes = (period: number) => {
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb.fill(((i % width) / period) & 1 ? 255 : 0, i * 3, i * 3 + 3);
    return rgb;
  };

  it('picks every stride-th decoded frame and stamps it frameNumber / frameRate in float32, as the reference', () => {
    const builder = new VideoHashBuilder({ frameRate: 30000 / 1001 });
    expect(builder.stride).toBe(29);
    expect([0, 1, 28, 29, 58].map((n) => builder.wants(n))).toEqual([true, false, false, true, true]);
    builder.addFrame(stripes(4), width, height, 0);
    builder.addFrame(stripes(4), width, height, 29); // identical: kept, the reference does not prune
    builder.addFrame(stripes(9), width, height, 58);
    const hash = builder.toVideoHash();
    expect(builder.sampledFrames).toBe(3);
    expect(hash.type).toBe('vpdq');
    expect(hash.frames.map((f) => f.index)).toEqual([0, 29, 58]);
    expect(hash.frames[1].timestamp).toBe(Math.fround(29 / Math.fround(30000 / 1001)));
    expect(hash.frames[1].timestamp.toFixed(3)).toBe('0.968');
    expect(hash.frames[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('deduplicates consecutive frames when asked to', () => {
    const builder = new VideoHashBuilder({ frameRate: 2, dedupeDistanceBits: 2 });
    expect(builder.stride).toBe(2);
    builder.addFrame(stripes(4), width, height, 0);
    builder.addFrame(stripes(4), width, height, 2); // identical: dropped
    builder.addFrame(stripes(9), width, height, 4);
    expect(builder.sampledFrames).toBe(3);
    expect(builder.toVideoHash().frames.map((f) => [f.index, f.timestamp])).toEqual([[0, 0], [4, 2]]);
  });

  it('refuses a frame out of order or off the stride, and rates that are not positive numbers', () => {
    const builder = new VideoHashBuilder({ frameRate: 30 });
    builder.addHashedFrame(randomHash(1), 100, 30);
    expect(() => builder.addHashedFrame(randomHash(2), 100, 30)).toThrow(RangeError);
    expect(() => builder.addHashedFrame(randomHash(2), 100, 45)).toThrow(RangeError);
    expect(() => new VideoHashBuilder({ frameRate: 30, framesPerSecond: 0 })).toThrow(RangeError);
    expect(() => new VideoHashBuilder({ frameRate: 0 })).toThrow(RangeError);
  });
});
