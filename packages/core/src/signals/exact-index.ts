import type { SignalHit, SignalIndex, SignalMatch } from './signal-type.ts';

/**
 * An index for signal types that match only on equality (digests, URLs): a map from the value's key to the
 * ids filed under it. `judge` turns an equal key into the type's match under a bank's thresholds.
 */
export class ExactIndex<V, T extends object> implements SignalIndex<V, T> {
  readonly #ids = new Map<string, number[]>();
  readonly #keyOf = new Map<number, string>();
  readonly #key: (value: V) => string;
  readonly #judge: (thresholds: T) => SignalMatch | undefined;

  constructor(key: (value: V) => string, judge: (thresholds: T) => SignalMatch | undefined) {
    this.#key = key;
    this.#judge = judge;
  }

  get size(): number {
    return this.#keyOf.size;
  }

  add(id: number, value: V): void {
    this.remove(id);
    const key = this.#key(value);
    this.#keyOf.set(id, key);
    const ids = this.#ids.get(key);
    if (ids) ids.push(id);
    else this.#ids.set(key, [id]);
  }

  remove(id: number): boolean {
    const key = this.#keyOf.get(id);
    if (key === undefined) return false;
    this.#keyOf.delete(id);
    const rest = (this.#ids.get(key) ?? []).filter((x) => x !== id);
    if (rest.length === 0) this.#ids.delete(key);
    else this.#ids.set(key, rest);
    return true;
  }

  search(value: V): SignalHit<T>[] {
    const judge = this.#judge;
    return (this.#ids.get(this.#key(value)) ?? []).map((id) => ({ id, judge }));
  }
}
