import { countsAsConfirmed, signalTypes, type BankThresholds, type FeedTrust, type HashProvenance, type SignalHit, type SignalIndex, type SignalMatch, type SignalRegistry, type SignalValues } from '@takedown/core';
import type { VerifyHelperLike } from '@takedown/match';
import { IdTable } from './id-table.ts';

/** A bank as the index needs it (store/platform-banks.ts reads these from the `banks` table). */
export interface BankEntry {
  id: string;
  name: string;
  kind: 'confirmed' | 'imported';
  enabled: boolean;
  /** Per signal type, that type's thresholds (every registered type present). */
  thresholds: BankThresholds;
  /** A bank filled by a followed feed: the source's name and the trust it was followed with. */
  followed?: { source: string; trust: FeedTrust };
}

/** One row of `bank_hashes`, its value read by its signal type; `removed` when it no longer counts. */
export interface BankHashEntry {
  id: number;
  bankId: string;
  signal: string;
  value: unknown;
  itemId: string | null;
  removed: boolean;
}

/** One hit of an upload in a bank, judged against that bank's thresholds for the signal type. */
export interface BankHit {
  /** The bank_hashes row that matched (HMA's `bank_content_id`). */
  hashId: number;
  bankId: string;
  bankName: string;
  signal: string;
  match: SignalMatch;
  /** The case item the banked hash came from; absent for hashes imported from partners. */
  itemId?: string;
  /**
   * True when the hit may count as confirmed by a person in core's rule for acting without one: a hash of an
   * item confirmed here, or of a feed followed with trust "block" (core's `countsAsConfirmed`).
   */
  confirmedItem: boolean;
  /** Where the banked hash came from: this deployment, an imported list, or a followed feed. */
  provenance: HashProvenance;
}

function provenanceOf(bank: BankEntry, itemId: string | undefined): HashProvenance {
  if (bank.followed) return { kind: 'followed', source: bank.followed.source, trust: bank.followed.trust };
  if (bank.kind === 'confirmed') return itemId === undefined ? { kind: 'local' } : { kind: 'local', itemId };
  return { kind: 'imported', bank: bank.name };
}

/** Bank slots an id table value holds (its low 16 bits), and where the signal type's number starts. */
const SLOTS = 0x10000;

/**
 * Every enabled bank's hashes in memory: one index per signal type (the type's own, from the registry;
 * ids are bank_hashes ids). Changes apply at once and are idempotent, so the follower may hand over a row
 * twice. Per-hash bookkeeping is one number per id in an id table (its bank slot and signal type), not an
 * object nor a `Map` entry: a bank of 100 M hashes adds 4 bytes a hash and nothing for the garbage
 * collector to walk (a `Map` holds at most 2^24 entries).
 */
export class BankIndex {
  readonly #registry: SignalRegistry;
  readonly #indexes = new Map<string, SignalIndex>();
  /** id → its bank slot + 1 + SLOTS × its signal type's number, for every live row. */
  #filed = new IdTable();
  /** Signal type names by number (the registry's order). */
  readonly #signals: string[];
  /** The case item behind a banked hash (confirmed bank only). */
  readonly #items = new Map<number, string>();
  readonly #banks = new Map<string, BankEntry>();
  readonly #slots: string[] = [];
  readonly #slotOf = new Map<string, number>();
  #helper: VerifyHelperLike | undefined;

  /** `helper`: a second thread for PDQ lookups in banks of millions of hashes (see MatchIndex). */
  constructor(options: { helper?: VerifyHelperLike; registry?: SignalRegistry } = {}) {
    this.#registry = options.registry ?? signalTypes;
    this.#signals = this.#registry.all().map((type) => type.name);
    this.#helper = options.helper;
    for (const type of this.#registry.all()) {
      this.#indexes.set(type.name, type.createIndex({ verifyHelper: options.helper }));
    }
  }

  get size(): number {
    return this.#filed.size;
  }

  /** The thread the indexes' PDQ lookups share (for a PDQ index given with `serveWith`). */
  get verifyHelper(): VerifyHelperLike | undefined {
    return this.#helper;
  }

  /**
   * Empties the index (banks and hashes), each signal type served by its own index again, with `helper`:
   * for a load from scratch once the indexes were closed (their threads stopped).
   */
  clear(options: { helper?: VerifyHelperLike } = {}): void {
    this.#helper = options.helper;
    this.#indexes.clear();
    for (const type of this.#registry.all()) this.#indexes.set(type.name, type.createIndex({ verifyHelper: options.helper }));
    this.#filed = new IdTable();
    this.#items.clear();
    this.#banks.clear();
    this.#slots.length = 0;
    this.#slotOf.clear();
  }

  /**
   * Serves one signal type with the index given instead of the type's own (the server's sharded PDQ index),
   * before any of its hashes is loaded.
   */
  serveWith(signal: string, index: SignalIndex): void {
    const current = this.#indexes.get(signal);
    if (!current) throw new Error(`no signal type is named ${signal}`);
    if (current.size > 0) throw new Error(`the ${signal} index already holds hashes: give another index before loading`);
    this.#indexes.set(signal, index);
  }

  /** How many live hashes of one signal type the index holds (0 for a type it does not know). */
  sizeOf(signal: string): number {
    return this.#indexes.get(signal)?.size ?? 0;
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
      if (slot >= SLOTS - 1) throw new RangeError(`the bank index holds at most ${SLOTS - 1} banks`);
      this.#slots.push(bankId);
      this.#slotOf.set(bankId, slot);
    }
    return slot;
  }

