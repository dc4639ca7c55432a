import { signalTypes, type Clock } from '@takedown/core';
import type { FeedEntry, FeedPage } from '../platform/exchange-page.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { applyFeedPage, currentTransactionId, type AppliedPage, type IncomingHash } from '../store/exchange-follow.ts';
import type { IndexHandOver } from './index-follower.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A feed entry in bank-row form, read by its signal type: the value must read back and its key must be the
 * entry's hash (so a hash and a value that disagree never enter the bank); undefined for an entry this
 * deployment cannot read (a type it does not know, a malformed hash).
 */
export function incomingHash(entry: FeedEntry): IncomingHash | undefined {
  return readEntry(entry)?.hash;
}

/** `incomingHash`, with the value as its signal type read it (what the match index takes). */
function readEntry(entry: FeedEntry): { hash: IncomingHash; value: unknown } | undefined {
  const type = signalTypes.get(entry.signal);
  if (!type || !UUID.test(entry.id)) return undefined;
  let value: unknown;
  try {
    value = signalTypes.fromBankRow({ signal: entry.signal, hash: entry.hash, value: entry.value });
    if (value === undefined || type.key(value) !== entry.hash) return undefined;
  } catch {
    return undefined;
  }
  return { hash: { entryId: entry.id, signal: entry.signal, hash: entry.hash, value: entry.value, quality: type.quality?.(value) ?? null, status: entry.status }, value };
}

/** A checked page read into bank-row form, ready to apply (a follower reads the next page while one applies). */
export interface PreparedPage {
  after: number;
  through: number;
  hashes: IncomingHash[];
  /** Entries this deployment cannot read: counted, never applied. */
  rejected: number;
  /** The additions' values as their signal types read them, by entry id: what the match index takes. */
  values: Map<string, unknown>;
}

/** Reads a verified page's entries through their signal types (`incomingHash`), keeping the values read. */
export function preparePage(page: FeedPage): PreparedPage {
  const hashes: IncomingHash[] = [];
  const values = new Map<string, unknown>();
  for (const entry of page.entries) {
    const read = readEntry(entry);
    if (!read) continue;
    hashes.push(read.hash);
    // Keyed as the database writes a uuid back (lower case).
    if (read.hash.status === 'active') values.set(read.hash.entryId.toLowerCase(), read.value);
  }
  return { after: page.after, through: page.through, hashes, rejected: page.entries.length - hashes.length, values };
}

/**
 * Applies a verified page to the source's bank in one transaction: additions and removals as two set-based
 * statements, the cursor moved, one audit event with the counts. Entries this deployment cannot read are
 * counted as rejected, never half-applied. With `index`, the match index takes the page's rows as they were
 * written, once committed, instead of reading them back (`handedOver` says whether it did).
 */
export async function applyVerifiedPage(database: OpenDatabase, clock: Clock, source: { id: string; name: string; bankId: string }, page: FeedPage, index?: IndexHandOver): Promise<AppliedCounts> {
  return handedOverNow(await applyPreparedPage(database, clock, source, preparePage(page), index));
}

/**
 * `applyVerifiedPage` for a page read already, leaving the hand-over to the caller: `handOver` (when an index
 * expects the rows) gives them to it and says whether it took them; until it runs, syncs leave the page's
 * rows out. A follower calls it while the next page's statements run in the database. `meanwhile` runs once
 * this page's first statement is on its way to the database (the previous page's hand-over).
 */
export async function applyPreparedPage(
  database: OpenDatabase,
  clock: Clock,
  source: { id: string; name: string; bankId: string },
  page: PreparedPage,
  index?: IndexHandOver,
  meanwhile?: () => void,
): Promise<DeferredCounts> {
  return applyHashes(database, clock, source, page, page.hashes, page.rejected, index && { index, values: page.values }, meanwhile);
}

export interface AppliedCounts {
  added: number;
  removed: number;
  rejected: number;
  /** The match index took the rows from this transaction itself (no sync needed for them). */
  handedOver: boolean;
}

export interface DeferredCounts {
  added: number;
  removed: number;
  rejected: number;
  /** Gives the committed rows to the match index; false when it could not take them (a sync reads them back). */
  handOver?: () => boolean;
}

/**
 * Applies hashes read from one page of any source (a takedown feed, StopNCII) in one transaction, moving the
 * source's cursor from `after` to `through`; audited when the page held anything.
 */
export async function applyIncoming(
  database: OpenDatabase,
  clock: Clock,
  source: { id: string; name: string; bankId: string },
  cursor: { after: number; through: number },
  hashes: IncomingHash[],
  rejected: number,
): Promise<AppliedCounts> {
  return handedOverNow(await applyHashes(database, clock, source, cursor, hashes, rejected));
}

/** A page's counts with its hand-over run now, for callers that have no next page to overlap it with. */
function handedOverNow({ handOver, ...counts }: DeferredCounts): AppliedCounts {
  return { ...counts, handedOver: handOver?.() ?? false };
}

async function applyHashes(
  database: OpenDatabase,
  clock: Clock,
  source: { id: string; name: string; bankId: string },
  cursor: { after: number; through: number },
  hashes: IncomingHash[],
  rejected: number,
  handOver?: { index: IndexHandOver; values: Map<string, unknown> },
  meanwhile?: () => void,
): Promise<DeferredCounts> {
  const now = clock.now();
  let expected: string | undefined;
  let applied: AppliedPage;
  try {
    applied = await database.transaction(async (tx) => {
      // Expected before its first row is written: a sync meanwhile (another page's commit notified it) skips
      // this transaction's uncommitted rows in the index on change_xid instead of visiting each of them.
      if (handOver && hashes.length > 0) {
        const xid = await currentTransactionId(tx);
        if (handOver.index.expect(xid)) expected = xid;
      }
      const page = await applyFeedPage(tx, now, source, cursor.after, cursor.through, hashes, rejected, meanwhile);
      if (hashes.length + rejected > 0) {
        await appendAudit(tx, now, [{ actor: 'system', action: 'exchange.applied', data: { source: source.name, after: cursor.after, through: cursor.through, added: page.added.length, removed: page.removed.length, rejected } }]);
      }
      return page;
    });
  } catch (error) {
    if (handOver && expected !== undefined) handOver.index.forget(expected);
    throw error;
  }
  const counts = { added: applied.added.length, removed: applied.removed.length, rejected };
  if (!handOver || expected === undefined) return counts;
  const { index, values } = handOver;
  const xid = expected;
  let done = false;
  return {
    ...counts,
    handOver: () => {
      if (done) return false;
      done = true;
      const signalOf = new Map(hashes.map((h) => [h.entryId.toLowerCase(), h.signal]));
      try {
        index.take(
          xid,
          applied.added.map((r) => ({ id: r.id, bankId: source.bankId, signal: signalOf.get(r.entryId)!, value: values.get(r.entryId), itemId: null })),
          applied.removed.map((r) => ({ ...r, bankId: source.bankId })),
        );
        return true;
      } catch {
        // The index forgot the transaction: a sync reads its rows back.
        return false;
      }
    },
  };
}
