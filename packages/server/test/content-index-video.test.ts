import type { VpdqFrame } from '@takedown/core';
import { describe, expect, it } from 'vitest';
import { ContentIndex, type ContentEntry } from '../src/platform/content-index.ts';

// Frames with hashes far apart (each a different 64-bit pattern repeated), all of good quality.
const hashOf = (seed: number) => (seed * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
const frames = (seeds: number[]): VpdqFrame[] => seeds.map((seed, index) => ({ index, timestamp: index, hash: hashOf(seed), quality: 90 }));
const entry = (ref: number, vpdq: VpdqFrame[] | null, deleted = false): ContentEntry => ({
  ref, platformId: 'p', contentId: `c${ref}`, url: null, signals: vpdq ? { vpdq } : {}, deleted,
});

describe('ContentIndex with videos', () => {
  it('finds a video whose frames match both ways, not one that only shares a few, and forgets deleted ones', () => {
    const index = new ContentIndex();
    index.apply(entry(1, frames([1, 2, 3, 4, 5])));
    index.apply(entry(2, frames([1, 9, 10, 11, 12])));
    const hits = index.search({ vpdq: frames([1, 2, 3, 4, 5]) });
    expect(hits.map((h) => [h.entry.ref, h.signal, h.match.distance])).toEqual([[1, 'vpdq', 31]]);
    expect(hits[0].match.detail).toEqual({ queryMatchPercent: 100, comparedMatchPercent: 100 });

    index.apply(entry(1, null, true));
    expect(index.search({ vpdq: frames([1, 2, 3, 4, 5]) })).toEqual([]);
    // Re-registered with other frames: the old ones no longer match, the new ones do.
    index.apply(entry(2, frames([1, 2, 3, 4, 5])));
    expect(index.search({ vpdq: frames([1, 2, 3, 4, 5]) }).map((h) => h.entry.ref)).toEqual([2]);
  });
});
