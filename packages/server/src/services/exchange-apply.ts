import { signalTypes, type Clock } from '@takedown/core';
import type { FeedEntry, FeedPage } from '../platform/exchange-page.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { applyFeedPage, type IncomingHash } from '../store/exchange-follow.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A feed entry in bank-row form, read by its signal type: the value must read back and its key must be the
 * entry's hash (so a hash and a value that disagree never enter the bank); undefined for an entry this
 * deployment cannot read (a type it does not know, a malformed hash).
 */
export function incomingHash(entry: FeedEntry): IncomingHash | undefined {
  const type = signalTypes.get(entry.signal);
  if (!type || !UUID.test(entry.id)) return undefined;
  let value: unknown;
  try {
    value = signalTypes.fromBankRow({ signal: entry.signal, hash: entry.hash, value: entry.value });
    if (value === undefined || type.key(value) !== entry.hash) return undefined;
  } catch {
    return undefined;
  }
  return { entryId: entry.id, signal: entry.signal, hash: entry.hash, value: entry.value, quality: type.quality?.(value) ?? null, status: entry.status };
}

/**
 * Applies a verified page to the source's bank in one transaction: additions and removals as two set-based
 * statements, the cursor moved, one audit event with the counts. Entries this deployment cannot read are
 * counted as rejected, never half-applied.
 */
export async function applyVerifiedPage(database: OpenDatabase, clock: Clock, source: { id: string; name: string; bankId: string }, page: FeedPage): Promise<{ added: number; removed: number; rejected: number }> {
  const hashes: IncomingHash[] = [];
  for (const entry of page.entries) {
    const hash = incomingHash(entry);
    if (hash) hashes.push(hash);
  }
  return applyIncoming(database, clock, source, { after: page.after, through: page.through }, hashes, page.entries.length - hashes.length);
}

/**
 * Applies hashes read from one page of any source (a takedown feed, StopNCII) in one transaction, moving the
 * source's cursor from `after` to `through`; audited when the page held anything.
 */
export async function applyIncoming(database: OpenDatabase, clock: Clock, source: { id: string; name: string; bankId: string }, cursor: { after: number; through: number }, hashes: IncomingHash[], rejected: number): Promise<{ added: number; removed: number; rejected: number }> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const { added, removed } = await applyFeedPage(tx, now, source, cursor.after, cursor.through, hashes, rejected);
    if (hashes.length + rejected > 0) {
      await appendAudit(tx, now, [{ actor: 'system', action: 'exchange.applied', data: { source: source.name, after: cursor.after, through: cursor.through, added, removed, rejected } }]);
    }
    return { added, removed, rejected };
  });
}
