import type { SignalValues } from '@takedown/core';
import type { BankIndex } from '../platform/bank-index.ts';
import type { Tx } from '../store/database.ts';
import { feedMatchRef } from '../store/exchange-follow.ts';

/**
 * An item's matches against hashes of followed feeds, as item_matches rows (`feed:<source>:<entry id>`):
 * the reviewer sees where the hash came from, and the decision on the item becomes feedback to that source.
 */
export async function feedMatchRows(tx: Tx, banks: BankIndex, itemId: string, signals: SignalValues, now: Date) {
  const hits = banks.lookup(signals).filter((hit) => hit.provenance.kind === 'followed').slice(0, 50);
  if (hits.length === 0) return [];
  const entries = await tx.selectFrom('bank_hashes').select(['id', 'exchange_entry']).where('id', 'in', hits.map((h) => h.hashId)).execute();
  const entryOf = new Map(entries.map((e) => [Number(e.id), e.exchange_entry]));
  return hits.flatMap((hit) => {
    const entry = entryOf.get(hit.hashId);
    if (!entry || hit.provenance.kind !== 'followed') return [];
    return [{ item_id: itemId, signal: hit.signal, matched_ref: feedMatchRef(hit.provenance.source, entry), distance: hit.match.distance, threshold: hit.match.threshold, found_at: now }];
  });
}
