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
 * A followed hash is known by the source's entry id (one per signal and hash; a withdrawal names the same
 * id): additions skip an entry already live in the bank and removals find it by that id, both through the
 * narrow `bank_hashes_followed` key (migrations/029-followed-hash-key.ts). Additions go in in entry-id order,
 * so each page walks that key once from end to end instead of at random. `meanwhile` runs while the
 * database works on the first statement (the previous page's hand-over to the match index).
 * The cursor moves only from where this page started: a page applied twice (two replicas, a retry) finds
 * the cursor moved and is rolled back whole. It moves only while the source is followed: a page that an
 * unfollow overtook is rolled back too, instead of leaving live rows in the bank the unfollow emptied (the
 * cursor update waits for an unfollow in flight, then reads its `unfollowed_at`).
 */
export async function applyFeedPage(tx: Tx, now: Date, source: { id: string; bankId: string }, after: number, through: number, hashes: IncomingHash[], rejected: number, meanwhile?: () => void): Promise<AppliedPage> {
  // In entry-id order (as the key compares uuids: bytes, so lower-case hex), sorted here: the database then
  // inserts them as they come, with no sort of its own (one that outgrew work_mem spilled to disk).
  const adds = hashes.filter((h) => h.status === 'active').map((h) => ({ ...h, key: h.entryId.toLowerCase() })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const removals = hashes.filter((h) => h.status === 'withdrawn');
  let removed: AppliedPage['removed'] = [];
  let added: AppliedPage['added'] = [];
  // The first statement goes out, then `meanwhile` runs while the database works on it.
  const overlapped = <T>(statement: Promise<T>): Promise<T> => {
    if (!meanwhile) return statement;
    const run = meanwhile;
    meanwhile = undefined;
    statement.catch(() => undefined); // awaited below: a failure is not unhandled while `run` works
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      run();
      return statement;
    });
  };
  if (removals.length > 0) {
    const result = await overlapped(sql<{ id: string | number; signal: string }>`
      update bank_hashes set removed_at = ${now}::timestamptz, change_xid = pg_current_xact_id()
      from unnest(${removals.map((h) => h.entryId)}::uuid[]) as r(entry)
      where bank_hashes.bank_id = ${source.bankId}::uuid and bank_hashes.exchange_entry = r.entry and bank_hashes.removed_at is null
      returning bank_hashes.id, bank_hashes.signal`.execute(tx));
    removed = result.rows.map((r) => ({ id: Number(r.id), signal: r.signal }));
  }
  if (adds.length > 0) {
    const result = await overlapped(sql<{ id: string | number; exchange_entry: string }>`
      insert into bank_hashes (bank_id, signal, hash, value, quality, item_id, added_at, removed_at, exchange_entry)
      select ${source.bankId}::uuid, a.signal, a.hash, a.value, a.quality, null, ${now}::timestamptz, null, a.entry
      from unnest(${adds.map((h) => h.signal)}::text[], ${adds.map((h) => h.hash)}::text[], ${adds.map((h) => h.value)}::text[], ${adds.map((h) => h.quality)}::integer[], ${adds.map((h) => h.key)}::uuid[]) as a(signal, hash, value, quality, entry)
      on conflict (bank_id, exchange_entry) where removed_at is null and exchange_entry is not null do nothing
      returning id, exchange_entry`.execute(tx));
    added = result.rows.map((r) => ({ id: Number(r.id), entryId: r.exchange_entry }));
  }
  const moved = await overlapped(sql<{ xid: string }>`
    update exchange_sources set cursor = ${through}, applied = applied + ${hashes.length}, rejected = rejected + ${rejected},
      failures = 0, last_error = null, last_success_at = ${now}::timestamptz
    where id = ${source.id}::uuid and cursor = ${after} and unfollowed_at is null
    returning pg_current_xact_id()::text as xid`.execute(tx));
  if (moved.rows.length !== 1) throw new CursorMovedError();
  return { added, removed, xid: moved.rows[0].xid };
}

