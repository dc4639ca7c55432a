import { describe, expect, it } from 'vitest';
import { MatchIndex, SnapshotError, readSnapshot, writeSnapshot } from '../src/index.ts';
import { randomHashes, seededRandom } from './helpers.ts';

function sampleIndex(): MatchIndex {
  const random = seededRandom(21);
  const index = MatchIndex.build(Uint32Array.from({ length: 500 }, (_, i) => i * 3), randomHashes(500, random));
  index.add(0xffffffff, randomHashes(1, random));
  index.remove(3);
  return index;
}

/** Every held (id, hash), sorted: compaction orders the rows by key, so a loaded index holds them in its own order. */
function entries(index: MatchIndex): string[] {
  const list: string[] = [];
  index.forEachEntry((id, words) => list.push(`${id}:${[...words].join(',')}`));
  return list.sort();
}

function rejection(bytes: Uint8Array): SnapshotError {
  try {
    readSnapshot(bytes);
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('the snapshot was accepted');
}

describe('snapshots', () => {
  it('round-trips every live hash and id, leaving removed ones out', () => {
    const index = sampleIndex();
    const bytes = writeSnapshot(index);
    expect(bytes.length).toBe(24 + 500 * 36);
    const loaded = readSnapshot(bytes);
    expect(loaded.size).toBe(500);
    expect(entries(loaded)).toEqual(entries(index));
    expect(loaded.uncompactedRows).toBe(0);
    const probe = new Uint32Array(8);
    index.forEachEntry((id, words) => { if (id === 6) probe.set(words); });
    expect(loaded.query(probe, { method: 'multi-index' })).toEqual([{ id: 6, distance: 0 }]);
    expect(readSnapshot(writeSnapshot(new MatchIndex())).size).toBe(0);
  });

  it('rejects every truncation, naming it truncated', () => {
    const bytes = writeSnapshot(sampleIndex());
    for (const length of [0, 10, 23, 24, 100, bytes.length - 1]) {
      const error = rejection(bytes.subarray(0, length));
      expect(error.code).toBe('snapshot_truncated');
      expect(error.message).toMatch(/truncated/);
    }
  });

  it('rejects a flipped bit anywhere, trailing bytes, a foreign file and a future version', () => {
    const bytes = writeSnapshot(sampleIndex());
    for (const at of [12, 16, 20, 24, 1000, bytes.length - 1]) {
      const corrupted = bytes.slice();
      corrupted[at] ^= 0x10;
      const error = rejection(corrupted);
      expect(['snapshot_corrupted', 'snapshot_truncated']).toContain(error.code);
    }
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(rejection(longer).code).toBe('snapshot_corrupted');
    expect(rejection(new TextEncoder().encode('f8f8f0cee0f4a84f06370a22038f63f0 not a snapshot')).code).toBe('snapshot_not_recognised');
    const future = bytes.slice();
    future[8] = 2;
    expect(rejection(future).code).toBe('snapshot_version');
  });
});
