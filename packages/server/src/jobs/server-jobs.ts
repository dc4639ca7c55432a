import type { NotificationDispatcher } from './notification-dispatcher.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';
import type { Worker } from './worker.ts';

/**
 * The server's background work, in lanes that do not wait for one another: escalation of items near their
 * deadline (its own loop, so it runs on time whatever the backlog), the other jobs (sweeps, matching,
 * retention), webhook deliveries (one lane per platform, see WebhookDispatcher), and notifications to people
 * (NotificationDispatcher).
 */
export class ServerJobs {
  readonly #escalation: Worker;
  readonly #jobs: Worker;
  readonly #deliveries: WebhookDispatcher;
  readonly #notifications: NotificationDispatcher;

  constructor(lanes: { escalation: Worker; jobs: Worker; deliveries: WebhookDispatcher; notifications: NotificationDispatcher }) {
    this.#escalation = lanes.escalation;
    this.#jobs = lanes.jobs;
    this.#deliveries = lanes.deliveries;
    this.#notifications = lanes.notifications;
  }

  async start(): Promise<void> {
    await this.#escalation.start();
    await this.#jobs.start();
    this.#deliveries.start();
    this.#notifications.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.#escalation.stop(), this.#jobs.stop(), this.#deliveries.stop(), this.#notifications.stop()]);
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
      const ran = (await this.#escalation.drain()) + (await this.#jobs.drain()) + (await this.#deliveries.drain()) + (await this.#notifications.drain());
      if (ran === 0) return total;
      total += ran;
    }
  }
}
