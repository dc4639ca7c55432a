import { describe, expect, it } from 'vitest';
import { compareVideoHashes, DEFAULT_VIDEO_MATCH_THRESHOLDS } from '../src/index.ts';
import { flipBits, randomHash, video } from './helpers.ts';

const frames = (from: number, count: number) => Array.from({ length: count }, (_, i) => randomHash(from + i));

describe('compareVideoHashes', () => {
  it('matches a video with itself at 100 % both ways', () => {
    const a = video(frames(1, 10));
    const result = compareVideoHashes(a, a);
    expect(result).toMatchObject({ queryMatchPercent: 100, comparedMatchPercent: 100, isMatch: true });
    expect(result.thresholds).toEqual(DEFAULT_VIDEO_MATCH_THRESHOLDS);
  });

  it('counts a frame as matched at distance 31 and not at 32', () => {
    const base = randomHash(5);
    expect(compareVideoHashes(video([base]), video([flipBits(base, 31)])).queryMatchPercent).toBe(100);
    expect(compareVideoHashes(video([base]), video([flipBits(base, 32)])).queryMatchPercent).toBe(0);
  });

  it('reports each direction separately (a clip inside a longer video)', () => {
    const long = frames(100, 20);
    const clip = long.slice(5, 9).map((h) => flipBits(h, 10));
    const result = compareVideoHashes(video(clip), video(long));
    expect(result.queryMatchPercent).toBe(100);
    expect(result.comparedMatchPercent).toBe(20);
    expect(result.isMatch).toBe(false);
    expect(result.comparedSegments).toEqual([{ startSeconds: 5, endSeconds: 8, frames: 4 }]);
    expect(result.querySegments).toEqual([{ startSeconds: 0, endSeconds: 3, frames: 4 }]);
  });

  it('needs both percentages at their thresholds, which are configurable', () => {
    const a = frames(200, 10);
    const b = [...a.slice(0, 8), ...frames(300, 2)]; // 8 of 10 shared
    expect(compareVideoHashes(video(a), video(b))).toMatchObject({ queryMatchPercent: 80, comparedMatchPercent: 80, isMatch: true });
    const c = [...a.slice(0, 7), ...frames(400, 3)]; // 7 of 10
    expect(compareVideoHashes(video(a), video(c)).isMatch).toBe(false);
    expect(compareVideoHashes(video(a), video(c), { queryMatchThresholdPercent: 70, comparedMatchThresholdPercent: 70 }).isMatch).toBe(true);
  });

  it('never compares frames below the quality threshold', () => {
    const a = frames(500, 4);
    const result = compareVideoHashes(video(a, { quality: 49 }), video(a));
    expect(result).toMatchObject({ queryMatchPercent: 0, comparedMatchPercent: 0, isMatch: false });
    expect(compareVideoHashes(video(a, { quality: 49 }), video(a), { qualityThreshold: 40 }).isMatch).toBe(true);
  });

  it('treats a video as a bag of distinct hashes: repeating a frame does not weigh more', () => {
    const [x, y] = frames(600, 2);
    const query = video([x, x, x, x, y]);
    const compared = video([x]);
    // Distinct query hashes: x (matched) and y (not): 50 %, not 80 %.
    expect(compareVideoHashes(query, compared).queryMatchPercent).toBe(50);
  });

  it('reports no match, not a division by zero, for videos with no comparable frame', () => {
    const result = compareVideoHashes(video([]), video(frames(700, 3)));
    expect(result).toMatchObject({ queryMatchPercent: 0, comparedMatchPercent: 0, isMatch: false });
  });

  it('refuses nonsensical thresholds', () => {
    expect(() => compareVideoHashes(video([]), video([]), { distanceThresholdBits: -1 })).toThrow(RangeError);
    expect(() => compareVideoHashes(video([]), video([]), { qualityThreshold: Number.NaN })).toThrow(RangeError);
  });
});

describe('compareVideoHashes on long videos', () => {
  it('gives the same result through the index as pair by pair', () => {
    const long = frames(10_000, 1500);
    // A copy of most of it with noise, plus material of its own.
    const copy = [...long.slice(200, 1300).map((h, i) => flipBits(h, i % 40)), ...frames(20_000, 300)];
    const pairwise = compareVideoHashes(video(copy), video(long), {}, 'pairwise');
    const indexed = compareVideoHashes(video(copy), video(long), {}, 'index');
    expect(indexed).toEqual(pairwise);
    expect(pairwise.queryMatchPercent).toBeGreaterThan(40);
    expect(compareVideoHashes(video(copy), video(long))).toEqual(pairwise); // auto picks the index here
  });
});
