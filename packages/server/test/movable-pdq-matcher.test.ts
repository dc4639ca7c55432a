import { createHash } from 'node:crypto';
import { MatchIndex } from '@takedown/match';
import { describe, expect, it } from 'vitest';
import { MovablePdqMatcher, type ClosableMatcher } from '../src/platform/movable-pdq-matcher.ts';
import { ShardedPdqMatcher } from '../src/platform/sharded-pdq-matcher.ts';

const pdq = (seed: number) => createHash('sha256').update(`movable ${seed}`).digest('hex');
const R = { radius: 31 };

/** A matcher in this thread standing in for the shards, with its closes and change requests counted. */
function closable(index: MatchIndex): ClosableMatcher & { closed: number; requests: string[] } {
  const addHex = index.addHex.bind(index);
  const removeMany = index.removeMany.bind(index);
  const matcher = Object.assign(index, {
    closed: 0,
    requests: [] as string[],
    close: async () => void matcher.closed++,
    addHex: (entries: readonly { id: number; hash: string }[]) => (matcher.requests.push(`add ${entries.length}`), addHex(entries)),
    removeMany: (ids: Iterable<number>) => (matcher.requests.push(`remove ${[...ids].length}`), removeMany(ids)),
  });
  return matcher;
}

/** A build the test lets finish (or fail) when it chooses: "during the move" made observable. */
function heldBuild() {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  let built: ReturnType<typeof closable> | undefined;
  let rowsTaken = 0;
  const build = async (ids: Uint32Array, words: Uint32Array) => {
    rowsTaken = ids.length;
    const next = closable(MatchIndex.build(ids, words));
    await gate;
    built = next;
    return next;
  };
  return { build, release, fail, built: () => built, rowsTaken: () => rowsTaken };
}

function filled(count: number): MovablePdqMatcher {
  const matcher = new MovablePdqMatcher(new MatchIndex());
  matcher.addHex(Array.from({ length: count }, (_, i) => ({ id: i + 1, hash: pdq(i + 1) })));
  return matcher;
}

