import { MatchIndex } from '@takedown/match';
import type { BankThresholds } from './bank-thresholds.ts';
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
}

/** The hashes of one upload to look up: PDQ (and its dihedral variants when the bytes were hashed), digests. */
export interface UploadHashes {
  pdq?: string;
  /** The other dihedral variants of the upload's PDQ (finds rotated and mirrored re-uploads). */
  pdqVariants?: string[];
  md5?: string;
  sha256?: string;
}

const MAX_REVIEW_BITS = 31;

/**
 * Every enabled bank's hashes in memory: PDQ in one multi-index (`@takedown/match`, ids are bank_hashes ids),
 * MD5 and SHA-256 in maps. Changes apply at once and are idempotent, so the follower may hand over a row twice.
 */
export class BankIndex {
  readonly #pdq = new MatchIndex();
  readonly #exact = new Map<string, number[]>();
  readonly #entries = new Map<number, { bankId: string; signal: Signal; hash: string; itemId: string | null }>();
  readonly #banks = new Map<string, BankEntry>();

  get size(): number {
    return this.#entries.size;
  }

  banks(): BankEntry[] {
    return [...this.#banks.values()];
  }

  applyBank(bank: BankEntry): void {
    this.#banks.set(bank.id, bank);
  }

  applyHash(row: BankHashEntry): void {
    const known = this.#entries.get(row.id);
    if (row.removed) {
      if (!known) return;
      this.#entries.delete(row.id);
      if (known.signal === 'pdq') this.#pdq.remove(row.id);
      else this.#dropExact(`${known.signal}:${known.hash}`, row.id);
      return;
    }
    if (known) return;
    this.#entries.set(row.id, { bankId: row.bankId, signal: row.signal, hash: row.hash, itemId: row.itemId });
    if (row.signal === 'pdq') this.#pdq.add(row.id, row.hash);
    else {
      const key = `${row.signal}:${row.hash}`;
      const ids = this.#exact.get(key);
      if (ids) ids.push(row.id);
      else this.#exact.set(key, [row.id]);
    }
  }

  /** Bulk load of PDQ rows (8 words each) at start: one allocation instead of one per hash. */
  loadPdq(rows: { id: number; bankId: string; hash: string; itemId: string | null }[]): void {
    const fresh = rows.filter((r) => !this.#entries.has(r.id));
    this.#pdq.addHex(fresh.map((r) => ({ id: r.id, hash: r.hash })));
    for (const r of fresh) this.#entries.set(r.id, { bankId: r.bankId, signal: 'pdq', hash: r.hash, itemId: r.itemId });
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
    const enabled = [...this.#banks.values()].filter((b) => b.enabled);
    if (enabled.length === 0) return hits;
    const radius = Math.min(MAX_REVIEW_BITS, Math.max(...enabled.map((b) => Math.max(b.thresholds.pdqReviewBits, b.thresholds.pdqBlockBits))));
    if (upload.pdq) {
      const variants = [upload.pdq, ...(upload.pdqVariants ?? [])];
      const matches = variants.length > 1 ? this.#pdq.queryDihedral(variants, { radius }) : this.#pdq.query(upload.pdq, { radius });
      for (const match of matches) this.#hit(hits, match.id, match.distance);
    }
    for (const signal of ['md5', 'sha256'] as const) {
      const hash = upload[signal];
      if (!hash) continue;
      for (const id of this.#exact.get(`${signal}:${hash}`) ?? []) this.#hit(hits, id, 0);
    }
    return hits;
  }

  #hit(hits: BankHit[], id: number, distance: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    const bank = this.#banks.get(entry.bankId);
    if (!bank || !bank.enabled) return;
    const hit: BankHit = {
      bankId: bank.id,
      bankName: bank.name,
      signal: entry.signal,
      distance,
      confirmedItem: bank.kind === 'confirmed' && entry.itemId !== null,
      thresholds: bank.thresholds,
    };
    if (entry.itemId) hit.itemId = entry.itemId;
    hits.push(hit);
  }
}
