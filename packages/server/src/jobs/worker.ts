import type { Clock } from '@takedown/core';
import { sql } from 'kysely';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { claimDueJob, enqueueJobs, markJobDone, markJobFailed, type ClaimedJob } from './queue.ts';

/** The part of a logger (pino, Fastify's) the worker uses: job ids and kinds, never payloads. */
export interface JobLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Does one job's work inside the claiming transaction: its changes and the job's completion commit together. */
export type JobHandler = (tx: Tx, job: ClaimedJob, now: Date) => Promise<void>;

export interface WorkerOptions {
  database: OpenDatabase;
  clock: Clock;
  /** Handlers by job kind. Jobs of kinds not listed here are left for the component that handles them. */
  handlers: Record<string, JobHandler>;
  /** Jobs that queue their own next run this many milliseconds after each run (escalation, retention). */
  periodic?: Record<string, number>;
  pollMs: number;
  logger?: JobLogger;
}

/** The job loop running inside the server: claims due jobs one at a time until none is due, then waits. */
export class Worker {
  readonly #options: WorkerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(options: WorkerOptions) {
    this.#options = options;
  }

  /** Makes sure every periodic job is queued (once, whatever the number of restarts), then starts the loop. */
  async start(): Promise<void> {
    await this.schedulePeriodic();
    this.#stopped = false;
    this.#schedule(0);
  }

  async schedulePeriodic(): Promise<void> {
    const now = this.#options.clock.now();
    const jobs = Object.keys(this.#options.periodic ?? {}).map((kind) => ({ kind, uniqueKey: kind, runAt: now }));
    await this.#options.database.transaction((tx) => enqueueJobs(tx, now, jobs));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs due jobs until none is left; returns how many ran (successfully or not). For tests and the CLI. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count += 1;
    return count;
  }

  /** Claims and runs one due job; false when none was due. */
  async runOne(): Promise<boolean> {
    const { database, clock, handlers } = this.#options;
    const now = clock.now();
    let failed: { job: ClaimedJob; error: Error } | undefined;
    const ran = await database.transaction(async (tx) => {
      const job = await claimDueJob(tx, now, Object.keys(handlers));
      if (!job) return false;
      try {
        // A savepoint keeps the claim (and the failure record) when the handler's work has to be undone.
        await sql`savepoint job`.execute(tx);
        await handlers[job.kind](tx, job, now);
        await sql`release savepoint job`.execute(tx);
        await markJobDone(tx, job.id, now);
        const everyMs = this.#options.periodic?.[job.kind];
        if (everyMs !== undefined) {
          await enqueueJobs(tx, now, [{ kind: job.kind, uniqueKey: job.kind, runAt: new Date(now.getTime() + everyMs) }]);
        }
      } catch (error) {
        await sql`rollback to savepoint job`.execute(tx);
        failed = { job, error: error as Error };
        await markJobFailed(tx, job.id, now, job.attempts, (error as Error).message);
      }
      return true;
    });
    if (failed) this.#options.logger?.warn({ jobId: failed.job.id, kind: failed.job.kind, err: failed.error.message }, 'job failed');
    return ran;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.drain()
        .catch((error: Error) => this.#options.logger?.error({ err: error.message }, 'job loop error'))
        .then(() => this.#schedule(this.#options.pollMs));
    }, delayMs);
  }
}