  applyHash(row: BankHashEntry): void {
    const filed = this.#filed.get(row.id);
    const known = filed !== 0;
    if (row.removed) {
      if (!known) return;
      this.#indexes.get(this.#signals[Math.floor(filed / SLOTS)])?.remove(row.id);
      this.#filed.delete(row.id);
      this.#items.delete(row.id);
      return;
    }
    const index = this.#indexes.get(row.signal);
    // A type no longer registered, or a value that did not read back: left out (written by this server only).
    if (known || !index || row.value === undefined) return;
    index.add(row.id, row.value);
    this.#file(row);
  }

  /** Bulk load of rows at start: each type's index takes its rows at once where it can (PDQ: one allocation). */
  load(rows: Omit<BankHashEntry, 'removed'>[]): void {
    const fresh = rows.filter((r) => !this.#filed.has(r.id) && r.value !== undefined && this.#indexes.has(r.signal));
    for (const [signal, index] of this.#indexes) {
      const mine = fresh.filter((r) => r.signal === signal);
      if (mine.length === 0) continue;
      if (index.addMany) index.addMany(mine);
      else for (const r of mine) index.add(r.id, r.value);
    }
    for (const r of fresh) this.#file(r);
  }

  #file(row: Omit<BankHashEntry, 'removed'>): void {
    this.#filed.set(row.id, this.#slot(row.bankId) + 1 + SLOTS * this.#signals.indexOf(row.signal));
    if (row.itemId) this.#items.set(row.id, row.itemId);
  }

  /** Folds the hashes added so far into the compact postings (after a bulk load; queries never need it). */
  compact(): void {
    for (const index of this.#indexes.values()) index.compact?.();
  }

  /**
   * Every hit of the upload's signals in an enabled bank, judged against that bank's thresholds.
   * `includeDisabled` searches disabled banks too (HMA's raw lookup and `bypass_coinflip`); checks never do.
   */
  lookup(upload: SignalValues, options: { includeDisabled?: boolean } = {}): BankHit[] {
    const searched = this.#searched(options);
    const hits: BankHit[] = [];
    if (searched.length === 0) return hits;
    for (const [signal, value] of Object.entries(upload)) {
      const index = this.#indexes.get(signal);
      if (!index || value === undefined) continue;
      this.#judge(signal, index.search(value, searched.map((b) => b.thresholds[signal])), options, hits);
    }
    return hits;
  }

  /**
   * `lookup` without blocking this thread where an index can answer elsewhere (a PDQ index in worker
   * threads): the upload check's path. The same hits as `lookup`, judged when the answers arrive.
   */
  async lookupAsync(upload: SignalValues, options: { includeDisabled?: boolean } = {}): Promise<BankHit[]> {
    const searched = this.#searched(options);
    const hits: BankHit[] = [];
    if (searched.length === 0) return hits;
    for (const [signal, value] of Object.entries(upload)) {
      const index = this.#indexes.get(signal);
      if (!index || value === undefined) continue;
      const within = searched.map((b) => b.thresholds[signal]);
      this.#judge(signal, index.searchAsync ? await index.searchAsync(value, within) : index.search(value, within), options, hits);
    }
    return hits;
  }

  #searched(options: { includeDisabled?: boolean }): BankEntry[] {
    return [...this.#banks.values()].filter((b) => b.enabled || options.includeDisabled);
  }

  /** Judges each hit of one signal type against its bank's thresholds (banks read now: one disabled meanwhile is left out). */
  #judge(signal: string, found: readonly SignalHit[], options: { includeDisabled?: boolean }, hits: BankHit[]): void {
    for (const hit of found) {
      const filed = this.#filed.get(hit.id);
      const bank = filed === 0 ? undefined : this.#banks.get(this.#slots[(filed % SLOTS) - 1]);
      if (!bank || !(bank.enabled || options.includeDisabled)) continue;
      const match = hit.judge(bank.thresholds[signal]);
      if (!match) continue;
      const itemId = this.#items.get(hit.id);
      const provenance = provenanceOf(bank, itemId);
      const bankHit: BankHit = { bankId: bank.id, bankName: bank.name, signal, match, confirmedItem: countsAsConfirmed(provenance), provenance, hashId: hit.id };
      if (itemId) bankHit.itemId = itemId;
      hits.push(bankHit);
    }
  }
}
