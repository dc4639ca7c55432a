/**
 * The job claim (store/job-queue.ts `claimDueJob`) takes the first due, unfinished job in `(run_at, id)` order.
 * An index on `run_at` alone left the tie-break to a sort: with statistics not yet gathered (a new or fast-grown
 * table), PostgreSQL sorted the whole backlog for each claim. This index has the claim's order and its
 * condition, so a claim reads the first rows of the index and stops. It replaces `jobs_due`, which it covers.
 */
export const name = '009-job-claim-index';

export const statements: string[] = [`create index jobs_claim on jobs (run_at, id) where done_at is null`, `drop index jobs_due`];
