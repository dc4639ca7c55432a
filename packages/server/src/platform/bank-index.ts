import type { VpdqFrame } from '@takedown/core';
import { MatchIndex, type VerifyHelperLike } from '@takedown/match';
import { VideoBank } from '@takedown/vpdq';
import { vpdqShareBothWays, type BankThresholds } from './bank-thresholds.ts';
import { storedFrames } from './content-entry.ts';
import type { BankHit, Signal } from './verdict.ts';

/** A bank as the index needs it (store/platform-banks.ts reads these from the `banks` table). */
export interface BankEntry {
  id: string;
  name: string;
  kind: 'confirmed' | 'imported';
  enabled: boolean;
  thresholds: BankThresholds;
}

/** One row of `bank_hashes`; `removed` when it no longer counts. */
export interface BankHashEntry {
  id: number;
  bankId: string;
  signal: Signal;
  hash: string;
  itemId: string | null;
  removed: boolean;
  /** vPDQ rows: the frames as JSON text. */
  frames?: string | null;
}

/** The hashes of one upload to look up: PDQ (and its dihedral variants when the bytes were hashed), digests. */
export interface UploadHashes {
  pdq?: string;
  /** The other dihedral variants of the upload's PDQ (finds rotated and mirrored re-uploads). */
  pdqVariants?: string[];
  md5?: string;
  sha256?: string;
  /** A video's vPDQ frames. */
  vpdq?: VpdqFrame[];
}

const MAX_REVIEW_BITS = 31;

/**
 * Every enabled bank's hashes in memory: PDQ in one multi-index (`@takedown/match`, ids are bank_hashes ids),
 * MD5 and SHA-256 in maps. Changes apply at once and are idempotent, so the follower may hand over a row twice.
 *
 * Per-hash bookkeeping is kept in maps of numbers (id → bank slot), not objects: a bank of millions of
 * hashes then adds almost nothing for the garbage collector to walk on every major collection.
 */
export class BankIndex {
  readonly #pdq: MatchIndex;
  /** PDQ rows: id → bank slot. */
  readonly #pdqBank = new Map<number, number>();
  /** MD5 / SHA-256 rows: `signal:hash` → ids, and id → (key, bank slot) for removal. */
  readonly #exact = new Map<string, number[]>();
  readonly #exactRows = new Map<number, { key: string; slot: number }>();
  /** vPDQ rows: every frame of every banked video in one index (`@takedown/vpdq`), id → bank slot. */
  readonly #videos = new VideoBank();
  readonly #videoBank = new Map<number, number>();
  /** The case item behind a banked hash (confirmed bank only). */
  readonly #items = new Map<number, string>();
  readonly #banks = new Map<string, BankEntry>();
  readonly #slots: string[] = [];
  readonly #slotOf = new Map<string, number>();

  /** `helper`: a second thread for PDQ lookups in banks of millions of hashes (see MatchIndex). */
  constructor(options: { helper?: VerifyHelperLike } = {}) {
    this.#pdq = new MatchIndex({ helper: options.helper });
  }

  get size(): number {
    return this.#pdqBank.size + this.#exactRows.size + this.#videoBank.size;
  }

  banks(): BankEntry[] {
    return [...this.#banks.values()];
  }

  applyBank(bank: BankEntry): void {
    this.#banks.set(bank.id, bank);
    this.#slot(bank.id);
  }

  #slot(bankId: string): number {
    let slot = this.#slotOf.get(bankId);
    if (slot === undefined) {
      slot = this.#slots.length;
      this.#slots.push(bankId);
      this.#slotOf.set(bankId, slot);
    }
    return slot;
  }

