import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** A feed entry checked and put in bank-row form (signalTypes.toBankRow) by the follower. */
export interface IncomingHash {
  entryId: string;
  signal: string;
  hash: string;
  value: string | null;
  quality: number | null;
  status: 'active' | 'withdrawn';
}

/**
 * Applies one verified page of a followed feed to the source's bank, in the caller's transaction, as two
 * set-based statements (additions, removals), then moves the source's cursor from `after` to `through`.
 * Additions go in in key order: each page then walks the live-hash index once from end to end instead of
 * at random, which keeps a large bank's index inserts in cache.
 * The cursor moves only from where this page started: a page applied twice (two replicas, a retry) finds
 * the cursor moved and is rolled back whole.
 */
export async function applyFeedPage(tx: Tx, now: Date, source: { id: string; bankId: string }, after: number, through: number, hashes: IncomingHash[], rejected: number): Promise<{ added: number; removed: number }> {
  const adds = hashes.filter((h) => h.status === 'active');
  const removals = hashes.filter((h) => h.status === 'withdrawn');
  let added = 0;
  let removed = 0;
  if (removals.length > 0) {
    const result = await sql`
      update bank_hashes set removed_at = ${now}::timestamptz, change_xid = pg_current_xact_id()
      from unnest(${removals.map((h) => h.signal)}::text[], ${removals.map((h) => h.hash)}::text[]) as r(signal, hash)
      where bank_hashes.bank_id = ${source.bankId}::uuid and bank_hashes.signal = r.signal and bank_hashes.hash = r.hash and bank_hashes.removed_at is null`.execute(tx);
    removed = Number(result.numAffectedRows ?? 0);
  }
  if (adds.length > 0) {
    const result = await sql`
      insert into bank_hashes (bank_id, signal, hash, value, quality, item_id, added_at, removed_at, exchange_entry)
      select ${source.bankId}::uuid, a.signal, a.hash, a.value, a.quality, null, ${now}::timestamptz, null, a.entry
      from unnest(${adds.map((h) => h.signal)}::text[], ${adds.map((h) => h.hash)}::text[], ${adds.map((h) => h.value)}::text[], ${adds.map((h) => h.quality)}::integer[], ${adds.map((h) => h.entryId)}::uuid[]) as a(signal, hash, value, quality, entry)
      order by a.signal, a.hash
      on conflict (bank_id, signal, hash, item_id) where removed_at is null do nothing`.execute(tx);
    added = Number(result.numAffectedRows ?? 0);
  }
  const moved = await sql`
    update exchange_sources set cursor = ${through}, applied = applied + ${hashes.length}, rejected = rejected + ${rejected},
      failures = 0, last_error = null, last_success_at = ${now}::timestamptz
    where id = ${source.id}::uuid and cursor = ${after}`.execute(tx);
  if (Number(moved.numAffectedRows ?? 0) !== 1) throw new CursorMovedError();
  return { added, removed };
}

/** The source's cursor was moved by someone else meanwhile: the page is not applied (the next fetch starts from there). */
export class CursorMovedError extends Error {
  constructor() {
    super('the feed cursor moved while the page was applied');
  }
}

/**
 * A reviewer decided an item that matched hashes of followed feeds: the verdict (confirmed, or a false
 * positive when declined) waits in the outbox for each source, in the deciding transaction.
 */
export async function queueFeedFeedback(tx: Tx, now: Date, itemId: string, verdict: 'confirmed' | 'false_positive'): Promise<number> {
  const result = await sql`
    insert into exchange_feedback_outbox (source_id, entry_id, verdict, created_at)
    select distinct s.id, split_part(m.matched_ref, ':', 3)::uuid, ${verdict}, ${now}::timestamptz
    from item_matches m join exchange_sources s on s.name = split_part(m.matched_ref, ':', 2)
    where m.item_id = ${itemId}::uuid and m.matched_ref like ${`${FEED_MATCH_PREFIX}:%`}`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** How an item's match against a followed feed's hash is written in item_matches.matched_ref. */
export const FEED_MATCH_PREFIX = 'feed';

export function feedMatchRef(sourceName: string, entryId: string): string {
  return `${FEED_MATCH_PREFIX}:${sourceName}:${entryId}`;
}

/** Where a match of an item came from, in words for the reviewer (item_matches.matched_ref). */
export function matchOrigin(matchedRef: string): string {
  const [kind, source] = matchedRef.split(':');
  if (kind === FEED_MATCH_PREFIX) return `a hash from the followed feed "${source}"`;
  if (kind === 'item') return 'an item confirmed here';
  if (kind === 'content') return "the platform's content index";
  return 'unknown';
}
