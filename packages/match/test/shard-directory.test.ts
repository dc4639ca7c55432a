import { describe, expect, it } from 'vitest';
import { ShardDirectory } from '../src/shard-directory.ts';

describe('shard directory: which shards a remove goes to', () => {
  it('keeps ascending built ids as a range, and others as a sorted copy', () => {
    const directory = new ShardDirectory(3);
    directory.built(0, Uint32Array.of(1, 2, 2, 5, 9));
    directory.built(1, Uint32Array.of(9, 10, 40));
    directory.built(2, Uint32Array.of(70, 3, 55));
    expect(directory.byteLength()).toBe(12);
    expect(directory.shardsOf(2)).toEqual([0]);
    // a gap inside a range may be asked for nothing; an id split across shards goes to both
    expect(directory.shardsOf(7)).toEqual([0]);
    expect(directory.shardsOf(9)).toEqual([0, 1]);
    expect(directory.shardsOf(55)).toEqual([2]);
    expect(directory.shardsOf(54)).toEqual([]);
    expect(directory.shardsOf(1000)).toEqual([]);
  });

  it('remembers ids added since, and asks every shard for one added to several', () => {
    const directory = new ShardDirectory(3);
    directory.built(0, Uint32Array.of(1, 2, 3));
    directory.added(1, Uint32Array.of(100, 101));
    directory.added(1, Uint32Array.of(100));
    expect(directory.shardsOf(100)).toEqual([1]);
    directory.added(2, Uint32Array.of(101));
    expect(directory.shardsOf(101)).toEqual([0, 1, 2]);
    directory.added(2, Uint32Array.of(3));
    expect(directory.shardsOf(3)).toEqual([0, 2]);
    directory.removed(100);
    directory.removed(3);
    expect(directory.shardsOf(100)).toEqual([]);
    expect(directory.shardsOf(3)).toEqual([0]);
  });
});
