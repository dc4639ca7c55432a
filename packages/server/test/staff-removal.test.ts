/**
 * Staff record the removal of a confirmed item that no connected platform hosts (they took it to the site
 * themselves): the clock stops at the time they give, with their note in the audit chain. An item a platform
 * hosts stays that platform's to acknowledge. On both databases.
 */
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { verifyAuditChain } from '../src/services/audit-verify.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody, testKeys } from './helpers/fixtures.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(backends)('staff record a removal ($name)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await backend.create();
    const config = loadConfig({}, { dataDir: db.dataDir, logLevel: 'silent', intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys: testKeys(), clock: systemClock });
    await createStaffUser(db.database, systemClock, { username: 'riley', role: 'reviewer', password: PASSWORD }, 'test');
    await createStaffUser(db.database, systemClock, { username: 'otto', role: 'auditor', password: PASSWORD }, 'test');
    const pics = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    await changePlatformHosts(db.database, systemClock, pics.platformId, { add: ['pics.example'] }, 'test');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function signIn(username: string) {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': response.json().csrfToken as string };
  }

  it('stops the clock of an item no platform hosts, with the note audited; refuses what it cannot honour', async () => {
    const riley = await signIn('riley');
    const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url: 'https://forum.example/t/1' }, { url: 'https://pics.example/p/2' }] }) as object });
    expect(filed.statusCode, filed.body).toBe(201);
    const [own, hosted] = filed.json().items.map((item: { id: string }) => item.id) as string[];
    const removed = (id: string, payload: object, headers: Record<string, string> = riley) => app.inject({ method: 'POST', url: `/v1/review/items/${id}/removed`, headers, payload });

    // Not yet confirmed: nothing to record.
    expect((await removed(own, { note: 'the page is gone' })).statusCode).toBe(409);
    for (const id of [own, hosted]) {
      const decided = await app.inject({ method: 'POST', url: `/v1/review/items/${id}/decision`, headers: riley, payload: { decision: 'confirm' } });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    const detail = (await app.inject({ method: 'GET', url: `/v1/review/items/${own}`, headers: { cookie: riley.cookie } })).json();
    expect(detail.item.hostedBy).toEqual([]);

    // What to fix, each time, and nothing changes.
    const noNote = await removed(own, {});
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.field).toBe('note');
    const blank = await removed(own, { note: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.field).toBe('note');
    const future = await removed(own, { note: 'gone', removedAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('removedAt');
    const beforeReceipt = await removed(own, { note: 'gone', removedAt: '2020-01-01T00:00:00Z' });
    expect(beforeReceipt.statusCode).toBe(400);
    expect(beforeReceipt.json().error.field).toBe('removedAt');
    expect((await removed(own, { note: 'gone' }, { cookie: riley.cookie })).statusCode).toBe(403); // no CSRF token
    expect((await removed(own, { note: 'gone' }, await signIn('otto'))).statusCode).toBe(403); // an auditor decides nothing

    // The platform that hosts the other item acknowledges it; staff cannot in its place.
    const notStaffs = await removed(hosted, { note: 'I think it is gone' });
    expect(notStaffs.statusCode).toBe(409);
    expect(notStaffs.json().error.code).toBe('hosted_by_platform');

    const at = new Date(Date.parse(detail.item.receivedAt) + 1); // the site removed it just after the request
    const ok = await removed(own, { note: 'The forum shows "thread deleted".', removedAt: at.toISOString() });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ itemState: 'removed', caseState: 'in_review' });
    const after = (await app.inject({ method: 'GET', url: `/v1/review/items/${own}`, headers: { cookie: riley.cookie } })).json();
    expect(Date.parse(after.item.removedAt)).toBe(at.getTime());
    const event = after.history.find((h: { action: string }) => h.action === 'item.removed');
    expect(event).toMatchObject({ actor: expect.stringMatching(/^staff:/), reason: 'The forum shows "thread deleted".' });
    expect((await removed(own, { note: 'again' })).statusCode).toBe(409);
    expect((await verifyAuditChain(db.database)).ok).toBe(true);
  });
});