describe('a PDQ matcher that moves while it serves', () => {
  it('answers from the old matcher until the swap, and replays the adds and removes made meanwhile, in order', async () => {
    const matcher = filled(100);
    const held = heldBuild();
    const moved = matcher.moveTo(held.build);
    const old = matcher.current;
    expect(matcher.moving).toBe(true);
    expect(held.rowsTaken()).toBe(100);
    // during the move: changes reach the old matcher at once and are noted
    matcher.addHex([{ id: 200, hash: pdq(200) }]);
    expect(matcher.remove(7)).toBe(1);
    expect(matcher.remove(200)).toBe(1);
    matcher.addHex([{ id: 201, hash: pdq(201) }, { id: 7, hash: pdq(1007) }]);
    expect(matcher.remove(9999)).toBe(0);
    expect(matcher.query(pdq(7), R)).toEqual([]);
    expect(matcher.query(pdq(1007), R)).toEqual([{ id: 7, distance: 0 }]);
    expect(await matcher.queryAsync(pdq(201), R)).toEqual([{ id: 201, distance: 0 }]);
    expect(matcher.current).toBe(old);

    held.release();
    expect(await moved).toBe(true);
    expect(matcher.moving).toBe(false);
    expect(matcher.current).toBe(held.built());
    // the changes travel as one remove and one add, whatever their number (ids 7 and 200 out, then 201 and 7's new hash in)
    expect(held.built()!.requests).toEqual(['remove 2', 'add 2']);
    // the same answers from the new matcher: nothing lost, nothing resurrected
    expect(matcher.query(pdq(7), R)).toEqual([]);
    expect(matcher.query(pdq(200), R)).toEqual([]);
    expect(matcher.query(pdq(1007), R)).toEqual([{ id: 7, distance: 0 }]);
    expect(matcher.queryDihedral([pdq(201), pdq(50)], R)).toEqual([{ id: 50, distance: 0 }, { id: 201, distance: 0 }]);
    for (let id = 1; id <= 100; id++) if (id !== 7) expect(matcher.query(pdq(id), { radius: 0 })).toEqual([{ id, distance: 0 }]);
    // changes after the swap go to the new matcher only
    matcher.addHex([{ id: 300, hash: pdq(300) }]);
    expect(held.built()!.query(pdq(300), { radius: 0 })).toEqual([{ id: 300, distance: 0 }]);
    expect(old.query(pdq(300), { radius: 0 })).toEqual([]);
    await matcher.close();
    expect(held.built()!.closed).toBe(1);
  });

  it('keeps serving from the old matcher when the build fails, with every change made meanwhile', async () => {
    const matcher = filled(20);
    const held = heldBuild();
    const moved = matcher.moveTo(held.build);
    const old = matcher.current;
    expect(matcher.remove(3)).toBe(1);
    matcher.addHex([{ id: 30, hash: pdq(30) }]);
    held.fail(new Error('shard 0 stopped'));
    await expect(moved).rejects.toThrow(/shard 0 stopped/);
    expect(matcher.moving).toBe(false);
    expect(matcher.current).toBe(old);
    expect(matcher.query(pdq(3), R)).toEqual([]);
    expect(matcher.query(pdq(30), R)).toEqual([{ id: 30, distance: 0 }]);
    // and it can be moved again
    const again = heldBuild();
    const movedAgain = matcher.moveTo(again.build);
    await expect(matcher.moveTo(again.build)).rejects.toThrow(/already moving/);
    again.release();
    expect(await movedAgain).toBe(true);
    expect(matcher.query(pdq(30), R)).toEqual([{ id: 30, distance: 0 }]);
  });

  it('closes the new matcher unused when it is closed during the move', async () => {
    const matcher = filled(10);
    const held = heldBuild();
    const moved = matcher.moveTo(held.build);
    const closing = matcher.close();
    held.release();
    await closing;
    expect(await moved).toBe(false);
    expect(held.built()!.closed).toBe(1);
  });

  it('closes the new matcher and keeps the old one when the replay fails', async () => {
    const matcher = filled(10);
    let next: ReturnType<typeof closable> | undefined;
    const moved = matcher.moveTo(async (ids, words) => {
      next = closable(MatchIndex.build(ids, words));
      await new Promise((resolve) => setTimeout(resolve, 1));
      next.addHex = () => {
        throw new Error('shard 0 did not answer within 30000 ms');
      };
      return next;
    });
    const old = matcher.current;
    matcher.addHex([{ id: 11, hash: pdq(11) }]);
    await expect(moved).rejects.toThrow(/did not answer/);
    expect(next!.closed).toBe(1);
    expect(matcher.current).toBe(old);
    expect(matcher.query(pdq(11), R)).toEqual([{ id: 11, distance: 0 }]);
  });

  it('moves to shards built in worker threads without blocking this thread', async () => {
    const matcher = filled(700);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const moved = matcher.moveTo(async (ids, words) => {
        const sharded = ShardedPdqMatcher.of(300, ids, words);
        await sharded.build();
        return sharded;
      });
      expect(matcher.remove(700)).toBe(1);
      matcher.addHex([{ id: 701, hash: pdq(701) }]);
      expect(await moved).toBe(true);
    } finally {
      clearInterval(timer);
    }
    try {
      expect(ticks).toBeGreaterThan(0);
      const sharded = matcher.current as ShardedPdqMatcher;
      expect([sharded.shardCount, sharded.rows]).toEqual([3, 700]);
      expect(await matcher.queryAsync(pdq(701), R)).toEqual([{ id: 701, distance: 0 }]);
      expect(matcher.query(pdq(700), R)).toEqual([]);
      for (let id = 1; id < 700; id++) expect(matcher.query(pdq(id), { radius: 0 })).toEqual([{ id, distance: 0 }]);
    } finally {
      await matcher.close();
    }
  }, 60_000);
});
