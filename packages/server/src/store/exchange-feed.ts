import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** Taken by every transaction that gives feed rows a `seq`: held to commit, so seq order is commit order. */
const FEED_LOCK = 0x7a6b_0011;

/** One published hash as the feed carries it (migrations/011-exchange.ts). */
export interface PublishedRow {
  seq: number;
  entryId: string;
  signal: string;
  hash: string;
  value: string | null;
  status: 'active' | 'withdrawn';
  changedAt: Date;
}

/**
 * Brings the published feed in line with the confirmed bank for these (signal, hash) pairs, in the caller's
 * transaction: a pair with a live row in the confirmed bank is active, one that had been published and has
 * none left is withdrawn. Only rows whose status changes take a new `seq`, so followers see each change once.
 */
export async function publishConfirmedBankChanges(tx: Tx, now: Date, pairs: { signal: string; hash: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await sql`select pg_advisory_xact_lock(${FEED_LOCK})`.execute(tx);
  await sql`
    insert into exchange_published (entry_id, signal, hash, value, status, seq, changed_at)
    select gen_random_uuid(), p.signal, p.hash, live.value, case when live.hash is null then 'withdrawn' else 'active' end, nextval('exchange_feed_seq'), ${now}::timestamptz
    from (select distinct signal, hash from unnest(${pairs.map((p) => p.signal)}::text[], ${pairs.map((p) => p.hash)}::text[]) as u(signal, hash)) p
    left join lateral (
      select bh.hash, bh.value from bank_hashes bh join banks b on b.id = bh.bank_id
      where b.kind = 'confirmed' and bh.signal = p.signal and bh.hash = p.hash and bh.removed_at is null and bh.exchange_entry is null limit 1
    ) live on true
    where live.hash is not null or exists (select 1 from exchange_published e where e.signal = p.signal and e.hash = p.hash)
    on conflict (signal, hash) do update set status = excluded.status, seq = excluded.seq, changed_at = excluded.changed_at, value = coalesce(excluded.value, exchange_published.value)
    where exchange_published.status <> excluded.status`.execute(tx);
}

/** The feed's rows after `after`, in seq order, at most `limit`; and the newest seq there is. */
export async function readPublished(tx: Tx, after: number, limit: number): Promise<{ rows: PublishedRow[]; head: number }> {
  const rows = await tx
    .selectFrom('exchange_published')
    .select(['seq', 'entry_id', 'signal', 'hash', 'value', 'status', 'changed_at'])
    .where('seq', '>', String(after))
    .orderBy('seq')
    .limit(limit)
    .execute();
  const head = await sql<{ head: string | number | null }>`select max(seq) as head from exchange_published`.execute(tx);
  return {
    rows: rows.map((r) => ({ seq: Number(r.seq), entryId: r.entry_id, signal: r.signal, hash: r.hash.trim(), value: r.value, status: r.status, changedAt: r.changed_at })),
    head: Number(head.rows[0]?.head ?? 0),
  };
}

/** Counts of the feed, for `takedown exchange status`. */
export async function publishedCounts(tx: Tx): Promise<{ active: number; withdrawn: number; head: number; feedback: { confirmed: number; falsePositive: number } }> {
  const counts = await sql<{ active: string | number; withdrawn: string | number; head: string | number | null }>`
    select count(*) filter (where status = 'active') as active, count(*) filter (where status = 'withdrawn') as withdrawn, max(seq) as head from exchange_published`.execute(tx);
  const feedback = await sql<{ confirmed: string | number; false_positive: string | number }>`
    select count(*) filter (where verdict = 'confirmed') as confirmed, count(*) filter (where verdict = 'false_positive') as false_positive from exchange_feedback`.execute(tx);
  const c = counts.rows[0];
  const f = feedback.rows[0];
  return { active: Number(c.active), withdrawn: Number(c.withdrawn), head: Number(c.head ?? 0), feedback: { confirmed: Number(f.confirmed), falsePositive: Number(f.false_positive) } };
}

/** Keeps a follower's verdicts on published hashes; unknown ids are counted, not kept. */
export async function recordFeedback(tx: Tx, now: Date, platformId: string, verdicts: { id: string; verdict: 'confirmed' | 'false_positive' }[]): Promise<{ recorded: number; unknown: number }> {
  if (verdicts.length === 0) return { recorded: 0, unknown: 0 };
  const result = await sql<{ entry_id: string }>`
    insert into exchange_feedback (platform_id, entry_id, verdict, received_at)
    select ${platformId}::uuid, e.entry_id, v.verdict, ${now}::timestamptz
    from unnest(${verdicts.map((v) => v.id)}::uuid[], ${verdicts.map((v) => v.verdict)}::text[]) as v(id, verdict)
    join exchange_published e on e.entry_id = v.id
    on conflict do nothing
    returning entry_id`.execute(tx);
  const known = await sql<{ n: string | number }>`select count(*) as n from exchange_published where entry_id = any(${verdicts.map((v) => v.id)}::uuid[])`.execute(tx);
  return { recorded: result.rows.length, unknown: new Set(verdicts.map((v) => v.id)).size - Number(known.rows[0].n) };
}
