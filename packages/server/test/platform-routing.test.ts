import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { addPlatformKey, setWebhook } from '../src/services/platform-accounts.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { UNHOSTED_REASON } from '../src/services/sweep.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { confirmItem, contentEntries, fileRequest, platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';

// Issue 15, finding 2: a removal instruction goes only to the platform hosting the content (by its content
// index, or by the host of the reported address as the platform declares it); only that platform may
// acknowledge it, and no other platform learns the item's id from an upload check.
describe.each(backends)('routing items to the platforms that host them, on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  const a = { id: '', token: '' };
  const b = { id: '', token: '' };

  beforeAll(async () => {
    db = await backend.create();
    const { config, keys } = platformTestConfig(db.dataDir);
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: app.services.platform });
    for (const [platform, name] of [[a, 'alpha'], [b, 'beta']] as const) {
      const key = await addPlatformKey(db.database, systemClock, { name }, 'test');
      Object.assign(platform, { id: key.platformId, token: key.token });
      // Both take events (names that do not resolve: deliveries fail and are retried later, the events stay recorded).
      await setWebhook(db.database, keys, systemClock, key.platformId, `https://${name}.example/events`, 'test');
    }
    await createStaffUser(db.database, systemClock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await db?.drop();
  });

  const auth = (platform: { token: string }) => ({ authorization: `Bearer ${platform.token}` });
  const acknowledge = (platform: { token: string }, itemId: string) => app.inject({ method: 'POST', url: `/v1/items/${itemId}/removed`, headers: auth(platform), payload: {} });
  const eventsFor = (itemId: string) =>
    db.database.db.selectFrom('platform_events').select(['platform_id', 'type', 'payload']).where('item_id', '=', itemId).orderBy('created_at').execute();
  const item = (itemId: string) => db.database.db.selectFrom('items').select(['state', 'removed_at', 'escalated_at', 'escalation_reason']).where('id', '=', itemId).executeTakeFirstOrThrow();
  const hosts = (platform: { token: string }, list: unknown) => app.inject({ method: 'PUT', url: '/v1/platform/hosts', headers: auth(platform), payload: { hosts: list } });

  /** Files a request, has a reviewer confirm it, and runs the sweep that routes its removal instruction. */
  async function confirmed(items: { url?: string; hashes?: Record<string, string | number> }[]): Promise<string> {
    const submitted = await fileRequest(db.database, app.services.keys, items);
    const itemId = submitted.items[0].id;
    await confirmItem(db.database, itemId);
    await worker.drain();
    await app.services.platform.sync();
    return itemId;
  }

  it('content in A\'s index: only A is told and may acknowledge; B gets 404, the clock runs on, and B\'s check names no item', async () => {
    const md5 = randomBytes(16).toString('hex');
    const sha256 = randomBytes(32).toString('hex');
    const pdq = randomBytes(32).toString('hex');
    await upsertContent(db.database, a.id, contentEntries([{ contentId: 'a-post-1', url: 'https://alpha.example/p/1', md5, sha256 }]), new Date());
    await app.services.platform.sync();
    const itemId = await confirmed([{ hashes: { md5, sha256, pdq, pdqQuality: 90 } }]);

    const events = await eventsFor(itemId);
    expect(events.map((e) => [e.platform_id, e.type])).toEqual([[a.id, 'item.remove']]);
    expect(events[0].payload).toMatchObject({ data: { itemId, contentIds: ['a-post-1'] } });

    // B's check: the same verdict as A's, but no item id (or case data) of an item B does not host.
    const checkB = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(b), payload: { sha256, contentId: 'b-upload-1' } });
    expect(checkB.statusCode).toBe(200);
    expect(checkB.json()).toMatchObject({ verdict: 'block', matches: [{ bank: 'confirmed', signal: 'sha256', distance: 0 }] });
    expect(JSON.stringify(checkB.json())).not.toContain(itemId);
    const checkA = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(a), payload: { sha256 } });
    expect(checkA.json()).toMatchObject({ verdict: 'block', matches: [{ itemId }] });
    // A match sent to review (a low-quality PDQ never blocks) reaches B's moderation queue as an event: without the item id either.
    const review = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(b), payload: { pdq, pdqQuality: 40, contentId: 'b-upload-2' } });
    expect(review.json()).toMatchObject({ verdict: 'review', matches: [{ signal: 'pdq', distance: 0 }] });
    expect(JSON.stringify(review.json())).not.toContain(itemId);
    const reviewEvents = await db.database.db.selectFrom('platform_events').select('payload').where('platform_id', '=', b.id).where('type', '=', 'check.review').execute();
    expect(reviewEvents).toHaveLength(1);
    expect(JSON.stringify(await db.database.db.selectFrom('platform_events').select('payload').where('platform_id', '=', b.id).execute())).not.toContain(itemId);

    const refused = await acknowledge(b, itemId);
    expect(refused.statusCode).toBe(404);
    const unknown = await acknowledge(b, '00000000-0000-4000-8000-000000000000');
    expect(refused.json()).toEqual(unknown.json()); // the same answer as for an item that does not exist
    expect(await item(itemId)).toMatchObject({ state: 'confirmed', removed_at: null });

    const accepted = await acknowledge(a, itemId);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ itemState: 'removed', alreadyRemoved: false });
    expect((await item(itemId)).removed_at).not.toBeNull();
  });

  it('an address on a host A declares: only A is told and may acknowledge, B may not', async () => {
    expect((await hosts(a, ['alpha.example', '*.CDN.Alpha.example'])).json()).toEqual({ hosts: ['*.cdn.alpha.example', 'alpha.example'] });
    const itemId = await confirmed([{ url: 'https://img7.cdn.alpha.example/x/1.jpg' }]);
    const events = await eventsFor(itemId);
    expect(events.map((e) => [e.platform_id, e.type])).toEqual([[a.id, 'item.remove']]);
    expect(events[0].payload).toMatchObject({ data: { itemId, contentIds: [] } });

    expect((await acknowledge(b, itemId)).statusCode).toBe(404);
    expect(await item(itemId)).toMatchObject({ state: 'confirmed', removed_at: null });
    expect((await acknowledge(a, itemId)).statusCode).toBe(200);
  });

  it('an address no platform declares: nobody is told, the item goes to senior review saying so, and no platform can close it', async () => {
    const itemId = await confirmed([{ url: 'https://unknown-site.example/p/9' }]);
    expect(await eventsFor(itemId)).toEqual([]);
    expect(await item(itemId)).toMatchObject({ state: 'confirmed', escalation_reason: UNHOSTED_REASON });
    expect((await item(itemId)).escalated_at).not.toBeNull();
    for (const platform of [a, b]) expect((await acknowledge(platform, itemId)).statusCode).toBe(404);

    const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: PASSWORD } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const review = (await app.inject({ method: 'GET', url: `/v1/review/items/${itemId}`, headers: { cookie } })).json();
    expect(review.item).toMatchObject({ hostedBy: [], escalationReason: UNHOSTED_REASON, queue: 'senior' });
  });

  it('a copy found in B\'s index is B\'s, even when B\'s entry gives an address on a host A declares', async () => {
    expect((await hosts(a, ['alpha.example', '*.cdn.alpha.example'])).statusCode).toBe(200);
    const pdq = randomBytes(32).toString('hex');
    // B's entry claims an address on A's host: that address is B's claim, and routes nothing to A.
    await upsertContent(db.database, b.id, contentEntries([{ contentId: 'b-copy', url: 'https://alpha.example/p/claimed', pdq, pdqQuality: 90 }]), new Date());
    await app.services.platform.sync();
    const itemId = await confirmed([{ hashes: { pdq, pdqQuality: 90 } }]);
    const { case_id: caseId } = await db.database.db.selectFrom('items').select('case_id').where('id', '=', itemId).executeTakeFirstOrThrow();
    const copy = await db.database.db.selectFrom('items').select(['id', 'state', 'url']).where('case_id', '=', caseId).where('id', '!=', itemId).executeTakeFirstOrThrow();
    expect(copy).toMatchObject({ state: 'confirmed', url: 'https://alpha.example/p/claimed' });
    expect((await eventsFor(copy.id)).map((e) => [e.platform_id, e.type])).toEqual([[b.id, 'item.remove']]);
    expect((await acknowledge(a, copy.id)).statusCode).toBe(404);
    expect((await acknowledge(b, copy.id)).statusCode).toBe(200);
  });

  it('takes host declarations only as host names, each host for one platform, with a clear 4xx otherwise', async () => {
    const bad = await hosts(b, ['beta.example', 'https://beta.example/', '10.0.0.1', 'beta.example:8443', '*.example', 'localhost', 'a.*.beta.example']);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['hosts.1', 'hosts.2', 'hosts.3', 'hosts.4', 'hosts.5', 'hosts.6']);
    expect(bad.json().error.fields[1].message).toMatch(/not IP addresses/);

    const taken = await hosts(b, ['beta.example', 'ALPHA.example.']);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'host_taken', field: 'hosts.1' });
    expect(taken.json().error.message).toMatch(/another platform/);

    const idn = await hosts(b, ['Bücher.Beta.example', '*.beta.example']);
    expect(idn.json()).toEqual({ hosts: ['*.beta.example', 'xn--bcher-kva.beta.example'] });
    expect((await app.inject({ method: 'GET', url: '/v1/platform/hosts', headers: auth(b) })).json()).toEqual({ hosts: ['*.beta.example', 'xn--bcher-kva.beta.example'] });
    expect((await app.inject({ method: 'GET', url: '/v1/platform/hosts' })).statusCode).toBe(401);
    expect((await hosts(b, 'beta.example')).statusCode).toBe(400);
    // Nothing half-written: A's hosts are as they were.
    expect((await app.inject({ method: 'GET', url: '/v1/platform/hosts', headers: auth(a) })).json()).toEqual({ hosts: ['*.cdn.alpha.example', 'alpha.example'] });
  });
});
