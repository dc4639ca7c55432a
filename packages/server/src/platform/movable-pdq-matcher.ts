import type { HashMatcher } from '@takedown/core';
import { WORDS_PER_HASH, type Match } from '@takedown/match';

/** A matcher whose rows can be read out to move them: `@takedown/match`'s `MatchIndex` is one. */
export interface RowSource extends HashMatcher {
  /** Live rows (hashes, not ids: an id may hold several). */
  readonly size: number;
  forEachEntry(visit: (id: number, words: Uint32Array) => void): void;
}

/** A matcher that holds threads, stopped by `close` (the sharded PDQ matcher). */
export interface ClosableMatcher extends HashMatcher {
  close(): Promise<void>;
  /** Removes every hash under any of `ids` at once, where the matcher can; returns how many. */
  removeMany?(ids: Iterable<number>): number;
}

/** Makes the matcher the rows move to, from the rows (ids, 8 words a hash); it may take seconds. */
export type MatcherBuild = (ids: Uint32Array, words: Uint32Array) => Promise<ClosableMatcher>;

/** A change made while a move runs, replayed on the new matcher in the order it was made. */
type Change = { added: readonly { id: number; hash: string }[] } | { removed: number };

function isRowSource(matcher: HashMatcher): matcher is RowSource {
  return 'forEachEntry' in matcher && typeof matcher.forEachEntry === 'function';
}

/** The rows of `source`, in two arrays (36 bytes a hash: a bank at the shard threshold, 2^18 hashes, is 9 MiB). */
function rowsOf(source: RowSource): { ids: Uint32Array; words: Uint32Array } {
  const ids = new Uint32Array(source.size);
  const words = new Uint32Array(source.size * WORDS_PER_HASH);
  let row = 0;
  source.forEachEntry((id, hash) => {
    ids[row] = id;
    words.set(hash, row * WORDS_PER_HASH);
    row++;
  });
  return row === ids.length ? { ids, words } : { ids: ids.slice(0, row), words: words.slice(0, row * WORDS_PER_HASH) };
}

/**
 * The banks' PDQ matcher, which can move while the server runs (decision 038): it serves from the matcher it
 * holds, and `moveTo` builds another from the same rows in the background (the shard threads), then swaps it
 * in. Until the swap every query, add and remove goes to the matcher held, so checks get the same answers;
 * the adds and removes made meanwhile are also noted and replayed on the new matcher just before the swap,
 * in the same turn of the event loop (nothing lost, nothing resurrected).
 * @example
 * const pdq = new MovablePdqMatcher(new MatchIndex());
 * banks.serveWith('pdq', pdqSignal.createIndex({ hashMatcher: pdq }));
 * await pdq.moveTo(async (ids, words) => { const shards = ShardedPdqMatcher.of(1 << 24, ids, words); await shards.build(); return shards; });
 */
export class MovablePdqMatcher implements HashMatcher {
  #current: HashMatcher;
  /** The changes made since a move took its rows; undefined when no move runs. */
  #changes: Change[] | undefined;
  #move: Promise<boolean> | undefined;
  #closed = false;

  constructor(current: HashMatcher) {
    this.#current = current;
  }

  /** The matcher that answers now. */
  get current(): HashMatcher {
    return this.#current;
  }

  /** Whether a move is under way. */
  get moving(): boolean {
    return this.#changes !== undefined;
  }

  query(hash: string, options: { radius: number }): Match[] {
    return this.#current.query(hash, options);
  }

  queryDihedral(hashes: readonly string[], options: { radius: number }): Match[] {
    return this.#current.queryDihedral(hashes, options);
  }

  async queryAsync(hash: string, options: { radius: number }): Promise<Match[]> {
    const current = this.#current;
    return current.queryAsync ? current.queryAsync(hash, options) : current.query(hash, options);
  }

  async queryDihedralAsync(hashes: readonly string[], options: { radius: number }): Promise<Match[]> {
    const current = this.#current;
    return current.queryDihedralAsync ? current.queryDihedralAsync(hashes, options) : current.queryDihedral(hashes, options);
  }

  addHex(entries: readonly { id: number; hash: string }[]): void {
    this.#current.addHex(entries);
    this.#changes?.push({ added: entries });
  }

  remove(id: number): number {
    const removed = this.#current.remove(id);
    // nothing removed: the id is neither in the rows the move took nor in the adds noted since
    if (removed > 0) this.#changes?.push({ removed: id });
    return removed;
  }

  compact(): void {
    this.#current.compact?.();
  }

  /**
   * Moves the rows to the matcher `build` makes of them (taken now, in this turn), replays the changes made
   * meanwhile on it and swaps it in; the old matcher is let go. Resolves false when `close` came first (the
   * new matcher is closed, the old one stays); on a failed build or replay the old matcher stays and the
   * error is thrown.
   */
  moveTo(build: MatcherBuild): Promise<boolean> {
    if (this.#move) return Promise.reject(new Error('the PDQ matcher is already moving'));
    const from = this.#current;
    if (!isRowSource(from)) return Promise.reject(new Error('the PDQ matcher cannot hand over its rows'));
    const { ids, words } = rowsOf(from);
    const changes: Change[] = (this.#changes = []);
    const move = (async () => {
      let next: ClosableMatcher;
      try {
        next = await build(ids, words);
      } finally {
        this.#changes = undefined;
      }
      if (this.#closed) {
        await next.close();
        return false;
      }
      try {
        replay(changes, next);
      } catch (error) {
        await next.close();
        throw error;
      }
      this.#current = next;
      return true;
    })();
    this.#move = move.finally(() => {
      this.#move = undefined;
    });
    return this.#move;
  }

  /** Waits for a move under way (its new matcher is closed unused), then stops the threads of the matcher held, if it has any. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#move?.catch(() => false);
    const current = this.#current;
    if ('close' in current && typeof current.close === 'function') await (current as ClosableMatcher).close();
  }
}

/**
 * Applies the changes as if in order, in two requests whatever their number (each a round trip to every
 * shard thread, which one at a time would hold this thread for a while): the ids removed at some point lose
 * the rows they had before their last remove, then the rows added after it (or at all, for an id never
 * removed) are added.
 */
function replay(changes: readonly Change[], to: ClosableMatcher): void {
  const removed = new Set<number>();
  const added = new Map<number, { id: number; hash: string }[]>();
  for (const change of changes) {
    if ('removed' in change) {
      removed.add(change.removed);
      added.delete(change.removed);
      continue;
    }
    for (const entry of change.added) {
      const rows = added.get(entry.id);
      if (rows) rows.push(entry);
      else added.set(entry.id, [entry]);
    }
  }
  if (removed.size > 0) {
    if (to.removeMany) to.removeMany(removed);
    else for (const id of removed) to.remove(id);
  }
  if (added.size > 0) to.addHex([...added.values()].flat());
}
