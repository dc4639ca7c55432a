import { describe, expect, it } from 'vitest';
import {
  compareVideoHashes,
  formatFixed3,
  formatVpdqText,
  parseThreatExchangeVpdq,
  parseVpdqText,
  vpdqFrameRate,
  vpdqStride,
  vpdqTimestamp,
  type VideoFrameHash,
} from '../src/index.ts';
import { referenceText, VPDQ_VECTORS } from '@takedown/testing/vpdq-vectors';

const asFrames = (frames: (typeof VPDQ_VECTORS.videos)[number]['frames']): VideoFrameHash[] =>
  frames.map((f) => ({ index: f.frameNumber, quality: f.quality, hash: f.hash, timestamp: f.timestamp }));

describe("the reference's frame rule", () => {
  it.each(VPDQ_VECTORS.videos.map((v) => [v.file, v] as const))('gives %s its stride and timestamps', (_file, video) => {
    const rate = vpdqFrameRate(video.avg_frame_rate, undefined);
    expect(vpdqStride(rate)).toBe(video.stride);
    const picked = Array.from({ length: video.decoded_frames }, (_, n) => n).filter((n) => n % video.stride === 0);
    expect(picked).toEqual(video.frames.map((f) => f.frameNumber));
    expect(picked.map((n) => formatFixed3(vpdqTimestamp(n, rate)))).toEqual(video.frames.map((f) => f.timestamp.toFixed(3)));
  });

  it('reads r_frame_rate when avg_frame_rate is 0/0, and strides of other rates as int(rate / hashes per second)', () => {
    expect(vpdqFrameRate('0/0', '25/1')).toBe(25);
    expect(vpdqFrameRate('0/0', '0/0')).toBe(0);
    expect(vpdqStride(60000 / 1001)).toBe(59);
    expect(vpdqStride(24000 / 1001)).toBe(23);
    expect(vpdqStride(30, 2)).toBe(15);
    expect(vpdqStride(0.5)).toBe(1);
  });

  it('writes 3 decimals as printf does, exact halves to even', () => {
    expect(formatFixed3(0)).toBe('0.000');
    expect(formatFixed3(Math.fround(29 / Math.fround(30000 / 1001)))).toBe('0.968');
    expect(formatFixed3(0.0625)).toBe('0.062');
    expect(formatFixed3(0.1875)).toBe('0.188');
    expect(formatFixed3(2.5)).toBe('2.500');
  });
});

describe("Meta's text form", () => {
  it.each(VPDQ_VECTORS.videos.map((v) => [v.file, v] as const))('writes %s byte for byte as vpdq-hash-video', (_file, video) => {
    expect(formatVpdqText(asFrames(video.frames))).toBe(referenceText(video));
  });

  it.each(VPDQ_VECTORS.videos.map((v) => [v.file, v] as const))('reads the reference file of %s', (_file, video) => {
    const read = parseVpdqText(referenceText(video));
    expect(read).toEqual({ ok: true, frames: asFrames(video.frames).map((f) => ({ ...f, timestamp: Number(f.timestamp.toFixed(3)) })) });
  });

  it('refuses a line that is not a frame, naming the line and what is wrong', () => {
    const hash = VPDQ_VECTORS.videos[0].frames[0].hash;
    expect(parseVpdqText(`0,100,${hash},0.000\n30,101,${hash},1.000\n`)).toEqual({
      ok: false,
      message: 'Line 2 is not a vPDQ frame (frameNumber,quality,hash,timestamp): the quality "101" is not a whole number from 0 to 100.',
    });
    expect(parseVpdqText('hello')).toMatchObject({ ok: false, message: expect.stringMatching(/^Line 1 .*1 fields instead of 4/) });
    expect(parseVpdqText('\n\n')).toMatchObject({ ok: false });
  });
});

describe("python-threatexchange's signal", () => {
  it('reads "hash,quality,timestamp" strings, timestamps in {:.3} form included', () => {
    const [a, b, c] = VPDQ_VECTORS.videos[2].frames;
    const signal = JSON.stringify([`${a.hash},100,0.0`, `${b.hash},100,0.968`, `${c.hash},100,1.23e+02`]);
    const read = parseThreatExchangeVpdq(signal);
    expect(read).toEqual({
      ok: true,
      frames: [
        { index: 0, hash: a.hash, quality: 100, timestamp: 0 },
        { index: 1, hash: b.hash, quality: 100, timestamp: 0.968 },
        { index: 2, hash: c.hash, quality: 100, timestamp: 123 },
      ],
    });
  });

  it('refuses anything else with what to fix', () => {
    expect(parseThreatExchangeVpdq('{}')).toMatchObject({ ok: false, message: expect.stringMatching(/JSON list/) });
    expect(parseThreatExchangeVpdq('["abc,100,0"]')).toMatchObject({ ok: false, message: expect.stringMatching(/^Entry 1 .*64 hexadecimal/) });
  });
});

describe('match percentages', () => {
  it.each(VPDQ_VECTORS.pairs.map((p) => [`${p.query} against ${p.compared}`, p] as const))(
    'equal python-threatexchange on the reference hashes: %s',
    (_name, pair) => {
      const frames = (file: string) => asFrames(VPDQ_VECTORS.videos.find((v) => v.file === file)!.frames);
      const result = compareVideoHashes({ type: 'vpdq', frames: frames(pair.query) }, { type: 'vpdq', frames: frames(pair.compared) });
      expect(result.queryMatchPercent).toBe(pair.python_threatexchange.query_match_percent);
      expect(result.comparedMatchPercent).toBe(pair.python_threatexchange.compared_match_percent);
      expect(result.isMatch).toBe(pair.match);
    },
  );

  it('deduplicates on the exact hash before dropping low quality, as the brute matcher does', () => {
    const [a, b] = VPDQ_VECTORS.videos[0].frames;
    // The first frame carrying a hash decides: a low-quality first copy removes the hash from the count.
    const query = { type: 'vpdq' as const, frames: [
      { index: 0, timestamp: 0, hash: a.hash, quality: 10 },
      { index: 30, timestamp: 1, hash: a.hash, quality: 100 },
      { index: 60, timestamp: 2, hash: b.hash, quality: 100 },
    ] };
    const result = compareVideoHashes(query, { type: 'vpdq', frames: [{ index: 0, timestamp: 0, hash: b.hash, quality: 100 }] });
    expect(result.queryMatchPercent).toBe(100);
  });
});
