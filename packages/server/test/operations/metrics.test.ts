/**
 * GET /metrics: behind its bearer token, parsed as Prometheus reads it, with the legal figures (open items by
 * time left, breaches, time to removal) and the operational ones (queues, failing webhooks, latencies, decodes)
 * from a real database, on PGlite and PostgreSQL. The sample alert rules name only metrics that exist.
 */
import { readFileSync } from 'node:fs';
import { ManualClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parsePrometheusText, type PrometheusFamily } from '@takedown/testing/prometheus-text';
import { freePort } from '@takedown/testing/server-process';
import { buildApp } from '../../src/http/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createWorker } from '../../src/jobs/handlers.ts';
import type { ServerJobs } from '../../src/jobs/server-jobs.ts';
import { addPlatformKey, setWebhook } from '../../src/services/platform-accounts.ts';

import { changePlatformHosts } from '../../src/services/platform-hosts.ts';
import { queuePlatformEvents, WEBHOOK_DELIVERY_JOB } from '../../src/store/platform-events.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { LOOPBACK_OUTBOUND } from '../helpers/outbound.ts';
import { confirmItem, fileRequest, platformTestConfig } from '../platform-helpers.ts';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const HOUR = 3_600_000;
const ALERTS = new URL('../../../../deploy/prometheus/alerts.yml', import.meta.url);

