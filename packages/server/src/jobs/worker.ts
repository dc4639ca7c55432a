import type { Clock } from '@takedown/core';
import type { OpenDatabase } from '../store/database.ts';
import type { JobHandler } from '../store/job-queue.ts';
import { runDueJob, schedulePeriodicJobs } from '../services/run-job.ts';

/** The part of a logger (pino, Fastify's) the worker uses: job ids and kinds, never payloads. */
export interface JobLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export type { JobHandler };

export interface WorkerOptions {
  database: OpenDatabase;
  clock: Clock;
  /** Handlers by job kind. Jobs of kinds not listed here are left for the component that handles them. */
  handlers: Record<string, JobHandler>;
  /** Jobs that queue their own next run this many milliseconds after each run (escalation, retention). */
  periodic?: Record<string, number>;
  pollMs: number;
  logger?: JobLogger;
  /**
   * Work to do after a job of this kind committed, outside any transaction (what PostgreSQL refuses inside
   * one, such as VACUUM). A failure is logged; the job stays done.
   */
  afterCommit?: Record<string, () => Promise<void>>;
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
    await schedulePeriodicJobs(this.#options.database, this.#options.clock.now(), Object.keys(this.#options.periodic ?? {}));
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
    const { database, clock, handlers, periodic } = this.#options;
    const run = await runDueJob(database, clock.now(), handlers, periodic);
    if (run.kind === 'failed') this.#options.logger?.warn({ jobId: run.job.id, kind: run.job.kind, err: run.error.message }, 'job failed');
    const after = run.kind === 'done' ? this.#options.afterCommit?.[run.job.kind] : undefined;
    if (after) await after().catch((error: Error) => this.#options.logger?.error({ kind: run.kind === 'done' ? run.job.kind : '', err: error.message }, 'work after a job failed'));
    return run.kind !== 'none';
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