  applyHash(row: BankHashEntry): void {
    const known = this.#pdqBank.has(row.id) || this.#exactRows.has(row.id) || this.#videoBank.has(row.id);
    if (row.removed) {
      if (!known) return;
      this.#items.delete(row.id);
      if (this.#pdqBank.delete(row.id)) this.#pdq.remove(row.id);
      else if (this.#videoBank.delete(row.id)) this.#videos.remove(row.id);
      else {
        const exact = this.#exactRows.get(row.id)!;
        this.#exactRows.delete(row.id);
        this.#dropExact(exact.key, row.id);
      }
      return;
    }
    if (known) return;
    if (row.signal === 'vpdq') {
      // Written by this server only (checked on the way in); a row that does not read back is left out.
      const frames = storedFrames(row.frames);
      if (!frames) return;
      this.#videoBank.set(row.id, this.#slot(row.bankId));
      this.#videos.add(row.id, { type: 'vpdq', frames });
      if (row.itemId) this.#items.set(row.id, row.itemId);
      return;
    }
    const slot = this.#slot(row.bankId);
    if (row.itemId) this.#items.set(row.id, row.itemId);
    if (row.signal === 'pdq') {
      this.#pdqBank.set(row.id, slot);
      this.#pdq.add(row.id, row.hash);
      return;
    }
    const key = `${row.signal}:${row.hash}`;
    this.#exactRows.set(row.id, { key, slot });
    const ids = this.#exact.get(key);
    if (ids) ids.push(row.id);
    else this.#exact.set(key, [row.id]);
  }

  /** Bulk load of PDQ rows at start: one allocation for the hashes instead of one per hash. */
  loadPdq(rows: { id: number; bankId: string; hash: string; itemId: string | null }[]): void {
    const fresh = rows.filter((r) => !this.#pdqBank.has(r.id));
    this.#pdq.addHex(fresh.map((r) => ({ id: r.id, hash: r.hash })));
    for (const r of fresh) {
      this.#pdqBank.set(r.id, this.#slot(r.bankId));
      if (r.itemId) this.#items.set(r.id, r.itemId);
    }
  }

  /** Folds the hashes added so far into the compact postings (after a bulk load; queries never need it). */
  compact(): void {
    this.#pdq.compact();
  }

  #dropExact(key: string, id: number): void {
    const ids = this.#exact.get(key);
    if (!ids) return;
    const rest = ids.filter((x) => x !== id);
    if (rest.length === 0) this.#exact.delete(key);
    else this.#exact.set(key, rest);
  }

  /** Every hit in an enabled bank within that bank's review threshold (thresholds applied by verdict.ts). */
  lookup(upload: UploadHashes): BankHit[] {
    const hits: BankHit[] = [];
    let radius = -1;
    for (const bank of this.#banks.values()) {
      if (bank.enabled) radius = Math.max(radius, bank.thresholds.pdqReviewBits, bank.thresholds.pdqBlockBits);
    }
    if (radius < 0) return hits;
    radius = Math.min(MAX_REVIEW_BITS, radius);
    if (upload.pdq) {
      const variants = [upload.pdq, ...(upload.pdqVariants ?? [])];
      const matches = variants.length > 1 ? this.#pdq.queryDihedral(variants, { radius }) : this.#pdq.query(upload.pdq, { radius });
      for (const match of matches) {
        const slot = this.#pdqBank.get(match.id);
        if (slot !== undefined) this.#hit(hits, match.id, slot, 'pdq', match.distance);
      }
    }
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = upload[signal];
      if (!hash) continue;
      for (const id of this.#exact.get(`${signal}:${hash}`) ?? []) this.#hit(hits, id, this.#exactRows.get(id)!.slot, signal, 0);
    }
    if (upload.vpdq && this.#videoBank.size > 0) {
      // A video matches when both shares of frames reach its bank's vPDQ threshold (80 % each by default):
      // asked at the lowest threshold of the enabled banks, then held to each bank's own.
      let percent = 101;
      for (const bank of this.#banks.values()) if (bank.enabled) percent = Math.min(percent, bank.thresholds.vpdqMatchPercent);
      for (const match of this.#videos.query({ type: 'vpdq', frames: upload.vpdq }, { onlyMatches: true, ...vpdqShareBothWays(percent) })) {
        const slot = this.#videoBank.get(match.videoId);
        if (slot === undefined) continue;
        const needed = this.#banks.get(this.#slots[slot])?.thresholds.vpdqMatchPercent ?? 100;
        if (match.queryMatchPercent < needed || match.comparedMatchPercent < needed) continue;
        this.#hit(hits, match.videoId, slot, 'vpdq', match.thresholds.distanceThresholdBits, {
          queryMatchPercent: match.queryMatchPercent,
          comparedMatchPercent: match.comparedMatchPercent,
        });
      }
    }
    return hits;
  }

  #hit(hits: BankHit[], id: number, slot: number, signal: Signal, distance: number, video?: BankHit['video']): void {
    const bank = this.#banks.get(this.#slots[slot]);
    if (!bank || !bank.enabled) return;
    const itemId = this.#items.get(id);
    const hit: BankHit = { bankId: bank.id, bankName: bank.name, signal, distance, confirmedItem: bank.kind === 'confirmed' && itemId !== undefined, thresholds: bank.thresholds };
    if (itemId) hit.itemId = itemId;
    if (video) hit.video = video;
    hits.push(hit);
  }
}
