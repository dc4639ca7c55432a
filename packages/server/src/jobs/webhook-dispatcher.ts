import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import type { OutboundPolicy } from '../net/outbound-guard.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { DeliverySchedule } from '../platform/delivery-schedule.ts';
import type { OpenDatabase } from '../store/database.ts';
import { attemptDelivery, claimDeliveries, recordDelivery, WEBHOOK_DELIVERY_JOB, type DeliveryTask } from '../services/webhook-delivery.ts';
import type { JobLogger } from './worker.ts';

/** Time a leased delivery has, beyond the attempt's own timeout, to record its outcome before it is tried again. */
const LEASE_MARGIN_MS = 5_000;

export interface WebhookDispatcherOptions {
  database: OpenDatabase;
  clock: Clock;
  keys: Keys;
  outbound: OutboundPolicy;
  schedule: DeliverySchedule;
  /** Deliveries in flight at once, over all platforms. */
  concurrency: number;
  pollMs: number;
  logger?: JobLogger;
  /** Times each attempt into the job metrics (kind webhook delivery; a refused or failed attempt counts as failed). */
  metrics?: Metrics;
  /** Runs each attempt in a span, as the job lanes do; payloads and addresses are never recorded. */
  tracer?: Tracer;
}

/**
 * Delivers webhook events outside the job worker, in one lane per platform: a lane sends its events one at a
 * time and in order, lanes run side by side up to `concurrency`, and no database transaction stays open while
 * an endpoint is waited for. A slow or dead endpoint therefore delays only its own platform's events, and
 * never the other jobs (sweeps, escalations). Events are leased from the jobs table, so a delivery cut short by
 * a crash or a stop is tried again once its lease ends: nothing is lost.
 */
export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#wake();
  }

  /** Stops claiming and ends the attempts in flight without an outcome (their leases bring them back). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#stop.abort();
    await this.#pumping;
    await Promise.all(this.#inFlight.values());
  }

  /** Delivers every due event, lane by lane, until none is due; returns how many attempts were made. For tests and the CLI. */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      const tasks = await this.#claim(this.#options.concurrency);
      if (tasks.length === 0) return count;
      await Promise.all(tasks.map((task) => this.#deliver(task)));
      count += tasks.length;
    }
  }

  #claim(limit: number): Promise<DeliveryTask[]> {
    const { database, clock, schedule } = this.#options;
    return claimDeliveries(database, clock.now(), { limit, skipLanes: [...this.#inFlight.keys()], leaseMs: schedule.timeoutMs + LEASE_MARGIN_MS });
  }

  #wake(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: Error) => this.#options.logger?.error({ err: error.message }, 'webhook dispatch error'))
      .finally(() => {
        this.#pumping = undefined;
        if (this.#stopped) return;
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#wake(), this.#options.pollMs);
      });
  }

  async #pump(): Promise<void> {
    do {
      this.#again = false;
      const free = this.#options.concurrency - this.#inFlight.size;
      if (free <= 0 || this.#stopped) return;
      for (const task of await this.#claim(free)) {
        const running = this.#deliver(task).finally(() => {
          this.#inFlight.delete(task.lane);
          this.#wake();
        });
        this.#inFlight.set(task.lane, running);
      }
    } while (this.#again && !this.#stopped);
  }

  async #deliver(task: DeliveryTask): Promise<void> {
    const { database, clock, keys, outbound, schedule, logger, metrics, tracer } = this.#options;
    const span = tracer?.startSpan(`job ${WEBHOOK_DELIVERY_JOB}`, { attributes: { 'takedown.job.kind': WEBHOOK_DELIVERY_JOB } });
    const started = performance.now();
    let outcome: 'done' | 'failed' = 'failed';
    try {
      const failure = await attemptDelivery(task, { keys, outbound, timeoutMs: schedule.timeoutMs, now: clock.now(), stop: this.#stop.signal });
      if (this.#stop.signal.aborted) return;
      await recordDelivery(database, clock.now(), task, failure, schedule);
      if (failure === undefined) outcome = 'done';
      else logger?.warn({ eventId: task.eventId, platformId: task.platformId, failure }, 'webhook delivery failed');
    } catch (error) {
      logger?.error({ eventId: task.eventId, err: (error as Error).message }, 'webhook delivery error');
    } finally {
      metrics?.observeJob(WEBHOOK_DELIVERY_JOB, outcome, (performance.now() - started) / 1000);
      if (outcome === 'failed') span?.setStatus({ code: SpanStatusCode.ERROR });
      span?.end();
    }
  }
}
