import { signalTypes, type Clock } from '@takedown/core';
import type { FeedEntry, FeedPage } from '../platform/exchange-page.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { applyFeedPage, type AppliedPage, type IncomingHash } from '../store/exchange-follow.ts';
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

/**
 * Applies a verified page to the source's bank in one transaction: additions and removals as two set-based
 * statements, the cursor moved, one audit event with the counts. Entries this deployment cannot read are
 * counted as rejected, never half-applied. With `index`, the match index takes the page's rows as they were
 * written, once committed, instead of reading them back (`handedOver` says whether it did).
 */
export async function applyVerifiedPage(database: OpenDatabase, clock: Clock, source: { id: string; name: string; bankId: string }, page: FeedPage, index?: IndexHandOver): Promise<AppliedCounts> {
  const hashes: IncomingHash[] = [];
  const values = new Map<string, unknown>();
  for (const entry of page.entries) {
    const read = readEntry(entry);
    if (!read) continue;
    hashes.push(read.hash);
    if (index && read.hash.status === 'active') values.set(read.hash.entryId, read.value);
  }
  return applyIncoming(database, clock, source, { after: page.after, through: page.through }, hashes, page.entries.length - hashes.length, index && { index, values });
}

export interface AppliedCounts {
  added: number;
  removed: number;
  rejected: number;
  /** The match index took the rows from this transaction itself (no sync needed for them). */
  handedOver: boolean;
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
  handOver?: { index: IndexHandOver; values: Map<string, unknown> },
): Promise<AppliedCounts> {
  const now = clock.now();
  let expected: string | undefined;
  let applied: AppliedPage;
  try {
    applied = await database.transaction(async (tx) => {
      const page = await applyFeedPage(tx, now, source, cursor.after, cursor.through, hashes, rejected);
      if (hashes.length + rejected > 0) {
        await appendAudit(tx, now, [{ actor: 'system', action: 'exchange.applied', data: { source: source.name, after: cursor.after, through: cursor.through, added: page.added.length, removed: page.removed.length, rejected } }]);
      }
      if (handOver && hashes.length > 0 && handOver.index.expect(page.xid)) expected = page.xid;
      return page;
    });
  } catch (error) {
    if (handOver && expected !== undefined) handOver.index.forget(expected);
    throw error;
  }
  let handedOver = false;
  if (handOver && expected !== undefined) {
    const signalOf = new Map(hashes.map((h) => [h.entryId, h.signal]));
    try {
      handOver.index.take(
        expected,
        applied.added.map((r) => ({ id: r.id, bankId: source.bankId, signal: signalOf.get(r.entryId)!, value: handOver.values.get(r.entryId), itemId: null })),
        applied.removed.map((r) => ({ ...r, bankId: source.bankId })),
      );
      handedOver = true;
    } catch {
      // The index forgot the transaction: the caller's sync reads its rows back.
    }
  }
  return { added: applied.added.length, removed: applied.removed.length, rejected, handedOver };
}
