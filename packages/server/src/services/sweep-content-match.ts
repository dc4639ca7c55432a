import { signalTypes } from '@takedown/core';
import { MATCH_ITEM_JOB } from './intake.ts';
import type { BankIndex } from '../platform/bank-index.ts';
import type { ContentIndex } from '../platform/content-index.ts';
import { feedMatchRows } from './feed-matches.ts';
import type { Tx } from '../store/database.ts';
import type { JobHandler } from '../store/job-queue.ts';

export { MATCH_ITEM_JOB };

/**
 * A new request item with hashes: find where the platform hosts it, and which hashes of followed feeds it
 * matches, so the reviewer sees them (with the distance and the threshold used) before deciding. Nothing is
 * removed here.
 */
export function contentMatchHandler(options: { content: ContentIndex; banks?: BankIndex }): JobHandler {
  return async (tx: Tx, job, now) => {
    const itemId = String(job.payload.itemId ?? '');
    const item = await tx.selectFrom('items').select(['id', 'signals', 'state']).where('id', '=', itemId).executeTakeFirst();
    if (!item || (item.state !== 'pending' && item.state !== 'confirmed')) return;
    // Every signal type's default thresholds: the widest a reviewer should see, whatever a bank blocks at.
    const signals = signalTypes.fromStored(item.signals);
    const hits = options.content.search(signals).slice(0, 50);
    const known = await tx.selectFrom('item_matches').select('matched_ref').where('item_id', '=', item.id).execute();
    const seen = new Set(known.map((k) => k.matched_ref));
    const rows = hits
      .map((hit) => ({
        item_id: item.id,
        signal: hit.signal,
        matched_ref: `content:${hit.entry.platformId}:${hit.entry.contentId}`,
        distance: hit.match.distance,
        threshold: hit.match.threshold,
        found_at: now,
      }))
      .concat(options.banks ? await feedMatchRows(tx, options.banks, item.id, signals, now) : [])
      .filter((row) => !seen.has(row.matched_ref));
    if (rows.length > 0) await tx.insertInto('item_matches').values(rows).execute();
  };
}
