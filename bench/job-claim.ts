/**
 * npm run bench:job-claim — how fast the worker drains a backlog of 27 000 due jobs on PostgreSQL when the
 * planner has no statistics for the jobs table (as after a burst: autovacuum has not analysed it yet), against
 * the same backlog right after ANALYZE, in the same run and database. Each job does nothing, so the figure is
 * the claim and the bookkeeping of one job transaction; the ratio stale / analysed is 1 when the claim does not
 * depend on statistics.
 *
 * Options: --seconds N (measuring time per phase, default 5), --runs N (fresh databases, default 3),
 * --backlog N (default 27000). PostgreSQL: TAKEDOWN_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres
 * (a fresh database per run, dropped after it). Autovacuum is turned off for the jobs table of that database
 * only, so that no ANALYZE happens behind the measurement's back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { sql } from 'kysely';
import { migrate, openDatabase, Worker, type OpenDatabase } from '@takedown/server';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { median, round } from './stats.ts';
import { wholeNumberOption } from './options.ts';

const seconds = wholeNumberOption('seconds', 5);
const runs = wholeNumberOption('runs', 3);
const backlog = wholeNumberOption('backlog', 27_000);
// The server's worker asks for all its kinds at once; so does this one.
const kinds = ['bench.noop', 'bench.notify', 'bench.webhook', 'bench.match', 'bench.follow', 'bench.escalate'];

/** Jobs per second the worker completes in `seconds`, one job transaction after another. */
async function drainRate(database: OpenDatabase): Promise<{ jobsPerSecond: number; jobs: number }> {
  const noop = async () => undefined;
  const worker = new Worker({ database, clock: systemClock, handlers: Object.fromEntries(kinds.map((kind) => [kind, noop])), pollMs: 1_000 });
  const end = performance.now() + seconds * 1000;
  let jobs = 0;
  while (performance.now() < end) {
    if (!(await worker.runOne())) break;
    jobs += 1;
  }
  return { jobsPerSecond: jobs / seconds, jobs };
}

async function oneRun(): Promise<{ staleJobsPerSecond: number; analyzedJobsPerSecond: number; ratio: number }> {
  const created = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-'));
  const database = await openDatabase({ databaseUrl: created.url, dataDir });
  try {
    await migrate(database);
    await sql`alter table jobs set (autovacuum_enabled = false)`.execute(database.db);
    await sql`insert into jobs (kind, payload, run_at, created_at)
      select 'bench.noop', '{}', now() - interval '1 hour' + g * interval '1 ms', now() from generate_series(1, ${backlog}) g`.execute(database.db);
    const stale = await drainRate(database);
    await sql`analyze jobs`.execute(database.db);
    const analyzed = await drainRate(database);
    return { staleJobsPerSecond: round(stale.jobsPerSecond, 1), analyzedJobsPerSecond: round(analyzed.jobsPerSecond, 1), ratio: round(stale.jobsPerSecond / analyzed.jobsPerSecond) };
  } finally {
    await database.close();
    await created.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Awaited<ReturnType<typeof oneRun>>[] = [];
for (let i = 0; i < runs; i++) results.push(await oneRun());
const summary = (key: 'staleJobsPerSecond' | 'analyzedJobsPerSecond' | 'ratio') => {
  const values = results.map((r) => r[key]);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
};
console.log(
  JSON.stringify(
    {
      benchmark: 'job-claim',
      database: 'postgres',
      backlog,
      secondsPerPhase: seconds,
      runs: results,
      staleJobsPerSecond: summary('staleJobsPerSecond'),
      baselineAnalyzedJobsPerSecond: summary('analyzedJobsPerSecond'),
      ratio: summary('ratio'),
    },
    null,
    2,
  ),
);