/** What a page changed in the bank: the rows it added and removed, and the transaction that wrote them (`change_xid`). */
export interface AppliedPage {
  added: { id: number; entryId: string }[];
  removed: { id: number; signal: string }[];
  xid: string;
}

/** The id of the caller's transaction (assigned now if it had none yet), as `change_xid` records it. */
export async function currentTransactionId(tx: Tx): Promise<string> {
  const result = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(tx);
  return result.rows[0].xid;
}

/**
 * The source's cursor was moved by someone else meanwhile, or the source was unfollowed: the page is not
 * applied (the next fetch starts from the stored cursor, if the source is still followed).
 */
export class CursorMovedError extends Error {
  constructor() {
    super('the feed cursor moved, or the source was unfollowed, while the page was applied');
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

/** A verdict waiting in the outbox for its source, with the followed hash it is about (null once withdrawn). */
export interface PendingFeedback {
  id: string;
  entryId: string;
  hash: string | null;
  verdict: 'confirmed' | 'false_positive';
}

/**
 * Claims up to `limit` of a source's verdicts not yet sent, oldest first, until `leaseUntil`: rows another
 * sender holds (locked now, or claimed with a lease that has not ended at `now`) are passed over, so two
 * follower loops (two replicas) never send the same verdict at once. Each comes with the live hash of its
 * entry in the source's bank (`selectPendingFeedback`).
 */
export async function claimPendingFeedback(tx: Tx, now: Date, sourceId: string, limit: number, leaseUntil: Date): Promise<PendingFeedbackRow[]> {
  const free = await tx
    .selectFrom('exchange_feedback_outbox')
    .select('id')
    .where('source_id', '=', sourceId)
    .where('sent_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (free.length === 0) return [];
  const ids = free.map((r) => r.id);
  await tx.updateTable('exchange_feedback_outbox').set({ claimed_until: leaseUntil }).where('id', 'in', ids).execute();
  return selectPendingFeedback(tx, sourceId, limit).where('o.id', 'in', ids).execute();
}

/** Lets go of verdicts claimed until `leaseUntil` and not sent (the send failed): the next loop takes them at once. */
export async function releaseFeedbackClaims(tx: Tx, ids: string[], leaseUntil: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('exchange_feedback_outbox').set({ claimed_until: null }).where('id', 'in', ids).where('claimed_until', '=', leaseUntil).where('sent_at', 'is', null).execute();
}

/** An outbox row as read for sending: its verdict and the live hash of its entry (null once withdrawn). */
export type PendingFeedbackRow = Awaited<ReturnType<ReturnType<typeof selectPendingFeedback>['execute']>>[number];

/**
 * The outbox rows of a source not yet sent, oldest first, each with the live hash of its entry in the
 * source's bank. The hash is looked up by `(bank_id, exchange_entry)` among live rows only, which is the
 * predicate of the `bank_hashes_followed` key (migrations/029-followed-hash-key.ts): without
 * `removed_at is null` no index serves the lookup and each verdict scans the bank.
 */
export function selectPendingFeedback(tx: Tx, sourceId: string, limit: number) {
  return tx
    .selectFrom('exchange_feedback_outbox as o')
    .innerJoin('exchange_sources as s', 's.id', 'o.source_id')
    .select(['o.id', 'o.entry_id', 'o.verdict'])
    .select((eb) =>
      eb
        .selectFrom('bank_hashes as h')
        .select('h.hash')
        .whereRef('h.bank_id', '=', 's.bank_id')
        .whereRef('h.exchange_entry', '=', 'o.entry_id')
        .where('h.removed_at', 'is', null)
        .where('h.exchange_entry', 'is not', null)
        .limit(1)
        .as('hash'),
    )
    .where('o.source_id', '=', sourceId)
    .where('o.sent_at', 'is', null)
    .orderBy('o.id')
    .limit(limit);
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
