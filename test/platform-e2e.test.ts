import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../examples/platform-receiver/receiver.ts';
import { addPlatformKey, buildApp, createStaffUser, createWorker, DEFAULT_PLATFORM_CONFIG, deriveKeys, hashImageBytes, loadConfig, migrate, openDatabase, verifyAuditChain, type ServerConfig } from '@takedown/server';
import { testBackends } from '@takedown/testing/databases';
import { multipart } from '@takedown/testing/multipart';
import { requestBody } from '@takedown/testing/requests';
import { vectorPhoto } from '@takedown/testing/vectors';

const PASSWORD = 'correct horse battery staple';

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<NonNullable<Exclude<T, false>>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<Exclude<T, false>>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function flipBits(hash: string, bits: number): string {
  return (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');
}

// In a test run, each create copies the run's migrated PGlite data dir instead of making and migrating one.
const [pglite] = testBackends(async (options) => {
  const database = await openDatabase(options);
  await migrate(database);
  return database;
}, 'migrated');

/**
 * A config and matching keys for a test database (the worker derives the same keys from the config's secret).
 * The reference receiver listens on loopback over plain HTTP: allowed as an operator would on a development server.
 */
function testConfig(dataDir: string, overrides: Partial<ServerConfig>) {
  const secret = randomBytes(32);
  const env = { TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', TAKEDOWN_OUTBOUND_ALLOW_HTTP: '1' };
  return { config: loadConfig(env, { dataDir, secretKey: secret.toString('base64'), logLevel: 'silent', ...overrides }), keys: deriveKeys(secret) };
}

/** A running server (real HTTP port, job worker) on a fresh PGlite, with a platform and a staff member. */
async function startStack(options: { retryBaseMs?: number; retryMaxMs?: number } = {}) {
  const db = await pglite.create();
  const { config, keys } = testConfig(db.dataDir, {
    workerPollMs: 20,
    platform: {
      ...DEFAULT_PLATFORM_CONFIG,
      indexSyncMs: 100,
      delivery: { ...DEFAULT_PLATFORM_CONFIG.delivery, baseMs: options.retryBaseMs ?? 100, maxMs: options.retryMaxMs ?? 400, timeoutMs: 2_000 },
    },
  });
  const app = await buildApp(config, { database: db.database, keys, clock: systemClock });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: app.services.platform });
  await worker.start();
  const { token } = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
  await createStaffUser(db.database, systemClock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
  const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: PASSWORD } });
  const staff = {
    cookie: ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '),
    csrf: login.json().csrfToken as string,
  };
  const api = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: object | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...headers } });
  const decide = async (itemId: string) => {
    const response = await app.inject({ method: 'POST', url: `/v1/review/items/${itemId}/decision`, headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf }, payload: { decision: 'confirm', note: 'depicts the requester' } });
    expect(response.statusCode).toBe(200);
  };
  const stop = async () => {
    await worker.stop();
    await app.close();
    await db.drop();
  };
  return { db, app, address, worker, token, api, decide, stop };
}

