import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueJob, dueJobQuery, inClaimOrder } from '../src/store/job-queue.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';

const BACKLOG = 27_000;
const KINDS = ['test.backlog', 'test.other', 'test.third'];

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

// Issue 15, finding 14: behind a backlog the planner knows nothing about (no ANALYZE yet), the claim must
// read the first due row of its index, not collect and sort every due job.
describe.each(backends)('the job claim behind a 27 000-job backlog on $name', (backend) => {
  let db: TestDatabase;
  const now = new Date('2026-06-01T12:00:00Z');
  beforeAll(async () => {
    db = await backend.create();
    await sql`alter table jobs set (autovacuum_enabled = false)`.execute(db.database.db);
    await sql`insert into jobs (kind, payload, run_at, created_at)
      select 'test.backlog', '{}', ${now}::timestamptz - interval '1 hour' + g * interval '1 ms', ${now}::timestamptz from generate_series(1, ${BACKLOG}) g`.execute(db.database.db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('walks the claim index in order with no sort, without statistics, and claims the oldest job', async () => {
    const stats = await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'jobs'`.execute(db.database.db);
    expect(Number(stats.rows[0].reltuples)).toBeLessThan(0); // never analyzed (nor vacuumed)

    await db.database.transaction(async (tx) => {
      const explained = await inClaimOrder(tx, () => dueJobQuery(tx, now, KINDS).explain('json'));
      const plan = (explained[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0].Plan;
      const nodes = nodesOf(plan);
      expect(nodes.some((n) => n['Node Type'] === 'Index Scan' && n['Index Name'] === 'jobs_claim')).toBe(true);
      expect(nodes.filter((n) => /Sort|Bitmap|Seq Scan/.test(n['Node Type']))).toEqual([]);
      // The claim's setting does not outlive it: the job's own statements are planned as usual.
      expect((await sql<{ enable_sort: string }>`show enable_sort`.execute(tx)).rows[0].enable_sort).toBe('on');
    });

    const first = await db.database.transaction((tx) => claimDueJob(tx, now, KINDS));
    const oldest = await db.database.db.selectFrom('jobs').select('id').orderBy('run_at').orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect(first?.id).toBe(Number(oldest.id));
  });
});
