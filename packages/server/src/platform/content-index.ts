import { signalTypes, type BankThresholds, type SignalIndex, type SignalMatch, type SignalRegistry, type SignalValues } from '@takedown/core';

/** One row of the platform's content index (`platform_content`), its signals read by their types. */
export interface ContentEntry {
  ref: number;
  platformId: string;
  contentId: string;
  url: string | null;
  signals: SignalValues;
  deleted: boolean;
}

export interface ContentHit {
  entry: ContentEntry;
  signal: string;
  match: SignalMatch;
}

/**
 * The platform's content, in memory, for known-copy sweeps (§3(a)(3)(B)) and for showing a reviewer where a
 * reported item is hosted: one index per signal type (the registry's), ids are content refs.
 */
export class ContentIndex {
  readonly #registry: SignalRegistry;
  readonly #indexes = new Map<string, SignalIndex>();
  readonly #entries = new Map<number, ContentEntry>();

  constructor(registry: SignalRegistry = signalTypes) {
    this.#registry = registry;
    for (const type of registry.all()) this.#indexes.set(type.name, type.createIndex());
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Empties the index, for a load from scratch. */
  clear(): void {
    this.#entries.clear();
    for (const type of this.#registry.all()) this.#indexes.set(type.name, type.createIndex());
  }

  get(ref: number): ContentEntry | undefined {
    return this.#entries.get(ref);
  }

  apply(entry: ContentEntry): void {
    const known = this.#entries.get(entry.ref);
    if (known && !entry.deleted && this.#registry.toStored(known.signals) === this.#registry.toStored(entry.signals)) {
      this.#entries.set(entry.ref, entry);
      return;
    }
    if (known) this.#drop(known);
    if (entry.deleted) return;
    this.#entries.set(entry.ref, entry);
    for (const [signal, value] of Object.entries(entry.signals)) this.#indexes.get(signal)?.add(entry.ref, value);
  }

  #drop(entry: ContentEntry): void {
    this.#entries.delete(entry.ref);
    for (const signal of Object.keys(entry.signals)) this.#indexes.get(signal)?.remove(entry.ref);
  }

  /**
   * Content matching any of the query's signals under the thresholds given (a bank's, or the types'
   * defaults), best hit per piece of content: an exact match first, and of those identical bytes or the
   * same address before a perceptual hash; then the nearest.
   */
  search(query: SignalValues, thresholds: BankThresholds = this.#registry.defaultThresholds()): ContentHit[] {
    const best = new Map<number, ContentHit>();
    for (const [signal, value] of Object.entries(query)) {
      const index = this.#indexes.get(signal);
      const within = thresholds[signal];
      if (!index || value === undefined || !within) continue;
      for (const found of index.search(value, [within])) {
        const entry = this.#entries.get(found.id);
        const match = found.judge(within);
        if (!entry || !match) continue;
        const hit = { entry, signal, match };
        const known = best.get(found.id);
        if (!known || this.#rank(hit) < this.#rank(known)) best.set(found.id, hit);
      }
    }
    return [...best.values()].sort((a, b) => this.#rank(a) - this.#rank(b) || a.entry.ref - b.entry.ref);
  }

  #rank(hit: ContentHit): number {
    const media = this.#registry.get(hit.signal)?.media;
    const identity = media === 'file' || media === 'url';
    return (hit.match.exact ? 0 : 1_000_000) + (identity ? 0 : 500_000) + hit.match.distance;
  }
}
