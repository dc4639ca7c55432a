import { HOUR_MS, ManualClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { escalateOpenItems } from '../src/services/escalation.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody } from './helpers/fixtures.ts';
import { platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';

// Issue 16, item 3: the jurisdiction decided from the platform's setting and the requester's location, with
// the reason recorded; regulators' notices whose period sets the clock. Over HTTP, on both databases.
describe.each(backends)('jurisdiction profiles and regulator notices on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const clock = new ManualClock(new Date('2026-12-07T00:00:00Z'));
  let pics: { token: string; platformId: string };
  let plain: { token: string; platformId: string };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sessions = new Map<string, { cookie: string; 'x-csrf-token': string }>();

  beforeAll(async () => {
    db = await backend.create();
    // A deployment that names its own regime (NZ) and the legal ground of AU.
    const test = platformTestConfig(db.dataDir, {
      intakeRateLimit: { max: 1000, windowMs: 60_000 },
      jurisdictions: {
        rules: {
          NZ: { removalDeadlineHours: 36, escalationAfterHours: [18, 27], regulator: { name: 'Netsafe', url: 'https://netsafe.org.nz' } },
          AU: { removalDeadlineHours: 24, escalationAfterHours: [12, 18], notice: { legalGround: 'Online Safety Act 2021 (Cth), Part 6.' } },
        },
      },
    });
    app = await buildApp(test.config, { database: db.database, keys: test.keys, clock });
    pics = await addPlatformKey(db.database, clock, { name: 'pics' }, 'test');
    plain = await addPlatformKey(db.database, clock, { name: 'plain' }, 'test');
    await changePlatformHosts(db.database, clock, pics.platformId, { add: ['pics.example'] }, 'test');
    await changePlatformHosts(db.database, clock, plain.platformId, { add: ['plain.example'] }, 'test');
    for (const [username, role] of [['riley', 'reviewer'], ['sam', 'senior']] as const) {
      await createStaffUser(db.database, clock, { username, role, password: PASSWORD }, 'test');
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function signIn(username: string): Promise<{ cookie: string; 'x-csrf-token': string }> {
    const known = sessions.get(username);
    if (known) return known;
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const session = { cookie, 'x-csrf-token': response.json().csrfToken };
    sessions.set(username, session);
    return session;
  }

  async function file(url: string, jurisdiction?: string) {
    const response = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url }], ...(jurisdiction && { jurisdiction }) }, clock.now()) });
    expect(response.statusCode).toBe(201);
    return response.json() as { caseNumber: string; items: { id: string; deadline: string }[] };
  }

  async function reviewed(itemId: string) {
    const response = await app.inject({ method: 'GET', url: `/v1/review/items/${itemId}`, headers: await signIn('sam') });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('lets a platform set its jurisdiction over its API, refusing a code nobody configured', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/platform/jurisdiction', headers: auth(pics.token) })).json()).toEqual({ jurisdiction: null, profile: null });
    const set = await app.inject({ method: 'PUT', url: '/v1/platform/jurisdiction', headers: auth(pics.token), payload: { jurisdiction: 'au' } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ jurisdiction: 'AU', profile: { code: 'AU', removalDeadlineHours: 24, regulator: { name: 'eSafety Commissioner' }, legalGround: 'Online Safety Act 2021 (Cth), Part 6.' } });
    const bad = await app.inject({ method: 'PUT', url: '/v1/platform/jurisdiction', headers: auth(pics.token), payload: { jurisdiction: 'XX' } });
    expect([bad.statusCode, bad.json().error.code, bad.json().error.field]).toEqual([400, 'invalid_request', 'jurisdiction']);
    expect(bad.json().error.message).toMatch(/US, AU, EU, UK, NZ/);
    expect((await app.inject({ method: 'PUT', url: '/v1/platform/jurisdiction', payload: { jurisdiction: 'AU' } })).statusCode).toBe(401);
    const audit = await db.database.db.selectFrom('audit_events').select(['action', 'data']).where('action', '=', 'platform.jurisdiction_set').execute();
    expect(audit.map((a) => a.data)).toEqual([{ platformId: pics.platformId, from: null, to: 'AU' }]);
  });

  it("runs a request on the platform's 24-hour clock and records why, for reviewers and in the audit log", async () => {
    const filed = await file('https://pics.example/p/1');
    expect(new Date(filed.items[0].deadline).getTime() - clock.now().getTime()).toBe(24 * HOUR_MS);
    const item = await reviewed(filed.items[0].id);
    expect(item.item.jurisdiction).toBe('AU');
    expect(item.case.jurisdictionReason).toEqual({ source: 'platform', platform: 'pics', removalDeadlineHours: 24, shortest: false, reason: 'The platform "pics" answers to AU (24 hours).' });
    const received = item.history.find((e: { action: string }) => e.action === 'case.received');
    expect(received.data).toMatchObject({ jurisdiction: 'AU', jurisdictionSource: 'platform', jurisdictionReason: 'The platform "pics" answers to AU (24 hours).' });
  });

  it("takes the requester's location when its clock is shorter, the deployment default when nothing applies", async () => {
    const nz = await file('https://plain.example/p/1', 'NZ');
    expect(new Date(nz.items[0].deadline).getTime() - clock.now().getTime()).toBe(36 * HOUR_MS);
    expect((await reviewed(nz.items[0].id)).case.jurisdictionReason.source).toBe('requester_location');
    // The platform's 24 hours beat the requester's 48.
    const us = await file('https://pics.example/p/2', 'US');
    expect((await reviewed(us.items[0].id)).case.jurisdictionReason).toMatchObject({ source: 'platform', reason: expect.stringMatching(/shorter than US where the requester is/) });
    const none = await file('https://nowhere.example/p/1');
    expect((await reviewed(none.items[0].id)).case.jurisdictionReason).toMatchObject({ source: 'deployment_default' });
    const unknown = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ jurisdiction: 'ZZ' }, clock.now()) });
    expect([unknown.statusCode, unknown.json().error.field]).toEqual([400, 'jurisdiction']);
  });

  it("opens a case for a regulator's notice whose items run on the regulator's period, marked in the queue and audited", async () => {
    const payload = { regulator: 'eSafety Commissioner', reference: `RN-${backend.name}-1`, jurisdiction: 'AU', periodHours: 6, items: [{ url: 'https://pics.example/p/notice' }, { url: 'https://elsewhere.example/x' }] };
    const refused = await app.inject({ method: 'POST', url: '/v1/regulator-notices', headers: await signIn('riley'), payload });
    expect(refused.statusCode).toBe(403);
    const entered = await app.inject({ method: 'POST', url: '/v1/regulator-notices', headers: await signIn('sam'), payload });
    expect(entered.statusCode).toBe(201);
    const notice = entered.json();
    expect(notice).toMatchObject({ regulator: 'eSafety Commissioner', reference: payload.reference, jurisdiction: 'AU', periodHours: 6, items: 2, enteredBy: 'staff:sam' });
    expect(new Date(notice.dueAt).getTime() - clock.now().getTime()).toBe(6 * HOUR_MS);

    const queue = (await app.inject({ method: 'GET', url: '/v1/review/queue', headers: await signIn('sam') })).json().items as { caseNumber: string; itemId: string; deadline: string; regulatorNotice?: unknown }[];
    const ofNotice = queue.filter((entry) => entry.caseNumber === notice.caseNumber);
    expect(ofNotice).toHaveLength(2);
    expect(ofNotice[0].regulatorNotice).toEqual({ regulator: 'eSafety Commissioner', reference: payload.reference });
    expect(ofNotice[0].deadline).toBe(notice.dueAt);
    // Soonest deadline first: the notice's 6 hours come before the 24-hour requests.
    expect(queue[0].caseNumber).toBe(notice.caseNumber);
    const item = await reviewed(ofNotice[0].itemId);
    expect(item.case).toMatchObject({ requesterRole: 'regulator', statements: null, jurisdictionReason: { source: 'regulator_notice' }, regulatorNotice: { periodHours: 6, enteredBy: 'staff:sam' } });
    expect(item.history.map((e: { action: string }) => e.action)).toContain('regulator_notice.entered');

    const again = await app.inject({ method: 'POST', url: '/v1/regulator-notices', headers: await signIn('sam'), payload });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'notice_exists']);
    expect(again.json().error.message).toContain(notice.caseNumber);
    const listed = (await app.inject({ method: 'GET', url: '/v1/regulator-notices', headers: await signIn('sam') })).json().notices;
    expect(listed.map((n: { caseNumber: string }) => n.caseNumber)).toContain(notice.caseNumber);
    // No message goes anywhere for the regulator's case but the staff alert.
    const messages = await db.database.db.selectFrom('notifications').innerJoin('cases', 'cases.id', 'notifications.case_id').select('notifications.audience').where('cases.case_number', '=', notice.caseNumber).execute();
    expect(messages.map((m) => m.audience)).toEqual(['staff']);
  });

  it('escalates a notice item at half and three quarters of its own period, and records its breach', async () => {
    const payload = { regulator: 'eSafety Commissioner', reference: `RN-${backend.name}-2`, jurisdiction: 'AU', periodHours: 4, items: [{ url: 'https://pics.example/p/escalate' }] };
    const notice = (await app.inject({ method: 'POST', url: '/v1/regulator-notices', headers: await signIn('sam'), payload })).json();
    const level = async () =>
      (await db.database.db.selectFrom('items').innerJoin('cases', 'cases.id', 'items.case_id').select(['items.escalation_level', 'items.breached_at']).where('cases.case_number', '=', notice.caseNumber).executeTakeFirstOrThrow());
    const escalate = () => db.database.transaction((tx) => escalateOpenItems(tx, clock.now(), app.services.config.jurisdictions));
    clock.advance(2 * HOUR_MS);
    await escalate();
    expect((await level()).escalation_level).toBe(1);
    clock.advance(1 * HOUR_MS);
    await escalate();
    expect((await level()).escalation_level).toBe(2);
    clock.advance(1 * HOUR_MS + 1);
    await escalate();
    expect((await level()).breached_at).not.toBeNull();
  });

  it('names every problem of a bad notice, by field', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/regulator-notices', headers: await signIn('sam'), payload: { regulator: '', periodHours: 'soon', dueAt: '2026-12-08', items: [] } });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().error.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['dueAt', 'dueAt', 'items', 'periodHours', 'reference', 'regulator'].sort());
    expect((await app.inject({ method: 'GET', url: '/v1/regulator-notices' })).statusCode).toBe(401);
  });
});
