/**
 * Which shards of a `ShardedMatchIndex` may hold an id, so that a remove goes to those shards only instead of
 * to every one. A shard's built rows are remembered as the range of their ids when they come in ascending
 * order (a bank read by id: no memory per hash), else as a sorted copy of them (4 bytes a row); ids added
 * since the build are remembered one by one. An answer may name a shard that no longer holds the id (it was
 * removed there): the remove finds nothing in it, which is harmless.
 */

/** An id added to more than one shard (its rows split by a batch boundary, or added twice): ask every shard. */
const SEVERAL = -1;

type BuiltIds = { first: number; last: number } | { sorted: Uint32Array };

function ascending(ids: Uint32Array): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i] < ids[i - 1]) return false;
  return true;
}

function holds(built: BuiltIds, id: number): boolean {
  if ('first' in built) return id >= built.first && id <= built.last;
  const sorted = built.sorted;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < id) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low] === id;
}

export class ShardDirectory {
  readonly #shards: number;
  readonly #built: (BuiltIds | undefined)[];
  /** id → the shard it was added to since the build (or SEVERAL). */
  readonly #added = new Map<number, number>();

  constructor(shards: number) {
    this.#shards = shards;
    this.#built = Array.from({ length: shards }, () => undefined);
  }

  /** Remembers the ids a shard was built with (call before the ids are handed to its thread). */
  built(shard: number, ids: Uint32Array): void {
    if (ids.length === 0) this.#built[shard] = undefined;
    else if (ascending(ids)) this.#built[shard] = { first: ids[0], last: ids[ids.length - 1] };
    else this.#built[shard] = { sorted: ids.slice().sort() };
  }

  /** Remembers ids added to a shard. */
  added(shard: number, ids: Uint32Array): void {
    for (const id of ids) {
      const known = this.#added.get(id);
      this.#added.set(id, known === undefined || known === shard ? shard : SEVERAL);
    }
  }

  /** The shards that may hold `id`, in shard order. */
  shardsOf(id: number): number[] {
    const added = this.#added.get(id);
    if (added === SEVERAL) return Array.from({ length: this.#shards }, (_, shard) => shard);
    const found: number[] = [];
    for (let shard = 0; shard < this.#shards; shard++) {
      const built = this.#built[shard];
      if (shard === added || (built !== undefined && holds(built, id))) found.push(shard);
    }
    return found;
  }

  /** Forgets an id once every shard that may hold it removed it. */
  removed(id: number): void {
    this.#added.delete(id);
  }

  /** Bytes held per built row (0 when every shard's ids came in ascending order), for the figures. */
  byteLength(): number {
    let bytes = 0;
    for (const built of this.#built) if (built !== undefined && 'sorted' in built) bytes += built.sorted.byteLength;
    return bytes;
  }
}
