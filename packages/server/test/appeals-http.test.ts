import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { decideItem } from '../src/services/review.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody } from './helpers/fixtures.ts';
import { fileRequest, platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';

// The routes of the uploader's side (platform key) and of the appeal queue and notifier safeguards (staff).
describe('appeals and notifier safeguards over HTTP (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let keys: ReturnType<typeof platformTestConfig>['keys'];
  let pics: { token: string; platformId: string; keyId: string };
  let other: { token: string };
  let samId: string;
  /** A case of the notifier the notifier test suspends: the contest test asks from it. */
  let refusedCase: { caseNumber: string; pin: string } | undefined;
  const host = 'pics.example';
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    db = await backends[0].create();
    const test = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    keys = test.keys;
    app = await buildApp(test.config, { database: db.database, keys, clock: systemClock });
    pics = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    other = await addPlatformKey(db.database, systemClock, { name: 'other' }, 'test');
    await changePlatformHosts(db.database, systemClock, pics.platformId, { add: [host] }, 'test');
    for (const [username, role] of [['riley', 'reviewer'], ['sam', 'senior'], ['ada', 'admin']] as const) {
      const user = await createStaffUser(db.database, systemClock, { username, role, password: PASSWORD }, 'test');
      if (username === 'sam') samId = user.id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function signIn(username: string): Promise<{ cookie: string; 'x-csrf-token': string }> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': response.json().csrfToken };
  }

  /** An item sam confirmed and pics removed. */
  async function removedItem(): Promise<string> {
    const submitted = await fileRequest(db.database, keys, [{ url: `https://${host}/p/${randomBytes(4).toString('hex')}` }]);
    const itemId = submitted.items[0].id;
    expect((await decideItem(db.database, systemClock, { userId: samId, actor: 'staff:sam', seesSenior: true }, itemId, { decision: 'confirm' })).kind).toBe('ok');
    expect((await acknowledgeRemoval(db.database, systemClock, pics, itemId, new Date())).kind).toBe('ok');
    return itemId;
  }

  it('serves the statement of reasons to the hosting platform only', async () => {
    const itemId = await removedItem();
    const ok = await app.inject({ method: 'GET', url: `/v1/items/${itemId}/statement`, headers: auth(pics.token) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ itemId, decision: { kind: 'removal' }, facts: { source: 'notice' }, automatedMeans: { usedInDecision: false }, redress: { internalComplaint: { decidedWithinHours: 168 } }, appeals: [] });
    expect((await app.inject({ method: 'GET', url: `/v1/items/${itemId}/statement`, headers: auth(other.token) })).json().error.code).toBe('item_not_found');
    expect((await app.inject({ method: 'GET', url: `/v1/items/${itemId}/statement` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/items/not-an-id/statement', headers: auth(pics.token) })).statusCode).toBe(400);
    const pending = await fileRequest(db.database, keys, [{ url: `https://${host}/p/waiting` }]);
    const notYet = await app.inject({ method: 'GET', url: `/v1/items/${pending.items[0].id}/statement`, headers: auth(pics.token) });
    expect([notYet.statusCode, notYet.json().error.code]).toEqual([409, 'not_removed']);
  });

  it('takes an appeal from the hosting platform; every bad input is a 4xx naming what to fix', async () => {
    const itemId = await removedItem();
    const url = `/v1/items/${itemId}/appeals`;
    // No key: refused before the body is looked at.
    expect((await app.inject({ method: 'POST', url, payload: { surprise: 1 } })).statusCode).toBe(401);
    for (const [payload, field] of [
      [{}, 'statement'],
      [{ statement: '' }, 'statement'],
      [{ statement: '   ' }, 'statement'],
      [{ statement: 42 }, 'statement'],
      [{ statement: 'x'.repeat(5001) }, 'statement'],
      [{ statement: 'fine', who: 'me' }, 'who'],
    ] as const) {
      const answer = await app.inject({ method: 'POST', url, headers: auth(pics.token), payload });
      expect([answer.statusCode, answer.json().error.field]).toEqual([400, field]);
    }
    const notJson = await app.inject({ method: 'POST', url, headers: { ...auth(pics.token), 'content-type': 'text/plain' }, payload: 'my statement' });
    expect([notJson.statusCode, notJson.json().error.message]).toEqual([expect.toSatisfy((status: number) => status === 400 || status === 415), expect.any(String)]);
    expect((await app.inject({ method: 'POST', url, headers: auth(other.token), payload: { statement: 'mine' } })).json().error.code).toBe('item_not_found');
    const opened = await app.inject({ method: 'POST', url, headers: auth(pics.token), payload: { statement: 'It is my own photo.' } });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ itemId, state: 'open', appealId: expect.any(String), dueAt: expect.any(String) });
    const again = await app.inject({ method: 'POST', url, headers: auth(pics.token), payload: { statement: 'Again.' } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'appeal_open']);
  });

  it('lists appeals for senior staff, who decide them with reasons; never the reviewer who decided the item', async () => {
    const itemId = await removedItem();
    const appealId = (await app.inject({ method: 'POST', url: `/v1/items/${itemId}/appeals`, headers: auth(pics.token), payload: { statement: 'Consent was given.' } })).json().appealId;
    const riley = await signIn('riley');
    expect((await app.inject({ method: 'GET', url: '/v1/review/appeals', headers: riley })).statusCode).toBe(403);
    const sam = await signIn('sam');
    const queue = await app.inject({ method: 'GET', url: '/v1/review/appeals', headers: sam });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().appeals.find((a: { appealId: string }) => a.appealId === appealId)).toMatchObject({ itemId, state: 'open', itemDecidedBy: 'staff:sam', overdue: false });
    expect((await app.inject({ method: 'GET', url: `/v1/review/appeals/${appealId}`, headers: sam })).json()).toMatchObject({ statement: 'Consent was given.' });
    // The item carries the appeal marker while the appeal is open (issue 17, item 4).
    expect((await app.inject({ method: 'GET', url: `/v1/review/items/${itemId}`, headers: sam })).json().item.markers).toContain('appeal');
    const decision = `/v1/review/appeals/${appealId}/decision`;
    const ownItem = await app.inject({ method: 'POST', url: decision, headers: sam, payload: { decision: 'uphold', reason: 'ok' } });
    expect([ownItem.statusCode, ownItem.json().error.message]).toEqual([403, expect.stringMatching(/another senior reviewer/)]);
    const ada = await signIn('ada');
    expect((await app.inject({ method: 'POST', url: decision, headers: { cookie: ada.cookie }, payload: { decision: 'reject', reason: 'x' } })).statusCode).toBe(403);
    for (const payload of [{ decision: 'reject' }, { decision: 'reject', reason: ' ' }, { decision: 'maybe', reason: 'x' }]) {
      expect((await app.inject({ method: 'POST', url: decision, headers: ada, payload })).statusCode).toBe(400);
    }
    expect((await app.inject({ method: 'POST', url: '/v1/review/appeals/00000000-0000-4000-8000-000000000000/decision', headers: ada, payload: { decision: 'reject', reason: 'x' } })).json().error).toMatchObject({ code: 'not_found', message: 'There is no appeal with this id.' });
    const decided = await app.inject({ method: 'POST', url: decision, headers: ada, payload: { decision: 'reject', reason: 'The person shown did not consent.' } });
    expect([decided.statusCode, decided.json()]).toEqual([200, { appealId, state: 'rejected', itemState: 'removed' }]);
    expect((await app.inject({ method: 'GET', url: `/v1/review/items/${itemId}`, headers: sam })).json().item.markers).not.toContain('appeal');
    expect((await app.inject({ method: 'POST', url: decision, headers: ada, payload: { decision: 'uphold', reason: 'x' } })).statusCode).toBe(409);
    const statement = await app.inject({ method: 'GET', url: `/v1/items/${itemId}/statement`, headers: auth(pics.token) });
    expect(statement.json().appeals).toEqual([expect.objectContaining({ appealId, state: 'rejected', reason: 'The person shown did not consent.' })]);
  });

  it('warns, then suspends a notifier of unfounded notices; a suspended notifier gets a calm 403 with when and how', async () => {
    const email = `n${randomBytes(4).toString('hex')}@example.org`;
    const sam = await signIn('sam');
    const riley = await signIn('riley');
    for (let i = 0; i < 3; i++) {
      const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ contact: { email } }) });
      expect(filed.statusCode).toBe(201);
      const { caseNumber, pin, items } = filed.json();
      refusedCase = { caseNumber, pin };
      expect((await app.inject({ method: 'POST', url: `/v1/review/items/${items[0].id}/decision`, headers: sam, payload: { decision: 'decline', reason: 'not_intimate' } })).statusCode).toBe(200);
      const url = `/v1/review/cases/${caseNumber}/unfounded`;
      expect((await app.inject({ method: 'POST', url, headers: riley, payload: { reason: 'unrelated' } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url, headers: sam, payload: {} })).statusCode).toBe(400);
      const marked = await app.inject({ method: 'POST', url, headers: sam, payload: { reason: 'An unrelated picture, again.' } });
      expect([marked.statusCode, marked.json().step]).toEqual([200, ['recorded', 'warning', 'suspension'][i]]);
    }
    const refused = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ contact: { email } }) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('notifier_suspended');
    expect(refused.json().error.message).toMatch(/until \d{4}-\d\d-\d\d.*ask again.*senior reviewer/s);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(28 * 86_400);
    // A saved request finished later is refused the same way (not a 500), and kept.
    const saved = await app.inject({ method: 'POST', url: '/v1/request-drafts', payload: requestBody({ contact: { email } }) });
    expect(saved.statusCode, saved.body).toBe(201);
    const draftSubmit = await app.inject({ method: 'POST', url: '/v1/request-drafts/current/submit', headers: { 'takedown-draft-token': saved.json().draftToken }, payload: {} });
    expect([draftSubmit.statusCode, draftSubmit.json().error.code]).toEqual([403, 'notifier_suspended']);
    expect((await app.inject({ method: 'GET', url: '/v1/request-drafts/current', headers: { 'takedown-draft-token': saved.json().draftToken } })).statusCode).toBe(200);
    // The person says the one shown was under 18 when the images were made: the request is always taken.
    const aboutMinor = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ contact: { email }, under18WhenMade: true }) });
    expect(aboutMinor.statusCode, aboutMinor.body).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/review/cases/td%20nope/unfounded', headers: sam, payload: { reason: 'x' } })).statusCode).toBe(404);
    expect(refusedCase).toBeDefined();
  });

  it('lets a suspended notifier ask for another look from an earlier case, which a senior reviewer reads and lifts', async () => {
    const { caseNumber, pin } = refusedCase!;
    const pinHeader = { 'takedown-case-pin': pin };
    const status = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: pinHeader });
    expect(status.json().notifier).toMatchObject({ suspendedUntil: expect.any(String), contested: false });
    const url = `/v1/cases/${caseNumber}/contest`;
    expect((await app.inject({ method: 'POST', url, payload: { statement: 'x' } })).json().error.code).toBe('pin_required');
    expect((await app.inject({ method: 'POST', url, headers: { 'takedown-case-pin': '99999999' }, payload: { statement: 'x' } })).statusCode).toBe(404);
    for (const payload of [{}, { statement: ' ' }, { statement: 'x', extra: 1 }]) expect((await app.inject({ method: 'POST', url, headers: pinHeader, payload })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url, headers: pinHeader, payload: { statement: 'These are pictures of me.' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url, headers: pinHeader, payload: { statement: 'Again.' } })).json().error.code).toBe('already_contested');
    const sam = await signIn('sam');
    expect((await app.inject({ method: 'GET', url: `/v1/review/cases/${caseNumber}/notifier`, headers: sam })).json().contest).toMatchObject({ statement: 'These are pictures of me.' });
    expect((await app.inject({ method: 'POST', url: `/v1/review/cases/${caseNumber}/notifier/lift`, headers: sam, payload: { reason: 'They showed the pictures are of them.' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: pinHeader })).json().notifier).toBeUndefined();
    expect((await app.inject({ method: 'POST', url, headers: pinHeader, payload: { statement: 'x' } })).json().error.code).toBe('nothing_to_contest');
  });
});
