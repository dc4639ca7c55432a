import { sql } from 'kysely';
import type { OpenDatabase } from '../store/database.ts';
import { claimDueJob, enqueueJobs, markJobDone, markJobFailed, type ClaimedJob, type JobHandler } from '../store/job-queue.ts';

/** What running one due job came to: none due, done, or failed (kept for a retry, with the error). */
export type JobRun = { kind: 'none' } | { kind: 'done'; job: ClaimedJob } | { kind: 'failed'; job: ClaimedJob; error: Error };

/**
 * Claims one due job of the kinds `handlers` knows and runs it, in one transaction: the job's work, its
 * completion and (for periodic jobs) its next run commit together, or its failure is recorded alone.
 */
export async function runDueJob(database: OpenDatabase, now: Date, handlers: Record<string, JobHandler>, periodic: Record<string, number> = {}): Promise<JobRun> {
  return database.transaction(async (tx): Promise<JobRun> => {
    const job = await claimDueJob(tx, now, Object.keys(handlers));
    if (!job) return { kind: 'none' };
    try {
      // A savepoint keeps the claim (and the failure record) when the handler's work has to be undone.
      await sql`savepoint job`.execute(tx);
      await handlers[job.kind](tx, job, now);
      await sql`release savepoint job`.execute(tx);
      await markJobDone(tx, job.id, now);
      const everyMs = periodic[job.kind];
      if (everyMs !== undefined) {
        await enqueueJobs(tx, now, [{ kind: job.kind, uniqueKey: job.kind, runAt: new Date(now.getTime() + everyMs) }]);
      }
      return { kind: 'done', job };
    } catch (error) {
      await sql`rollback to savepoint job`.execute(tx);
      await markJobFailed(tx, job.id, now, job.attempts, (error as Error).message);
      return { kind: 'failed', job, error: error as Error };
    }
  });
}

/** Queues each periodic job once (a unique key per kind), whatever the number of restarts. */
export async function schedulePeriodicJobs(database: OpenDatabase, now: Date, kinds: string[]): Promise<void> {
  await database.transaction((tx) => enqueueJobs(tx, now, kinds.map((kind) => ({ kind, uniqueKey: kind, runAt: now }))));
}