/** The value of the sample `name` whose labels include `labels` (undefined when there is none). */
function sample(families: PrometheusFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const owner = families.find((f) => f.samples.some((s) => s.name === name));
  return owner?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe.each(backends)('GET /metrics ($name)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  const clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: response.body, families: parsePrometheusText(response.body) };
  };

  beforeAll(async () => {
    db = await backend.create();
    const { config, keys } = platformTestConfig(db.dataDir, { metricsToken: TOKEN });
    app = await buildApp(config, { database: db.database, keys, clock });
    worker = createWorker({ config, database: db.database, clock, keys, platform: app.services.platform, metrics: app.services.metrics });
    await worker.schedulePeriodic();
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await db?.drop();
  });

  it('is refused without the token (401, before anything is read), with a wrong one, and as a query parameter', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(response.json().error).toMatchObject({ code: 'metrics_token_required' });
    }
    expect((await app.inject({ method: 'GET', url: `/metrics?token=${TOKEN}` })).statusCode).toBe(401);
  });

  it('reports open items by time left, breaches, failing webhooks, queues and the time to removal; never an address or a case', async () => {
    const refused = await freePort(); // nothing listens there: every delivery fails
    const pics = await addPlatformKey(db.database, clock, { name: 'pics' }, 'test');
    await changePlatformHosts(db.database, clock, pics.platformId, { add: ['pics.example'] }, 'test');
    await setWebhook(db.database, app.services.keys, clock, pics.platformId, `http://127.0.0.1:${refused}/events`, 'test', LOOPBACK_OUTBOUND);
    const open = await fileRequest(db.database, app.services.keys, [{ url: 'https://pics.example/p/still-up' }], clock);
    const toRemove = await fileRequest(db.database, app.services.keys, [{ url: 'https://pics.example/p/taken-down' }], clock);
    const removedItem = toRemove.items[0].id;
    await confirmItem(db.database, removedItem, clock);
    await db.database.transaction((tx) => queuePlatformEvents(tx, clock.now(), [{ platformId: pics.platformId, type: 'item.remove', itemId: removedItem, caseId: toRemove.caseId, data: { itemId: removedItem } }]));

    // Five hours on: the webhook has failed, the platform then says it removed the item.
    clock.advance(5 * HOUR);
    await worker.drain();
    let { text, families } = await scrape();
    // Both items are open (one confirmed, waiting for the platform), with 43 hours left.
    expect(sample(families, 'takedown_open_items', { jurisdiction: 'US', time_left: 'over_24h' })).toBe(2);
    expect(sample(families, 'takedown_open_items', { jurisdiction: 'AU', time_left: 'breached' })).toBe(0);
    expect(sample(families, 'takedown_webhook_events_failing', { platform: 'pics' })).toBeGreaterThanOrEqual(1);
    expect(sample(families, 'takedown_webhook_oldest_failing_seconds', { platform: 'pics' })).toBeGreaterThanOrEqual(5 * 3600);
    expect(sample(families, 'takedown_jobs_pending', { kind: 'deadlines.escalate' })).toBe(1);
    expect(families.find((f) => f.name === 'takedown_job_duration_seconds')?.type).toBe('histogram');
    expect(sample(families, 'takedown_job_duration_seconds_count', { kind: 'deadlines.escalate', outcome: 'done' })).toBeGreaterThanOrEqual(1);
    // Webhook deliveries run in their own lanes, and are timed like the other jobs: here each attempt failed.
    expect(sample(families, 'takedown_job_duration_seconds_count', { kind: WEBHOOK_DELIVERY_JOB, outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(sample(families, 'takedown_decodes_limit')).toBe(app.services.config.decode.concurrency);
    expect(sample(families, 'takedown_decodes_running')).toBe(0);
    // a bank index this small is served from the HTTP thread
    expect([sample(families, 'takedown_pdq_index_hashes'), sample(families, 'takedown_pdq_index_shards'), sample(families, 'takedown_pdq_index_moving')]).toEqual([app.services.platform.banks.sizeOf('pdq'), 0, 0]);
    for (const secret of ['pics.example', open.caseNumber, toRemove.caseNumber, open.items[0].id, removedItem, TOKEN]) expect(text).not.toContain(secret);

    const token = (await addPlatformKey(db.database, clock, { name: 'pics' }, 'test')).token;
    const ack = await app.inject({ method: 'POST', url: `/v1/items/${removedItem}/removed`, headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(ack.statusCode, ack.body).toBe(200);

    // 49 hours after the request, the open item has breached its 48 hours.
    clock.advance(44 * HOUR);
    await worker.drain();
    ({ text, families } = await scrape());
    expect(sample(families, 'takedown_open_items', { jurisdiction: 'US', time_left: 'breached' })).toBe(1);
    expect(sample(families, 'takedown_open_items', { jurisdiction: 'US', time_left: 'over_24h' })).toBe(0);
    expect(sample(families, 'takedown_open_items_escalated', { jurisdiction: 'US' })).toBe(1);
    expect(sample(families, 'takedown_items_breached', { jurisdiction: 'US' })).toBe(1);
    expect(families.find((f) => f.name === 'takedown_time_to_removal_seconds')?.type).toBe('histogram');
    expect(sample(families, 'takedown_time_to_removal_seconds_count', { jurisdiction: 'US' })).toBe(1);
    expect(sample(families, 'takedown_time_to_removal_seconds_bucket', { jurisdiction: 'US', le: '3600' })).toBe(0);
    expect(sample(families, 'takedown_time_to_removal_seconds_bucket', { jurisdiction: 'US', le: '21600' })).toBe(1);
    expect(sample(families, 'takedown_time_to_removal_seconds_sum', { jurisdiction: 'US' })).toBe(5 * 3600);
    // The route's template, never the address asked for.
    expect(text).toContain('route="/v1/items/:itemId/removed"');
    expect(text).not.toContain(removedItem);
  });

  it('the sample alert rules name only metrics the endpoint serves', async () => {
    const { families } = await scrape();
    const names = new Set(families.flatMap((f) => f.samples.map((s) => s.name)));
    const rules = (parseYaml(readFileSync(ALERTS, 'utf8')) as { groups: { name: string; rules: { alert: string; expr: string; for?: string }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['TakedownItemNearDeadline', 'TakedownWebhookFailing', 'TakedownJobQueueStuck']));
    for (const rule of rules) {
      const used = rule.expr.match(/\btakedown_[a-z0-9_]+/g) ?? [];
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(names.has(name), `${rule.alert} uses ${name}`).toBe(true);
    }
  });
});

describe('GET /metrics without a token configured', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await backends[0].create();
    const { config, keys } = platformTestConfig(db.dataDir);
    app = await buildApp(config, { database: db.database, keys });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('takes a token of 32 printable characters or more, never echoing a bad one', () => {
    expect(loadConfig({ TAKEDOWN_METRICS_TOKEN: ` ${TOKEN} ` }).metricsToken).toBe(TOKEN);
    for (const bad of ['short-secret', `${TOKEN} with spaces`]) {
      let message = '';
      try {
        loadConfig({ TAKEDOWN_METRICS_TOKEN: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('TAKEDOWN_METRICS_TOKEN must be at least 32 printable characters without spaces');
      expect(message).not.toContain(bad);
    }
  });

  it('is off: 404 saying which setting turns it on', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'metrics_off', message: 'Metrics are off on this server: set TAKEDOWN_METRICS_TOKEN and restart it to turn them on.' });
  });
});
