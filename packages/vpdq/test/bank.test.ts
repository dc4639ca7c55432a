import { describe, expect, it } from 'vitest';
import { compareVideoHashes, VideoBank } from '../src/index.ts';
import { flipBits, randomHash, video } from './helpers.ts';

const frames = (from: number, count: number) => Array.from({ length: count }, (_, i) => randomHash(from + i));

describe('VideoBank', () => {
  it('gives the same percentages as the pairwise comparison, for every banked video', () => {
    const bank = new VideoBank();
    const known = [
      video(frames(1000, 12)),
      video([...frames(1000, 6), ...frames(2000, 6)]),
      video(frames(3000, 40)),
      video(frames(4000, 5)),
    ];
    known.forEach((v, id) => bank.add(id, v));
    const query = video([...frames(1000, 10).map((h, i) => flipBits(h, i * 3)), ...frames(3010, 3)]);
    const results = bank.query(query);
    expect(results.map((r) => r.videoId).sort()).toEqual([0, 1, 2]);
    for (const result of results) {
      const pairwise = compareVideoHashes(query, known[result.videoId]);
      expect(result.queryMatchPercent).toBe(pairwise.queryMatchPercent);
      expect(result.comparedMatchPercent).toBe(pairwise.comparedMatchPercent);
      expect(result.isMatch).toBe(pairwise.isMatch);
      expect(result.comparedSegments).toEqual(pairwise.comparedSegments);
    }
    // Video 0: 10 of the query's 13 distinct frames, 10 of its own 12: the closest, but under 80 % one way.
    expect(results[0]).toMatchObject({ videoId: 0, queryMatchPercent: 1000 / 13, isMatch: false });
    expect(bank.query(video(frames(1000, 11)))[0]).toMatchObject({ videoId: 0, isMatch: true });
  });

  it('finds a short clip inside a long banked video, with where it sits', () => {
    const bank = new VideoBank();
    const long = frames(5000, 60);
    bank.add(9, video(long));
    const [hit] = bank.query(video(long.slice(37, 39).map((h) => flipBits(h, 20))));
    expect(hit).toMatchObject({ videoId: 9, queryMatchPercent: 100, isMatch: false });
    expect(hit.comparedSegments).toEqual([{ startSeconds: 37, endSeconds: 38, frames: 2 }]);
    expect(bank.query(video(long.slice(37, 39)), { onlyMatches: true })).toEqual([]);
  });

  it('forgets removed videos and replaces a video added again under the same id', () => {
    const bank = new VideoBank();
    const a = frames(6000, 5);
    bank.add(1, video(a));
    expect(bank.query(video(a))).toHaveLength(1);
    expect(bank.remove(1)).toBe(true);
    expect(bank.remove(1)).toBe(false);
    expect(bank.query(video(a))).toEqual([]);
    bank.add(2, video(a));
    bank.add(2, video(frames(7000, 5)));
    expect(bank.size).toBe(1);
    expect(bank.query(video(a))).toEqual([]);
  });

  it('does not index frames under the quality threshold', () => {
    const bank = new VideoBank();
    const a = frames(8000, 3);
    bank.add(1, video(a, { quality: 20 }));
    expect(bank.query(video(a))).toEqual([]);
  });
});
