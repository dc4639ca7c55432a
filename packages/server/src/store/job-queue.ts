import { sql } from 'kysely';
import type { Tx } from './database.ts';

export interface JobRequest {
  kind: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  /** At most one unfinished job per key: used for periodic jobs so restarts do not pile them up. */
  uniqueKey?: string;
  /** Jobs of one lane run one at a time, in the order they were queued (see `claimLaneHeads`). */
  lane?: string;
}

/**
 * Queues jobs inside the caller's transaction: the job exists if and only if the change that needs it was
 * committed, and it survives a crash because it is a row in the same database.
 */
export async function enqueueJobs(tx: Tx, now: Date, jobs: JobRequest[]): Promise<void> {
  for (const job of jobs) {
    const insert = tx.insertInto('jobs').values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      unique_key: job.uniqueKey ?? null,
      lane: job.lane ?? null,
      run_at: job.runAt,
      created_at: now,
      last_error: null,
      done_at: null,
    });
    if (job.uniqueKey) {
      await insert.onConflict((oc) => oc.column('unique_key').where('done_at', 'is', null).doNothing()).execute();
    } else {
      await insert.execute();
    }
  }
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Does one job's work inside the claiming transaction: its changes and the job's completion commit together.
 * The job's use case (a service) is the handler; the worker that opens the transaction is an edge.
 */
export type JobHandler = (tx: Tx, job: ClaimedJob, now: Date) => Promise<void>;

/**
 * The claim: the oldest due, unfinished job of the given kinds, in `(run_at, id)` order, locked; SKIP LOCKED
 * lets several workers (or replicas) share the table without waiting on each other. The index `jobs_claim`
 * (migrations/009-job-claim-index.ts) has this order and this condition.
 */
export function dueJobQuery(tx: Tx, now: Date, kinds: string[]) {
  return tx
    .selectFrom('jobs')
    .select(['id', 'kind', 'payload', 'attempts'])
    .where('done_at', 'is', null)
    .where('run_at', '<=', now)
    .where('kind', 'in', kinds)
    .orderBy('run_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked();
}

/**
 * Runs `read` (the claim) with sorting off for the planner, so that the order comes from walking `jobs_claim`
 * and the walk stops at the first due job of a wanted kind. Without statistics (a new table, a backlog grown
 * since the last ANALYZE) PostgreSQL takes `done_at is null` and the kinds to match a handful of rows, and
 * prefers collecting every due job and sorting them: for 27 000 due jobs that was ≈ 70 ms a claim, whatever
 * the index. Only for this statement: the setting is back on before the job's own work runs.
 */
export async function inClaimOrder<T>(tx: Tx, read: () => Promise<T>): Promise<T> {
  await sql`set local enable_sort = off`.execute(tx);
  const result = await read();
  await sql`set local enable_sort = on`.execute(tx);
  return result;
}

/** Claims the oldest due job of the given kinds, locking its row until the transaction ends. */
export async function claimDueJob(tx: Tx, now: Date, kinds: string[]): Promise<ClaimedJob | undefined> {
  if (kinds.length === 0) return undefined;
  const row = await inClaimOrder(tx, () => dueJobQuery(tx, now, kinds).executeTakeFirst());
  return row ? { id: Number(row.id), kind: row.kind, payload: row.payload, attempts: row.attempts } : undefined;
}

export async function markJobDone(tx: Tx, id: number, now: Date): Promise<void> {
  await tx.updateTable('jobs').set({ done_at: now }).where('id', '=', id).execute();
}

/** Records a failed attempt and when to try again (exponential backoff, capped at one hour). */
export async function markJobFailed(tx: Tx, id: number, now: Date, attempts: number, error: string): Promise<void> {
  const delayMs = Math.min(3_600_000, 1_000 * 2 ** Math.min(attempts, 12));
  await tx
    .updateTable('jobs')
    .set({ attempts: attempts + 1, last_error: error.slice(0, 500), run_at: new Date(now.getTime() + delayMs) })
    .where('id', '=', id)
    .execute();
}

export interface LaneJob extends ClaimedJob {
  lane: string;
}

/**
 * Leases the due first jobs of up to `limit` lanes: each lane's oldest unfinished job of this kind, if it is
 * due, so a lane runs in order and a job waiting for its retry holds back the rest of its lane (and only them).
 * Lanes in `skipLanes` (already running here) are left out. A leased job is due again at `leaseUntil`: if the
 * process dies while running it, it runs again then, and nothing is lost.
 */
export async function claimLaneHeads(tx: Tx, now: Date, kind: string, options: { limit: number; skipLanes: readonly string[]; leaseUntil: Date }): Promise<LaneJob[]> {
  if (options.limit <= 0) return [];
  const rows = await tx
    .selectFrom('jobs as j')
    .select(['j.id', 'j.kind', 'j.payload', 'j.attempts', 'j.lane'])
    .where('j.done_at', 'is', null)
    .where('j.kind', '=', kind)
    .where('j.lane', 'is not', null)
    .where('j.run_at', '<=', now)
    .$if(options.skipLanes.length > 0, (qb) => qb.where('j.lane', 'not in', [...options.skipLanes]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('jobs as h').select('h.id').whereRef('h.lane', '=', 'j.lane').where('h.done_at', 'is', null).whereRef('h.id', '<', 'j.id'))),
    )
    .orderBy('j.run_at')
    .orderBy('j.id')
    .limit(options.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length === 0) return [];
  await tx.updateTable('jobs').set({ run_at: options.leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => ({ id: Number(row.id), kind: row.kind, payload: row.payload, attempts: row.attempts, lane: row.lane ?? '' }));
}

/** A lane job that failed runs again at `runAt`, staying at the head of its lane. */
export async function rescheduleJob(tx: Tx, id: number, runAt: Date, error: string): Promise<void> {
  await tx
    .updateTable('jobs')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500), run_at: runAt }))
    .where('id', '=', id)
    .execute();
}

/** Deletes the finished runs of a frequent periodic job (all but `keepId`), so they do not pile up. */
export async function deleteFinishedRuns(tx: Tx, kind: string, keepId: number): Promise<void> {
  await tx.deleteFrom('jobs').where('kind', '=', kind).where('done_at', 'is not', null).where('id', '!=', keepId).execute();
}

/**
 * Leases up to `limit` due jobs of one kind, oldest first: each is due again at `leaseUntil`, so work done
 * outside any transaction (sending a message) runs again if the process dies before recording its outcome.
 */
export async function leaseDueJobs(tx: Tx, now: Date, kind: string, options: { limit: number; leaseUntil: Date }): Promise<ClaimedJob[]> {
  const rows = await inClaimOrder(tx, () => dueJobQuery(tx, now, [kind]).limit(options.limit).execute());
  if (rows.length === 0) return [];
  await tx.updateTable('jobs').set({ run_at: options.leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => ({ id: Number(row.id), kind: row.kind, payload: row.payload, attempts: row.attempts }));
}