describe('platform integration, end to end (PGlite, real HTTP, reference receiver)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  it('request → review confirm → webhook → removal ack → case resolved, with copies found by the sweep removed too', async () => {
    const { app, api, decide, db } = stack;
    // The platform starts its receiver, sets the webhook (the secret is shown once) and restarts the receiver
    // with the secret on the same port.
    const first = await startReceiver({ secret: 'not yet known', takedownUrl: stack.address, apiKey: stack.token });
    const hook = (await api('PUT', '/v1/platform/webhook', { url: first.url })).json();
    await first.close();
    receiver = await startReceiver({ secret: hook.secret, takedownUrl: stack.address, apiKey: stack.token, port: Number(new URL(hook.url).port) });

    // The platform's content index: the reported post, a re-encoded copy elsewhere, a look-alike, and noise.
    const photo = vectorPhoto();
    const original = await hashImageBytes(photo);
    const upload = async (contentId: string, bytes: Buffer) => {
      const form = multipart({ contentId, url: `https://pics.example/p/${contentId}` }, { bytes });
      const response = await api('POST', '/v1/content', form.payload, form.headers);
      expect(response.statusCode).toBe(200);
    };
    await upload('post-1', photo);
    await upload('post-2-reupload', await sharp(photo).jpeg({ quality: 55 }).toBuffer());
    await upload('post-3-rotated', await sharp(photo).rotate(90).png().toBuffer());
    const lookAlike = flipBits(original.pdq, 20);
    expect((await api('POST', '/v1/content', { contentId: 'post-4-similar', url: 'https://pics.example/p/post-4-similar', pdq: lookAlike, pdqQuality: 90 })).statusCode).toBe(200);
    expect((await api('POST', '/v1/content', { contentId: 'post-5-unrelated', pdq: flipBits(original.pdq, 120), pdqQuality: 90 })).statusCode).toBe(200);

    // The person depicted files a request for the post, with the hashes their browser made.
    const submitted = await app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ items: [{ url: 'https://pics.example/p/post-1', hashes: { pdq: original.pdq, pdqQuality: original.quality, md5: original.md5, sha256: original.sha256 } }] }) as object,
    });
    expect(submitted.statusCode).toBe(201);
    const { caseNumber, pin, items } = submitted.json();
    const itemId = items[0].id;

    // A reviewer confirms: the platform is told to remove the post, and the sweep finds the copies.
    await decide(itemId);
    const caseItems = await until('the sweep to add the copies to the case', async () => {
      const rows = await db.database.db.selectFrom('items').select(['id', 'state', 'deadline_at', 'url']).where('case_id', '=', (await db.database.db.selectFrom('items').select('case_id').where('id', '=', itemId).executeTakeFirstOrThrow()).case_id).orderBy('position').execute();
      return rows.length >= 4 ? rows : undefined;
    });
    const byUrl = Object.fromEntries(caseItems.map((r) => [r.url, r]));
    // Near-exact copies (re-encoded, rotated) were confirmed automatically; the look-alike waits for a person.
    expect(byUrl['https://pics.example/p/post-4-similar'].state).toBe('pending');
    for (const item of caseItems) expect(item.deadline_at.getTime()).toBe(caseItems[0].deadline_at.getTime());

    // The receiver removes and acknowledges every confirmed item.
    await until('removal of the original and its near-exact copies', async () => {
      const states = await db.database.db.selectFrom('items').select(['url', 'state']).where('id', 'in', caseItems.map((i) => i.id)).execute();
      const removed = states.filter((s) => s.state === 'removed').map((s) => s.url);
      return removed.length === 3 ? removed : undefined;
    });
    expect(receiver.removed).toEqual(new Set([itemId, 'post-1', byUrl['https://pics.example/p/post-2-reupload'].id, 'post-2-reupload', byUrl['https://pics.example/p/post-3-rotated'].id, 'post-3-rotated']));
    expect(receiver.removed.has('post-5-unrelated')).toBe(false);

    // The reviewer confirms the look-alike too; once it is removed, the case is resolved.
    await decide(byUrl['https://pics.example/p/post-4-similar'].id);
    const status = await until('the case to be resolved', async () => {
      const response = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: { 'takedown-case-pin': pin } });
      const body = response.json() as { state: string; items: { state: string }[] };
      return body.state === 'resolved' ? body : undefined;
    });
    expect(status.items.every((i: { state: string }) => i.state === 'removed')).toBe(true);
    expect(receiver.removed.has('post-4-similar')).toBe(true);

    // Every event arrived once, signed; acknowledgements stopped further deliveries.
    expect(receiver.refused).toEqual([]);
    expect(receiver.events.filter((e) => e.type === 'item.remove')).toHaveLength(4);
    const undelivered = await db.database.db.selectFrom('platform_events').select('id').where('delivered_at', 'is', null).where('type', '=', 'item.remove').execute();
    expect(undelivered).toEqual([]);

    // Re-uploads of the removed image are now blocked at the door.
    const check = await api('POST', '/v1/check', { sha256: original.sha256 });
    expect(check.json().verdict).toBe('block');
    expect(check.json().reason).not.toContain(caseNumber);

    const chain = await verifyAuditChain(db.database);
    expect(chain.ok).toBe(true);
  });
});

describe('webhook receiver down for a while (short backoff)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  it('loses nothing: every event arrives once the receiver is back, each signature verifying; the items are escalated meanwhile', async () => {
    stack = await startStack({ retryBaseMs: 50, retryMaxMs: 300 });
    const { api, app, db, decide } = stack;
    // Take a port, then close it: the endpoint is down.
    const probe = await startReceiver({ secret: 'x', takedownUrl: stack.address, apiKey: stack.token });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const { secret } = (await api('PUT', '/v1/platform/webhook', { url: `http://127.0.0.1:${port}/takedown/events` })).json();
    // The requests name only addresses: the platform receives them because it declares their host.
    expect((await api('PUT', '/v1/platform/hosts', { hosts: ['pics.example'] })).json()).toEqual({ hosts: ['pics.example'] });

    const itemIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url: `https://pics.example/p/down-${i}` }] }) as object });
      expect(response.statusCode).toBe(201);
      itemIds.push(response.json().items[0].id);
    }
    for (const id of itemIds) await decide(id);

    // Deliveries fail and are retried; after 6 failures the items go to a person (well before the deadline).
    await until('escalation of the items whose removal cannot be delivered', async () => {
      const rows = await db.database.db.selectFrom('items').select('escalation_level').where('id', 'in', itemIds).execute();
      return rows.every((r) => r.escalation_level > 0);
    });
    const escalations = await db.database.db.selectFrom('audit_events').select(['reason']).where('action', '=', 'item.escalated').where('item_id', 'in', itemIds).execute();
    expect(escalations[0].reason).toContain("webhook failed");

    // The receiver comes back on the same port.
    receiver = await startReceiver({ secret, takedownUrl: stack.address, apiKey: stack.token, port });
    await until('every removal to be acknowledged', () => itemIds.every((id) => receiver!.acknowledged.has(id)));
    expect(new Set(receiver.events.filter((e) => e.type === 'item.remove').map((e) => e.data.itemId))).toEqual(new Set(itemIds));
    expect(receiver.refused).toEqual([]);
    const events = await db.database.db.selectFrom('platform_events').select(['id', 'attempts', 'delivered_at', 'gave_up_at', 'payload']).execute();
    expect(events.every((e) => e.delivered_at !== null && e.gave_up_at === null)).toBe(true);
    expect(Math.max(...events.map((e) => e.attempts))).toBeGreaterThan(3);
    // Each body the receiver got is the stored event, byte for byte, so its signature covered it.
    for (const e of receiver.events) expect(events.find((row) => row.id === e.id)?.payload).toEqual(e);
  });
});
