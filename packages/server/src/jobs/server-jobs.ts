import type { WebhookDispatcher } from './webhook-dispatcher.ts';
import type { Worker } from './worker.ts';

/**
 * The server's background work, in lanes that do not wait for one another: escalation of items near their
 * deadline (its own loop, so it runs on time whatever the backlog), the other jobs (sweeps, matching,
 * retention), and webhook deliveries (one lane per platform, see WebhookDispatcher).
 */
export class ServerJobs {
  readonly #escalation: Worker;
  readonly #jobs: Worker;
  readonly #deliveries: WebhookDispatcher;

  constructor(lanes: { escalation: Worker; jobs: Worker; deliveries: WebhookDispatcher }) {
    this.#escalation = lanes.escalation;
    this.#jobs = lanes.jobs;
    this.#deliveries = lanes.deliveries;
  }

  async start(): Promise<void> {
    await this.#escalation.start();
    await this.#jobs.start();
    this.#deliveries.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.#escalation.stop(), this.#jobs.stop(), this.#deliveries.stop()]);
  }

  /** Queues each periodic job once (escalation, retention), whatever the number of restarts. */
  async schedulePeriodic(): Promise<void> {
    await this.#escalation.schedulePeriodic();
    await this.#jobs.schedulePeriodic();
  }

  /** Runs due work in every lane until none is left (jobs may queue deliveries and the reverse); returns how much ran. For tests and the CLI. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = (await this.#escalation.drain()) + (await this.#jobs.drain()) + (await this.#deliveries.drain());
      if (ran === 0) return total;
      total += ran;
    }
  }
}
