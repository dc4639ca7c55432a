import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import { ESCALATION_JOB } from '../src/services/escalation.ts';
import { addPlatformKey, setWebhook } from '../src/services/platform-accounts.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { verifyWebhookSignature } from '../src/platform/webhook-signature.ts';
import { enqueueJobs } from '../src/store/job-queue.ts';
import { queuePlatformEvents } from '../src/store/platform-events.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { LOOPBACK_OUTBOUND } from './helpers/outbound.ts';
import { platformTestConfig } from './platform-helpers.ts';
import { freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';


interface Endpoint {
  url: string;
  /** Event ids in the order they arrived, with the time each arrived. */
  arrivals: { eventId: string; at: number; signature: string; body: string }[];
  /** How to answer: 'ok' (204), 'hang' (never), or a status code. */
  mode: 'ok' | 'hang' | number;
  close(): Promise<void>;
}

async function startEndpoint(mode: Endpoint['mode'], port = 0): Promise<Endpoint> {
  const endpoint: Endpoint = { url: '', arrivals: [], mode, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      endpoint.arrivals.push({ eventId: String(req.headers['takedown-event-id']), at: Date.now(), signature: String(req.headers['takedown-signature']), body });
      if (endpoint.mode === 'hang') return;
      res.statusCode = endpoint.mode === 'ok' ? 204 : endpoint.mode;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/takedown-events`;
  endpoint.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return endpoint;
}

async function queueEvents(database: OpenDatabase, platformId: string, count: number): Promise<{ ids: string[]; at: number }> {
  const at = Date.now();
  const ids = await database.transaction((tx) =>
    queuePlatformEvents(tx, new Date(at), Array.from({ length: count }, (_, i) => ({ platformId, type: 'check.review' as const, data: { contentId: `upload-${i}` } }))),
  );
  return { ids, at };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

for (const backend of backends) {
  describe(`webhook deliveries (${backend.name})`, () => {
    let db: TestDatabase;
    const closing: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => {
      for (const close of closing.reverse()) await close().catch(() => undefined);
      await db?.drop();
    });

    it('a hanging endpoint delays only its own platform: the healthy platform and the escalation job run within 5 s, in spite of a backlog', async () => {
      const hanging = await startEndpoint('hang');
      const healthy = await startEndpoint('ok');
      closing.push(hanging.close, healthy.close);
      // Default timeout (10 s): one hanging delivery used to hold the whole worker for that long.
      const { config, keys } = platformTestConfig(db.dataDir, { workerPollMs: 50, escalationEveryMs: 2_000, outbound: LOOPBACK_OUTBOUND });
      const runtime = new PlatformRuntime(db.database, config.platform);
      await runtime.open();
      closing.push(() => runtime.close());
      // Other work in the queue: 100 jobs of 100 ms each (10 s of backlog, longer than the 7 s watched below).
      const backlog = { 'test.backlog': async () => void (await sleep(100)) };
      const worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: runtime, handlers: backlog });
      closing.push(() => worker.stop());
      const down = await addPlatformKey(db.database, systemClock, { name: `hanging-${backend.name}` }, 'test');
      const up = await addPlatformKey(db.database, systemClock, { name: `healthy-${backend.name}` }, 'test');
      await setWebhook(db.database, keys, systemClock, down.platformId, hanging.url, 'test', LOOPBACK_OUTBOUND);
      const { secret } = await setWebhook(db.database, keys, systemClock, up.platformId, healthy.url, 'test', LOOPBACK_OUTBOUND);

      await db.database.transaction((tx) => enqueueJobs(tx, new Date(), Array.from({ length: 100 }, () => ({ kind: 'test.backlog', runAt: new Date() }))));
      await queueEvents(db.database, down.platformId, 8);
      const started = Date.now();
      await worker.start();
      const healthyFirst = await queueEvents(db.database, up.platformId, 4);
      await sleep(1_000);
      const healthySecond = await queueEvents(db.database, up.platformId, 4);

      await until('the healthy platform\'s 8 events', async () => healthy.arrivals.length >= 8, 15_000);
      const expected = [...healthyFirst.ids.map((id) => [id, healthyFirst.at] as const), ...healthySecond.ids.map((id) => [id, healthySecond.at] as const)];
      // In order, each within 5 s of being queued, signed with the platform's secret.
      expect(healthy.arrivals.slice(0, 8).map((a) => a.eventId)).toEqual(expected.map(([id]) => id));
      const delays = healthy.arrivals.slice(0, 8).map((arrival, i) => arrival.at - expected[i][1]);
      expect(Math.max(...delays), `healthy delivery delays ${delays.join(', ')} ms`).toBeLessThanOrEqual(5_000);
      for (const arrival of healthy.arrivals) expect(verifyWebhookSignature(arrival.signature, secret, arrival.body, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true });

      // The escalation job runs every 2 s, each time within 5 s of when it was due, backlog or not.
      await sleep(Math.max(0, started + 7_000 - Date.now()));
      const runs = await db.database.transaction((tx) => tx.selectFrom('jobs').select(['run_at', 'done_at']).where('kind', '=', ESCALATION_JOB).where('done_at', 'is not', null).execute());
      expect(runs.length).toBeGreaterThanOrEqual(3);
      const lateness = runs.map((run) => run.done_at!.getTime() - run.run_at.getTime());
      expect(Math.max(...lateness), `escalation delays ${lateness.join(', ')} ms`).toBeLessThanOrEqual(5_000);
      const backlogLeft = await db.database.transaction((tx) => tx.selectFrom('jobs').select('id').where('kind', '=', 'test.backlog').where('done_at', 'is', null).execute());
      expect(backlogLeft.length, 'the backlog was still being worked through meanwhile').toBeGreaterThan(0);

      // The hanging platform got one event at a time (its lane waits for each answer); none is lost.
      expect(hanging.arrivals.length).toBe(1);
      const pending = await db.database.transaction((tx) => tx.selectFrom('platform_events').select('id').where('platform_id', '=', down.platformId).where('delivered_at', 'is', null).execute());
      expect(pending).toHaveLength(8);
      await worker.stop();
    }, 60_000);

    it('records a failed attempt as a category, never socket details, and keeps the event at the head of its lane', async () => {
      const failing = await startEndpoint(503);
      closing.push(failing.close);
      const closedPort = await freePort();
      const { config, keys } = platformTestConfig(db.dataDir, { outbound: LOOPBACK_OUTBOUND });
      const worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: new PlatformRuntime(db.database, config.platform) });
      const answering = await addPlatformKey(db.database, systemClock, { name: `answers-503-${backend.name}` }, 'test');
      const refusing = await addPlatformKey(db.database, systemClock, { name: `refuses-${backend.name}` }, 'test');
      await setWebhook(db.database, keys, systemClock, answering.platformId, failing.url, 'test', LOOPBACK_OUTBOUND);
      await setWebhook(db.database, keys, systemClock, refusing.platformId, `http://127.0.0.1:${closedPort}/hooks`, 'test', LOOPBACK_OUTBOUND);
      const first = await queueEvents(db.database, answering.platformId, 2);
      await queueEvents(db.database, refusing.platformId, 1);
      await worker.drain();
      const events = await db.database.transaction((tx) => tx.selectFrom('platform_events').select(['id', 'platform_id', 'attempts', 'last_error']).where('platform_id', 'in', [answering.platformId, refusing.platformId]).execute());
      const byId = new Map(events.map((e) => [e.id, e]));
      expect(byId.get(first.ids[0])).toMatchObject({ attempts: 1, last_error: 'the endpoint answered HTTP 503' });
      // The second event waits behind the first (order is kept per platform).
      expect(byId.get(first.ids[1])).toMatchObject({ attempts: 0, last_error: null });
      expect(failing.arrivals.map((a) => a.eventId)).toEqual([first.ids[0]]);
      const refused = events.find((e) => e.platform_id === refusing.platformId)!;
      expect(refused.last_error).toBe('could not connect');
      expect(refused.last_error).not.toMatch(/ECONN|127\.0\.0\.1|port/i);
    });
  });
}

