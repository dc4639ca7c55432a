import { sql } from 'kysely';
import type { OperationsFigures, TimeLeft } from '../observability/operations-figures.ts';
import type { Tx } from './database.ts';

/**
 * The figures of a metrics scrape, in four grouped counts. Each reads only rows a partial index names (open
 * items, breached items, unfinished jobs, undelivered webhook events), so a scrape costs the same however long
 * the deployment has run. Demo cases are left out, as in the compliance report.
 */
export async function readOperationsFigures(tx: Tx, now: Date): Promise<OperationsFigures> {
  const openItems = await sql<{ jurisdiction: string; time_left: TimeLeft; count: number; escalated: number }>`
      select c.jurisdiction,
        case when i.deadline_at <= ${now}::timestamptz then 'breached'
             when i.deadline_at <= ${now}::timestamptz + interval '6 hours' then 'under_6h'
             when i.deadline_at <= ${now}::timestamptz + interval '12 hours' then 'under_12h'
             when i.deadline_at <= ${now}::timestamptz + interval '24 hours' then 'under_24h'
             else 'over_24h' end as time_left,
        count(*)::int as count,
        (count(*) filter (where i.escalation_level > 0 or i.escalated_at is not null))::int as escalated
      from items i join cases c on c.id = i.case_id
      where i.state in ('pending', 'confirmed') and not c.demo
      group by 1, 2`.execute(tx);
  const breachedItems = await sql<{ jurisdiction: string; count: number }>`
      select c.jurisdiction, count(*)::int as count
      from items i join cases c on c.id = i.case_id
      where i.breached_at is not null and not c.demo
      group by 1`.execute(tx);
  const jobs = await sql<{ kind: string; pending: number; due: number; oldest_due_seconds: number | null }>`
      select kind, count(*)::int as pending,
        (count(*) filter (where run_at <= ${now}::timestamptz))::int as due,
        extract(epoch from ${now}::timestamptz - min(run_at) filter (where run_at <= ${now}::timestamptz))::float8 as oldest_due_seconds
      from jobs where done_at is null
      group by kind`.execute(tx);
  const webhooks = await sql<{ platform: string; failing: number; given_up: number; oldest_failing_seconds: number | null }>`
      select p.name as platform,
        (count(e.id) filter (where e.attempts > 0 and e.gave_up_at is null))::int as failing,
        (count(e.id) filter (where e.gave_up_at is not null))::int as given_up,
        extract(epoch from ${now}::timestamptz - min(e.created_at) filter (where e.attempts > 0 and e.gave_up_at is null))::float8 as oldest_failing_seconds
      from platforms p left join platform_events e on e.platform_id = p.id and e.delivered_at is null
      where p.disabled_at is null
      group by p.name`.execute(tx);
  return {
    openItems: openItems.rows.map((row) => ({ jurisdiction: row.jurisdiction, timeLeft: row.time_left, count: row.count, escalated: row.escalated })),
    breachedItems: breachedItems.rows,
    jobs: jobs.rows.map((row) => ({ kind: row.kind, pending: row.pending, due: row.due, oldestDueSeconds: Math.max(0, row.oldest_due_seconds ?? 0) })),
    webhooks: webhooks.rows.map((row) => ({ platform: row.platform, failing: row.failing, givenUp: row.given_up, oldestFailingSeconds: Math.max(0, row.oldest_failing_seconds ?? 0) })),
  };
}
