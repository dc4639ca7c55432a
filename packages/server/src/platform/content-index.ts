import type { VpdqFrame } from '@takedown/core';
import { MatchIndex } from '@takedown/match';
import { VideoBank } from '@takedown/vpdq';
import { vpdqShareBothWays } from './bank-thresholds.ts';
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
  /** A video's vPDQ frames, when registered. */
  vpdq?: VpdqFrame[] | null;
  deleted: boolean;
}

export interface ContentHit {
  entry: ContentEntry;
  signal: Signal;
  /** PDQ bits; 0 for a digest; for vPDQ the frame threshold (31), with the shares of frames matched in `video`. */
  distance: number;
  video?: { queryMatchPercent: number; comparedMatchPercent: number };
}

/**
 * The platform's content, in memory, for known-copy sweeps (§3(a)(3)(B)). Each piece of content is filed
 * under all its dihedral variants, so querying with a confirmed item's hash finds rotated and mirrored copies.
 */
export class ContentIndex {
  readonly #pdq = new MatchIndex();
  readonly #exact = new Map<string, number[]>();
  readonly #entries = new Map<number, ContentEntry>();
  /** Videos by ref: every frame in one index (`@takedown/vpdq`). */
  readonly #videos = new VideoBank();

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
    if (entry.vpdq && entry.vpdq.length > 0) this.#videos.add(entry.ref, { type: 'vpdq', frames: entry.vpdq });
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
    this.#videos.remove(entry.ref);
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = entry[signal];
      if (!hash) continue;
      const key = `${signal}:${hash}`;
      const rest = (this.#exact.get(key) ?? []).filter((r) => r !== entry.ref);
      if (rest.length === 0) this.#exact.delete(key);
      else this.#exact.set(key, rest);
    }
  }

  /**
   * Content within `radiusBits` of the PDQ hashes given, content with an identical digest, and videos sharing
   * at least `vpdqMatchPercent` of their frames both ways (vPDQ's default 80 %); best hit per ref.
   */
  search(query: { pdq?: string | null; pdqVariants?: string[]; md5?: string | null; sha256?: string | null; vpdq?: VpdqFrame[] | null }, radiusBits: number, vpdqMatchPercent = 80): ContentHit[] {
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
    if (query.vpdq && query.vpdq.length > 0) {
      // Videos: ≥ vpdqMatchPercent of frames both ways (frames within 31 bits, quality ≥ 50, as vPDQ's
      // defaults); a digest or PDQ hit on the same content is kept instead.
      for (const m of this.#videos.query({ type: 'vpdq', frames: query.vpdq }, { onlyMatches: true, ...vpdqShareBothWays(vpdqMatchPercent) })) {
        const entry = this.#entries.get(m.videoId);
        if (!entry || best.has(m.videoId)) continue;
        best.set(m.videoId, { entry, signal: 'vpdq', distance: m.thresholds.distanceThresholdBits, video: { queryMatchPercent: m.queryMatchPercent, comparedMatchPercent: m.comparedMatchPercent } });
      }
    }
    return [...best.values()].sort((a, b) => a.distance - b.distance || a.entry.ref - b.entry.ref);
  }
}

function sameHashes(a: ContentEntry, b: ContentEntry): boolean {
  return a.pdq === b.pdq && a.md5 === b.md5 && a.sha256 === b.sha256 && a.pdqVariants.join() === b.pdqVariants.join() && JSON.stringify(a.vpdq ?? null) === JSON.stringify(b.vpdq ?? null);
}
