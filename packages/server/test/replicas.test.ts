import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { startRoundRobinProxy, type RoundRobinProxy } from '@takedown/testing/round-robin-proxy';
import { verifyWebhookSignature } from '../src/platform/webhook-signature.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { ensureBank } from '../src/services/platform-banks.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { ESCALATION_JOB } from '../src/services/escalation.ts';
import { verifyAuditChain } from '../src/services/audit-verify.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { WEBHOOK_DELIVERY_JOB } from '../src/store/platform-events.ts';
import { requestBody } from './helpers/fixtures.ts';
import { freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';

const PASSWORD = 'correct horse battery staple';
const HOST = 'pics.example';

const randomPdq = () => randomBytes(32).toString('hex');

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * The platform's webhook endpoint: checks each signature, counts every arrival by event id (a second arrival is
 * a duplicate delivery), answers after `delayMs` (so deliveries are in flight when a replica dies), and then
 * acknowledges each removal through the load balancer, as a platform would.
 */
interface Platform {
  url: string;
  /** Deliveries per event id, with the event's type. */
  arrivals: Map<string, { type: string; count: number }>;
  removals: Set<string>;
  acknowledged: Set<string>;
  badSignatures: number;
  delayMs: number;
  secret: string;
  close(): Promise<void>;
}