for (const backend of backends) {
  describe(`webhook deliveries across a crash (${backend.name}, kill -9 of the server process)`, () => {
    let db: TestDatabase;
    let server: ServerProcess | undefined;
    let endpoint: Endpoint | undefined;
    afterAll(async () => {
      if (server) await stopServer(server, 'SIGKILL');
      await endpoint?.close();
      await db?.drop();
    });

    it('an event whose delivery was cut short by kill -9 is delivered after the restart: nothing is lost, order is kept', async () => {
      db = await backend.create();
      const secretKey = randomBytes(32);
      const keys = deriveKeys(secretKey);
      endpoint = await startEndpoint('hang');
      const platform = await addPlatformKey(db.database, systemClock, { name: 'crash-test' }, 'test');
      await setWebhook(db.database, keys, systemClock, platform.platformId, endpoint.url, 'test', LOOPBACK_OUTBOUND);
      const queued = await queueEvents(db.database, platform.platformId, 3);
      const databaseUrl = db.databaseUrl;
      await db.database.close();
      const env = {
        ...process.env,
        TAKEDOWN_DATA_DIR: db.dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        TAKEDOWN_SECRET_KEY: secretKey.toString('base64'),
        TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        TAKEDOWN_OUTBOUND_ALLOW_HTTP: '1',
        TAKEDOWN_WEBHOOK_TIMEOUT_MS: '1000',
        TAKEDOWN_WEBHOOK_RETRY_BASE_MS: '200',
        TAKEDOWN_WEBHOOK_RETRY_MAX_MS: '400',
      };
      const port = await freePort();
      server = await startServer(env, port);
      // The first event reaches the endpoint, which does not answer: the server dies mid-delivery.
      await until('the first delivery', async () => endpoint!.arrivals.length >= 1, 20_000);
      await stopServer(server, 'SIGKILL');
      endpoint.mode = 'ok';
      server = await startServer(env, port);
      // Its lease ends (timeout + 5 s) and it is delivered again, then the rest, in order.
      await until('all three events', async () => new Set(endpoint!.arrivals.map((a) => a.eventId)).size === 3 && endpoint!.arrivals.at(-1)!.eventId === queued.ids[2], 30_000);
      const distinct = endpoint.arrivals.map((a) => a.eventId).filter((id, i, all) => all.indexOf(id) === i);
      expect(distinct).toEqual(queued.ids);
      expect(endpoint.arrivals[0].eventId).toBe(queued.ids[0]);
      await stopServer(server);
      server = undefined;
      const reopened = await openDatabase({ dataDir: db.dataDir, databaseUrl });
      try {
        const events = await reopened.transaction((tx) => tx.selectFrom('platform_events').select(['id', 'delivered_at']).where('platform_id', '=', platform.platformId).execute());
        expect(events.filter((e) => e.delivered_at !== null)).toHaveLength(3);
      } finally {
        await reopened.close();
      }
    }, 300_000); // two server starts: generous for a machine shared with other builds
  });
}
