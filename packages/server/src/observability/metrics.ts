import { BUILT_IN_JURISDICTIONS } from '@takedown/core';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { TIME_LEFT, type OperationsFigures } from './operations-figures.ts';

/** How busy picture decoding is at the moment of a scrape (the server's DecodeBudget). */
export interface DecodeUsage {
  running: number;
  waiting: number;
  heldBytes: number;
  concurrency: number;
}

/** Where this process serves the banks' PDQ hashes (its index follower) at the moment of a scrape. */
export interface PdqIndexUsage {
  hashes: number;
  /** Worker threads serving them; 0: the thread that serves HTTP. */
  shards: number;
  /** Moving to worker threads now (decision 038). */
  moving: boolean;
}

const HOUR = 3600;

/**
 * The Prometheus figures of one server process, in its own registry (two apps in one process keep theirs
 * apart). Latencies are observed as they happen; the database's figures (open items, breaches, queues, failing
 * webhooks) are set from one read at each scrape, so every replica reports the same totals for them.
 * Labels are jurisdictions, route templates, job kinds and platform names: never a case, an item or a person.
 * @example
 * const metrics = new Metrics();
 * metrics.observeRequest('POST', '/v1/check', 200, 0.004);
 * const text = await metrics.render(figures, decodeBudget.usage, { hashes: 120_000, shards: 0, moving: false });
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #openItems = this.#gauge('takedown_open_items', 'Open items (pending or confirmed) by jurisdiction and time left before the legal deadline; "breached" is past it.', ['jurisdiction', 'time_left']);
  readonly #escalated = this.#gauge('takedown_open_items_escalated', 'Open items escalated to senior review (by time or by a reviewer), by jurisdiction.', ['jurisdiction']);
  readonly #breached = this.#gauge('takedown_items_breached', 'Items whose removal deadline passed before removal, ever, by jurisdiction (demo cases left out).', ['jurisdiction']);
  readonly #jobsPending = this.#gauge('takedown_jobs_pending', 'Jobs not done yet, by kind (periodic jobs wait for their next run).', ['kind']);
  readonly #jobsDue = this.#gauge('takedown_jobs_due', 'Jobs due now and not done, by kind.', ['kind']);
  readonly #jobsOldest = this.#gauge('takedown_jobs_oldest_due_seconds', 'How long the oldest due job of each kind has waited past its time.', ['kind']);
  readonly #webhookFailing = this.#gauge('takedown_webhook_events_failing', 'Webhook events still being retried after a failed delivery, by platform.', ['platform']);
  readonly #webhookGivenUp = this.#gauge('takedown_webhook_events_given_up', 'Webhook events never delivered after every attempt, by platform.', ['platform']);
  readonly #webhookOldest = this.#gauge('takedown_webhook_oldest_failing_seconds', 'Age of the oldest webhook event still failing, by platform (0 when none fails).', ['platform']);
  readonly #decodeRunning = this.#gauge('takedown_decodes_running', 'Pictures being decoded now.', []);
  readonly #decodeWaiting = this.#gauge('takedown_decodes_waiting', 'Picture decodes waiting for room in the decode budget.', []);
  readonly #decodeLimit = this.#gauge('takedown_decodes_limit', 'Pictures that may be decoded at once (TAKEDOWN_DECODE_CONCURRENCY).', []);
  readonly #decodeBytes = this.#gauge('takedown_decode_held_bytes', 'Bytes of decoded pixels held by running decodes.', []);
  readonly #pdqHashes = this.#gauge('takedown_pdq_index_hashes', 'Live PDQ hashes of the banks in this process\'s index.', []);
  readonly #pdqShards = this.#gauge('takedown_pdq_index_shards', 'Worker threads serving the banks\' PDQ index; 0: the thread that serves HTTP (TAKEDOWN_MATCH_SHARD_ABOVE).', []);
  readonly #pdqMoving = this.#gauge('takedown_pdq_index_moving', '1 while the banks\' PDQ index moves to worker threads, having grown past TAKEDOWN_MATCH_SHARD_ABOVE.', []);
  readonly #timeToRemoval = new Histogram({
    name: 'takedown_time_to_removal_seconds',
    help: 'From a valid request to the platform confirming removal (the legal clock), by jurisdiction.',
    labelNames: ['jurisdiction'],
    buckets: [1, 6, 12, 24, 36, 48, 72, 168].map((hours) => hours * HOUR),
    registers: [this.registry],
  });
  readonly #requests = new Histogram({
    name: 'takedown_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class; the upload check is route="/v1/check".',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #jobs = new Histogram({
    name: 'takedown_job_duration_seconds',
    help: 'Jobs run by this process, by kind and outcome; matching a new item is kind="item.match".',
    labelNames: ['kind', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    // Node's own figures (memory, event loop delay, CPU), read at each scrape.
    collectDefaultMetrics({ register: this.registry });
  }

  #gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** `route` is the route's template (`/v1/items/:itemId/removed`), never the address asked for. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#requests.observe({ method, route, status: `${Math.floor(statusCode / 100)}xx` }, seconds);
  }

  observeJob(kind: string, outcome: 'done' | 'failed', seconds: number): void {
    this.#jobs.observe({ kind, outcome }, seconds);
  }

  observeRemoval(jurisdiction: string, seconds: number): void {
    this.#timeToRemoval.observe({ jurisdiction }, seconds);
  }

  /** The exposition text (Prometheus format 0.0.4) with the database's figures, decode usage and the PDQ index as of now. */
  async render(figures: OperationsFigures, decode: DecodeUsage, pdq: PdqIndexUsage): Promise<string> {
    this.#setFigures(figures);
    this.#decodeRunning.set(decode.running);
    this.#decodeWaiting.set(decode.waiting);
    this.#decodeLimit.set(decode.concurrency);
    this.#decodeBytes.set(decode.heldBytes);
    this.#pdqHashes.set(pdq.hashes);
    this.#pdqShards.set(pdq.shards);
    this.#pdqMoving.set(pdq.moving ? 1 : 0);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #setFigures(figures: OperationsFigures): void {
    for (const gauge of [this.#openItems, this.#escalated, this.#breached, this.#jobsPending, this.#jobsDue, this.#jobsOldest, this.#webhookFailing, this.#webhookGivenUp, this.#webhookOldest]) gauge.reset();
    // Every built-in jurisdiction and bucket is present, at 0 when empty, so alert rules never see a gap.
    for (const jurisdiction of Object.keys(BUILT_IN_JURISDICTIONS)) {
      for (const timeLeft of TIME_LEFT) this.#openItems.set({ jurisdiction, time_left: timeLeft }, 0);
      this.#escalated.set({ jurisdiction }, 0);
      this.#breached.set({ jurisdiction }, 0);
    }
    for (const row of figures.openItems) {
      this.#openItems.set({ jurisdiction: row.jurisdiction, time_left: row.timeLeft }, row.count);
      this.#escalated.inc({ jurisdiction: row.jurisdiction }, row.escalated);
    }
    for (const row of figures.breachedItems) this.#breached.set({ jurisdiction: row.jurisdiction }, row.count);
    for (const row of figures.jobs) {
      this.#jobsPending.set({ kind: row.kind }, row.pending);
      this.#jobsDue.set({ kind: row.kind }, row.due);
      this.#jobsOldest.set({ kind: row.kind }, row.oldestDueSeconds);
    }
    for (const row of figures.webhooks) {
      this.#webhookFailing.set({ platform: row.platform }, row.failing);
      this.#webhookGivenUp.set({ platform: row.platform }, row.givenUp);
      this.#webhookOldest.set({ platform: row.platform }, row.oldestFailingSeconds);
    }
  }
}