async function startPlatform(takedownUrl: () => string, apiKey: string): Promise<Platform> {
  const platform: Platform = { url: '', arrivals: new Map(), removals: new Set(), acknowledged: new Set(), badSignatures: 0, delayMs: 0, secret: '', close: async () => undefined };
  const acknowledge = async (itemId: string) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await fetch(`${takedownUrl()}/v1/items/${itemId}/removed`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
      if (response?.ok) return void platform.acknowledged.add(itemId);
      await sleep(200);
    }
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const check = verifyWebhookSignature(String(request.headers['takedown-signature']), platform.secret, body, Math.floor(Date.now() / 1000));
      if (!check.ok) {
        platform.badSignatures += 1;
        return void response.writeHead(401).end();
      }
      const event = JSON.parse(body) as { id: string; type: string; data: { itemId?: string } };
      platform.arrivals.set(event.id, { type: event.type, count: (platform.arrivals.get(event.id)?.count ?? 0) + 1 });
      await sleep(platform.delayMs);
      response.writeHead(204).end();
      if (event.type === 'item.remove' && event.data.itemId && !platform.removals.has(event.data.itemId)) {
        platform.removals.add(event.data.itemId);
        void acknowledge(event.data.itemId);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/takedown-events`;
  platform.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return platform;
}

/** How many audit events of `action` each item has. */
async function auditCounts(database: OpenDatabase, action: string, itemIds: string[]): Promise<Map<string, number>> {
  const rows = await database.db.selectFrom('audit_events').select(['item_id']).where('action', '=', action).where('item_id', 'in', itemIds).execute();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.item_id!, (counts.get(row.item_id!) ?? 0) + 1);
  return counts;
}

describe('two replicas on one PostgreSQL behind a round-robin proxy', () => {
  const cleanup: (() => Promise<void>)[] = [];
  let database: OpenDatabase;
  let replicas: ServerProcess[];
  let proxy: RoundRobinProxy;
  let platform: Platform;
  let apiKey: string;
  let staff: { cookie: string; csrf: string };

  const api = (base: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const decide = (base: string, itemId: string) =>
    fetch(`${base}/v1/review/items/${itemId}/decision`, { method: 'POST', headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'confirm', note: 'depicts the requester' }) });
  const fileRequest = (base: string, i: number) =>
    fetch(`${base}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody({ contact: { email: `replica-${i}@example.org` }, items: [{ url: `https://${HOST}/p/${i}`, hashes: { pdq: randomPdq(), pdqQuality: 90 } }] })) });

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    cleanup.push(() => created.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'takedown-replicas-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    // Both replicas: the same database, the same secret key and the same data dir (a shared volume in production).
    const env = {
      ...process.env,
      DATABASE_URL: created.url,
      TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'),
      TAKEDOWN_DATA_DIR: dataDir,
      TAKEDOWN_LOG_LEVEL: 'warn',
      TAKEDOWN_INTAKE_RATE_LIMIT: '10000',
      // The proxy is trusted to name the client (X-Forwarded-For), as a load balancer would be.
      TAKEDOWN_TRUST_PROXY: '127.0.0.1',
      TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      TAKEDOWN_OUTBOUND_ALLOW_HTTP: '1',
      TAKEDOWN_WEBHOOK_TIMEOUT_MS: '2000',
      TAKEDOWN_WEBHOOK_RETRY_BASE_MS: '200',
      TAKEDOWN_WEBHOOK_RETRY_MAX_MS: '1000',
    };
    // Started together on an empty database: the migrations run once (an advisory lock), whichever comes first.
    replicas = await Promise.all([freePort(), freePort()].map(async (port) => startServer(env, await port)));
    cleanup.push(async () => void (await Promise.all(replicas.map((r) => stopServer(r, 'SIGKILL')))));
    proxy = await startRoundRobinProxy(replicas.map((r) => r.baseUrl));
    cleanup.push(() => proxy.close());
    database = await openDatabase({ databaseUrl: created.url, dataDir });
    cleanup.push(() => database.close());

    apiKey = (await addPlatformKey(database, systemClock, { name: 'pics', scopes: ['content', 'check', 'removals', 'webhooks', 'hma', 'banks'] }, 'test')).token;
    await createStaffUser(database, systemClock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    await ensureBank(database, systemClock, 'imported', 'test');
    platform = await startPlatform(() => proxy.url, apiKey);
    cleanup.push(() => platform.close());
    const hook = await api(proxy.url, 'PUT', '/v1/platform/webhook', { url: platform.url });
    expect(hook.status).toBe(200);
    platform.secret = ((await hook.json()) as { secret: string }).secret;
    expect((await api(proxy.url, 'PUT', '/v1/platform/hosts', { hosts: [HOST] })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('a staff session made on one replica works on the other (sessions and CSRF secrets live in the database and the key)', async () => {
    const login = await fetch(`${replicas[0].baseUrl}/v1/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password: PASSWORD }) });
    expect(login.status).toBe(200);
    staff = { cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    for (const replica of replicas) {
      const queue = await fetch(`${replica.baseUrl}/v1/review/queue`, { headers: { cookie: staff.cookie } });
      expect(queue.status, replica.baseUrl).toBe(200);
    }
  });

  it('a bank hash added through one replica is matchable on the other within 1 s', async () => {
    for (const [from, to] of [[0, 1], [1, 0]]) {
      const pdq = randomPdq();
      expect((await api(replicas[to].baseUrl, 'POST', '/v1/check', { pdq, pdqQuality: 90 }).then((r) => r.json())).verdict).toBe('allow');
      const added = await api(replicas[from].baseUrl, 'POST', '/c/bank/imported/signal', { pdq });
      expect(added.status).toBe(200);
      const started = Date.now();
      const elapsed = await until('the other replica to match the new hash', async () => {
        const verdict = ((await api(replicas[to].baseUrl, 'POST', '/v1/check', { pdq, pdqQuality: 90 }).then((r) => r.json())) as { verdict: string }).verdict;
        return verdict !== 'allow' && Date.now() - started + 1;
      }, 5_000);
      console.info(`replicas: a hash added on replica ${from + 1} matched on replica ${to + 1} after ${elapsed - 1} ms`);
      expect(elapsed - 1).toBeLessThanOrEqual(1_000);
    }
  });

  it('requests, reviews, content and platform calls alternate between replicas; every job runs exactly once', async () => {
    const COUNT = 20;
    const before = [...proxy.answered];
    // The platform's content index gets a copy of every reported picture (through the proxy), so each sweep has one to find.
    const filed: { itemId: string; pdq: string }[] = [];
    for (let i = 0; i < COUNT; i++) {
      const pdq = randomPdq();
      const response = await fetch(`${proxy.url}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody({ items: [{ url: `https://${HOST}/p/${i}`, hashes: { pdq, pdqQuality: 90 } }] })) });
      expect(response.status).toBe(201);
      filed.push({ itemId: ((await response.json()) as { items: { id: string }[] }).items[0].id, pdq });
      expect((await api(proxy.url, 'POST', '/v1/content', { contentId: `copy-${i}`, url: `https://${HOST}/c/${i}`, pdq, pdqQuality: 90 })).status).toBe(200);
    }
    for (const { itemId } of filed) expect((await decide(proxy.url, itemId)).status).toBe(200);
    const answered = proxy.answered.map((n, i) => n - before[i]);
    console.info(`replicas: the proxy sent ${answered.join(' and ')} requests to the two replicas`);
    for (const n of answered) expect(n).toBeGreaterThanOrEqual(COUNT * 1.5);

    // Each confirmed item and the copy its sweep found are removed and acknowledged.
    const itemIds = filed.map((f) => f.itemId);
    await until('every item and its copy to be removed', async () => {
      const removed = await database.db.selectFrom('items').select('id').where('state', '=', 'removed').execute();
      return removed.length >= COUNT * 2;
    });
    const copies = await database.db.selectFrom('items').select('id').where('state', '=', 'removed').where('id', 'not in', itemIds).execute();
    expect(copies).toHaveLength(COUNT);
    const all = [...itemIds, ...copies.map((c) => c.id)];
    // Exactly once: one sweep per confirmed item, one confirmation and one removal per item, one delivery per event.
    for (const [action, ids] of [['item.swept', itemIds], ['item.confirmed', all], ['item.removed', all]] as const) {
      const counts = await auditCounts(database, action, [...ids]);
      expect([...ids].map((id) => counts.get(id) ?? 0), action).toEqual([...ids].map(() => 1));
    }
    expect([...platform.arrivals.values()].filter((a) => a.count > 1), 'duplicate webhook deliveries').toEqual([]);
    expect([...platform.arrivals.values()].filter((a) => a.type === 'item.remove')).toHaveLength(COUNT * 2);
    expect(platform.badSignatures).toBe(0);

    // Escalation is a singleton: make every open item 25 hours old and run it now; each item is escalated once.
    const open = await Promise.all(Array.from({ length: 10 }, (_, i) => fileRequest(proxy.url, 1_000 + i).then(async (r) => ((await r.json()) as { items: { id: string }[] }).items[0].id)));
    // The whole 48-hour clock moves back (escalation points follow each item's own clock, decision 020).
    await database.db.updateTable('items').set({ received_at: new Date(Date.now() - 25 * 3_600_000), deadline_at: new Date(Date.now() + 23 * 3_600_000) }).where('id', 'in', open).execute();
    for (let round = 0; round < 3; round++) {
      await database.db.updateTable('jobs').set({ run_at: new Date() }).where('kind', '=', ESCALATION_JOB).where('done_at', 'is', null).execute();
      await sleep(1_500);
    }
    const escalated = await auditCounts(database, 'item.escalated', open);
    expect(open.map((id) => escalated.get(id) ?? 0)).toEqual(open.map(() => 1));
    const pendingPeriodic = await database.db.selectFrom('jobs').select(['kind']).where('unique_key', 'is not', null).where('done_at', 'is', null).execute();
    expect(pendingPeriodic.map((j) => j.kind).sort(), 'one queued run of each periodic job').toEqual([...new Set(pendingPeriodic.map((j) => j.kind))].sort());
  }, 180_000);

  it('a rate limit counts the requests sent to both replicas together', async () => {
    const filed = (await (await fileRequest(proxy.url, 500)).json()) as { caseNumber: string; pin: string };
    const client = { 'x-forwarded-for': '198.51.100.7' };
    // Following a case: 60 a minute per client. Alternating replicas, each saw 30; the 61st is refused all the same.
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push((await fetch(`${proxy.url}/v1/cases/${filed.caseNumber}`, { headers: { 'takedown-case-pin': filed.pin, ...client } })).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    // Another client is not held back.
    expect((await fetch(`${proxy.url}/v1/cases/${filed.caseNumber}`, { headers: { 'takedown-case-pin': filed.pin, 'x-forwarded-for': '198.51.100.8' } })).status).toBe(200);
  });

  it('kill -9 of one replica mid-load loses no acknowledged request or decision; its leased deliveries are taken over', async () => {
    const [survivor, victim] = replicas;
    // Cases to decide during the load.
    const queued: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fileRequest(proxy.url, 2_000 + i);
      expect(response.status).toBe(201);
      queued.push(((await response.json()) as { items: { id: string }[] }).items[0].id);
    }
    // Nothing is being delivered; then the platform answers slowly (within the 2 s timeout) and the survivor is
    // paused, so that the next delivery is leased by the victim.
    await until('no delivery in flight', async () => (await database.db.selectFrom('jobs').select('id').where('kind', '=', WEBHOOK_DELIVERY_JOB).where('done_at', 'is', null).execute()).length === 0);
    platform.delayMs = 1_800;
    survivor.child.kill('SIGSTOP');
    // Load from 8 clients at once, until 2 s after the kill: new requests, and decisions on the queued items.
    const accepted: { caseNumber: string; pin: string }[] = [];
    const decided: string[] = [];
    let cutOff = 0;
    let loading = true;
    let next = 0;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (loading) {
          const i = next++;
          const itemId = queued[i];
          if (itemId) {
            const response = await decide(proxy.url, itemId).catch(() => undefined);
            if (response?.status === 200) decided.push(itemId);
            else cutOff += 1;
          } else {
            const response = await fileRequest(proxy.url, 3_000 + i).catch(() => undefined);
            if (response?.status === 201) accepted.push((await response.json()) as { caseNumber: string; pin: string });
            else cutOff += 1;
          }
        }
      }),
    );
    const leased = await until('a delivery leased by the replica about to die', async () => {
      const rows = await database.db.selectFrom('jobs').select(['id']).where('kind', '=', WEBHOOK_DELIVERY_JOB).where('done_at', 'is', null).where('run_at', '>', new Date()).execute();
      return rows.length > 0 && rows.map((r) => Number(r.id));
    }, 30_000);
    // The survivor resumes (the lease keeps that delivery, and the lane behind it, from it); the victim dies as
    // soon as the load has requests in flight on it, its delivery unanswered.
    survivor.child.kill('SIGCONT');
    await until('requests in flight on the victim', async () => proxy.inFlight[1] >= 2, 30_000);
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    platform.delayMs = 0;
    await sleep(2_000);
    loading = false;
    await load;
    console.info(`replicas: kill -9 with ${leased.length} delivery leased by the killed replica; ${accepted.length} requests and ${decided.length} decisions acknowledged, ${cutOff} cut off`);
    expect(decided.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(cutOff, 'the kill must have cut requests off').toBeGreaterThan(0);

    // Every acknowledged request is there, whole, and its requester can open it (through the proxy: the survivor).
    const cases = await database.db.selectFrom('cases').select(['case_number', 'id']).where('case_number', 'in', accepted.map((a) => a.caseNumber)).execute();
    expect(cases).toHaveLength(accepted.length);
    const received = await database.db.selectFrom('audit_events').select('case_id').where('action', '=', 'case.received').where('case_id', 'in', cases.map((c) => c.id)).execute();
    expect(received).toHaveLength(accepted.length);
    for (const sample of accepted.slice(0, 5)) {
      expect((await fetch(`${proxy.url}/v1/cases/${sample.caseNumber}`, { headers: { 'takedown-case-pin': sample.pin } })).status).toBe(200);
    }
    // Every acknowledged decision is carried through by the survivor: the leased delivery after its lease ends.
    await until('the acknowledged decisions to be delivered and removed', async () => {
      const removed = await database.db.selectFrom('items').select('id').where('id', 'in', decided).where('state', '=', 'removed').execute();
      return removed.length === decided.length;
    }, 90_000);
    const stillLeased = await database.db.selectFrom('jobs').select('id').where('id', 'in', leased).where('done_at', 'is', null).execute();
    expect(stillLeased, 'the dead replica\'s leased deliveries are done').toEqual([]);
    const removed = await auditCounts(database, 'item.removed', decided);
    expect(decided.map((id) => removed.get(id) ?? 0)).toEqual(decided.map(() => 1));
    // At-least-once: a delivery cut off by the kill may arrive twice (its event id makes that harmless), nothing more.
    const twice = [...platform.arrivals.values()].filter((a) => a.count > 1).length;
    expect(twice).toBeLessThanOrEqual(leased.length);
    expect(proxy.unreachable).toBe(0);

    await stopServer(survivor);
    expect((await verifyAuditChain(database)).ok).toBe(true);
  }, 240_000);
});
