import { MatchIndex } from '@takedown/match';
import type { Signal } from './verdict.ts';

/** One row of the platform's content index (`platform_content`). */
export interface ContentEntry {
  ref: number;
  platformId: string;
  contentId: string;
  url: string | null;
  pdq: string | null;
  pdqQuality: number | null;
  /** The 7 other dihedral variants, when the server hashed the bytes. */
  pdqVariants: string[];
  md5: string | null;
  sha256: string | null;
  deleted: boolean;
}

export interface ContentHit {
  entry: ContentEntry;
  signal: Signal;
  distance: number;
}

/**
 * The platform's content, in memory, for known-copy sweeps (§3(a)(3)(B)). Each piece of content is filed
 * under all its dihedral variants, so querying with a confirmed item's hash finds rotated and mirrored copies.
 */
export class ContentIndex {
  readonly #pdq = new MatchIndex();
  readonly #exact = new Map<string, number[]>();
  readonly #entries = new Map<number, ContentEntry>();

  get size(): number {
    return this.#entries.size;
  }

  get(ref: number): ContentEntry | undefined {
    return this.#entries.get(ref);
  }

  apply(entry: ContentEntry): void {
    const known = this.#entries.get(entry.ref);
    if (known && !entry.deleted && sameHashes(known, entry)) {
      this.#entries.set(entry.ref, entry);
      return;
    }
    if (known) this.#drop(known);
    if (entry.deleted) return;
    this.#entries.set(entry.ref, entry);
    if (entry.pdq) {
      const hashes = [entry.pdq, ...entry.pdqVariants];
      this.#pdq.addHex(hashes.map((hash) => ({ id: entry.ref, hash })));
    }
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = entry[signal];
      if (!hash) continue;
      const key = `${signal}:${hash}`;
      const refs = this.#exact.get(key);
      if (refs) refs.push(entry.ref);
      else this.#exact.set(key, [entry.ref]);
    }
  }

  #drop(entry: ContentEntry): void {
    this.#entries.delete(entry.ref);
    if (entry.pdq) this.#pdq.remove(entry.ref);
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = entry[signal];
      if (!hash) continue;
      const key = `${signal}:${hash}`;
      const rest = (this.#exact.get(key) ?? []).filter((r) => r !== entry.ref);
      if (rest.length === 0) this.#exact.delete(key);
      else this.#exact.set(key, rest);
    }
  }

  /** Content within `radiusBits` of the PDQ hashes given, and content with an identical digest; best hit per ref. */
  search(query: { pdq?: string | null; pdqVariants?: string[]; md5?: string | null; sha256?: string | null }, radiusBits: number): ContentHit[] {
    const best = new Map<number, ContentHit>();
    const keep = (ref: number, signal: Signal, distance: number) => {
      const entry = this.#entries.get(ref);
      if (!entry) return;
      const known = best.get(ref);
      // An identical digest is the strongest evidence: prefer it over a PDQ hit at the same distance.
      if (!known || distance < known.distance || (distance === known.distance && signal !== 'pdq')) best.set(ref, { entry, signal, distance });
    };
    if (query.pdq) {
      const variants = [query.pdq, ...(query.pdqVariants ?? [])];
      for (const m of this.#pdq.queryDihedral(variants, { radius: radiusBits })) keep(m.id, 'pdq', m.distance);
    }
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = query[signal];
      if (!hash) continue;
      for (const ref of this.#exact.get(`${signal}:${hash}`) ?? []) keep(ref, signal, 0);
    }
    return [...best.values()].sort((a, b) => a.distance - b.distance || a.entry.ref - b.entry.ref);
  }
}

function sameHashes(a: ContentEntry, b: ContentEntry): boolean {
  return a.pdq === b.pdq && a.md5 === b.md5 && a.sha256 === b.sha256 && a.pdqVariants.join() === b.pdqVariants.join();
}
