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
  it('hashes frames with PDQ, stamps them from the sample rate and deduplicates', () => {
    const builder = new VideoHashBuilder({ framesPerSecond: 2 });
    const width = 64;
    const height = 48;
    const stripes = (period: number) => {
      const rgb = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) rgb.fill(((i % width) / period) & 1 ? 255 : 0, i * 3, i * 3 + 3);
      return rgb;
    };
    builder.addFrame(stripes(4), width, height);
    builder.addFrame(stripes(4), width, height); // identical: dropped
    builder.addFrame(stripes(9), width, height);
    const hash = builder.toVideoHash();
    expect(builder.sampledFrames).toBe(3);
    expect(hash.type).toBe('vpdq');
    expect(hash.frames.map((f) => [f.index, f.timestamp])).toEqual([[0, 0], [2, 1]]);
    expect(hash.frames[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a sample rate that is not a positive number', () => {
    expect(() => new VideoHashBuilder({ framesPerSecond: 0 })).toThrow(RangeError);
  });
});
