import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/services/audit-verify.ts';
import { buildApp } from '../src/http/app.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { loadConfig } from '../src/config/config.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, requestBody, testKeys } from './helpers/fixtures.ts';

const PASSWORD = 'correct horse battery staple';

describe('HTTP API (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const keys = testKeys();

  beforeAll(async () => {
    db = await backends[0].create();
    const config = loadConfig({}, { dataDir: db.dataDir, logLevel: 'silent', intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    for (const [username, role] of [['riley', 'reviewer'], ['sam', 'senior'], ['ada', 'admin'], ['otto', 'auditor']] as const) {
      await createStaffUser(db.database, systemClock, { username, role, password: PASSWORD }, 'test');
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const submit = (body: unknown) => app.inject({ method: 'POST', url: '/v1/requests', payload: body as object });

  async function signIn(username: string): Promise<{ cookie: string; csrf: string; setCookie: string[] }> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: response.json().csrfToken, setCookie };
  }

  it('accepts a valid request: 201 with case number, PIN (once) and item deadlines', async () => {
    const response = await submit(requestBody());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.caseNumber).toMatch(/^TD-/);
    expect(body.pin).toMatch(/^\d{8}$/);
    expect(body.items).toHaveLength(1);
    expect(Date.parse(body.items[0].deadline) - Date.now()).toBeGreaterThan(47.9 * 3_600_000);

    const status = await app.inject({ method: 'GET', url: `/v1/cases/${body.caseNumber}`, headers: { 'takedown-case-pin': body.pin } });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ caseNumber: body.caseNumber, state: 'received', items: [{ id: body.items[0].id, state: 'pending' }] });
    expect(status.body).not.toContain(body.pin);
  });

  it('takes a request that is complete in law: a typed name only, a link listed twice, a phone written the local way', async () => {
    const url = 'https://platform.example.com/p/twice';
    const response = await submit(
      requestBody({ signature: { fullName: PII.name } as never, items: [{ url }, { url }], contact: { email: PII.email, phone: '(202) 555-0143' } }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.items).toHaveLength(1);
    // The 48 hours start now.
    expect(Date.parse(body.items[0].deadline) - Date.now()).toBeGreaterThan(47.9 * 3_600_000);
  });

  it('refuses a request signed by someone who is neither the person shown nor acting for them', async () => {
    const response = await submit(requestBody({ signature: { fullName: 'Pat Stranger', signedAt: new Date().toISOString(), statement: 'I sign.' } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([expect.objectContaining({ field: 'signature.fullName', code: 'signer_not_requester' })]);
  });

  it('answers 400 naming each field: unknown fields, wrong types, bad hashes, bad URLs, bad dates', async () => {
    const bad = requestBody() as unknown as Record<string, unknown>;
    bad.surprise = true;
    (bad.requester as Record<string, unknown>).fullName = 42;
    bad.items = [{ url: 'javascript:alert(1)', hashes: { md5: 'xyz' } }];
    (bad.signature as Record<string, unknown>).signedAt = 'yesterday';
    const response = await submit(bad);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('invalid_request');
    const fields = error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['surprise', 'requester.fullName', 'items.0.url', 'items.0.hashes.md5', 'signature.signedAt']));
    for (const f of error.fields) expect(f.message.length).toBeGreaterThan(5);

    const none = await submit({ ...requestBody(), items: [{}] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].field).toMatch(/^items\.0/);
  });

  it('answers 413 for an oversized body and 400 for broken JSON, and writes nothing', async () => {
    const before = await db.database.transaction((tx) => tx.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow());
    const huge = await submit({ ...requestBody(), goodFaith: { affirmed: true, statement: 'x'.repeat(5 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatchObject({ code: 'body_too_large', message: expect.stringContaining('make a new request for the others') });
    const broken = await app.inject({ method: 'POST', url: '/v1/requests', headers: { 'content-type': 'application/json' }, payload: '{"requester": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_json');
    const after = await db.database.transaction((tx) => tx.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow());
    expect(after.n).toBe(before.n);
  });

  it('shows the banks to staff who read reports and lets an admin change thresholds, audited, with clear errors', async () => {
    const otto = await signIn('otto');
    const ada = await signIn('ada');
    const listed = await app.inject({ method: 'GET', url: '/v1/banks', headers: { cookie: otto.cookie } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().banks).toEqual([expect.objectContaining({ name: 'confirmed', kind: 'confirmed', enabled: true, thresholds: expect.objectContaining({ pdq: { blockBits: 10, reviewBits: 31 }, vpdq: { queryPercent: 80, comparedPercent: 0 } }) })]);
    const patch = (who: { cookie: string; csrf: string }, name: string, payload: object) =>
      app.inject({ method: 'PATCH', url: `/v1/banks/${name}`, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, payload });
    expect((await patch(otto, 'confirmed', { thresholds: { pdq: { blockBits: 6 } } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url: '/v1/banks/confirmed', headers: { cookie: ada.cookie }, payload: { enabled: true } })).statusCode).toBe(403); // no CSRF token
    const changed = await patch(ada, 'confirmed', { thresholds: { pdq: { blockBits: 6 }, vpdq: { comparedPercent: 50 } } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().thresholds).toMatchObject({ pdq: { blockBits: 6, reviewBits: 31 }, vpdq: { queryPercent: 80, comparedPercent: 50 } });
    const loose = await patch(ada, 'confirmed', { thresholds: { pdq: { blockBits: 12 } } });
    expect(loose.statusCode).toBe(400);
    expect(loose.json().error).toMatchObject({ field: 'thresholds.pdq.blockBits', message: expect.stringContaining('0 to 10') });
    const unknown = await patch(ada, 'confirmed', { thresholds: { pdqBlockBits: 6 } });
    expect(unknown.statusCode).toBe(400);
    expect((await patch(ada, 'nowhere', { enabled: false })).statusCode).toBe(404);
    expect((await patch(ada, 'confirmed', { thresholds: { pdq: { blockBits: 10 }, vpdq: { comparedPercent: 0 } } })).statusCode).toBe(200);
    const audit = await app.inject({ method: 'GET', url: '/v1/audit?limit=1000', headers: { cookie: otto.cookie } });
    expect(audit.json().events.filter((e: { action: string; actor: string }) => e.action === 'bank.updated' && e.actor === 'staff:ada')).toHaveLength(2);
  });

  it('takes the vPDQ of a 4-hour video in a request (about 1.5 MB of frames)', async () => {
    const frames = Array.from({ length: 14_400 }, (_, i) => ({ index: i * 30, timestamp: i, hash: randomBytes(32).toString('hex'), quality: 90 }));
    const filed = await submit(requestBody({ contact: { email: 'long-video@example.org' }, items: [{ url: 'https://video.example/v/1', hashes: { md5: randomBytes(16).toString('hex'), vpdq: frames } }] }));
    expect(filed.statusCode).toBe(201);
  });

  it('gives the same 404 for a wrong PIN and an unknown case, warns, then makes that address wait; the PIN is never taken from the URL', async () => {
    const { caseNumber, pin } = (await submit(requestBody({ contact: { email: 'lock@example.org' } }))).json();
    const guess = (thePin: string, remoteAddress = '203.0.113.5', number = caseNumber) =>
      app.inject({ method: 'GET', url: `/v1/cases/${number}`, headers: { 'takedown-case-pin': thePin }, remoteAddress });
    const wrong = await guess('00000000');
    const unknown = await guess('00000000', '203.0.113.5', 'TD-0000-0001');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.body).toBe(unknown.body);
    const inQuery = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}?pin=${pin}` });
    expect(inQuery.statusCode).toBe(400);
    expect(inQuery.json().error.code).toBe('pin_in_url');
    const noPin = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}` });
    expect(noPin.json().error).toMatchObject({ code: 'pin_required', field: 'headers.takedown-case-pin' });
    const early = await guess('00000001');
    // 2 wrong for this case so far, 5 free: 4 more tries, the last of which brings a minute's wait.
    expect(early.json().error).toMatchObject({ triesBeforeWait: 4, waitAfterTriesSeconds: 60, nextWaitSeconds: 0 });
    for (const thePin of ['00000002', '00000003']) expect((await guess(thePin)).statusCode).toBe(404);
    const warned = await guess('00000004');
    expect(warned.json().error.message).toBe('No case matches this case number and PIN. Check both carefully: one more wrong PIN and you will have to wait 1 minute before you can try again.');
    // The same facts as data, for pages that say them in the reader's language and time zone.
    expect(warned.json().error).toMatchObject({ nextWaitSeconds: 60, triesBeforeWait: 1, waitAfterTriesSeconds: 60 });
    expect(warned.json().error.retryAt).toBeUndefined();
    const waiting = await guess('00000005');
    expect(waiting.statusCode).toBe(404);
    expect(waiting.json().error.message).toMatch(/the next try from this address must wait until \d{4}-/);
    expect(waiting.json().error.message).toContain(waiting.json().error.retryAt);
    const locked = await guess(pin);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect(Date.parse(locked.json().error.retryAt)).toBeGreaterThan(Date.now());
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    // The owner, from another address, gets in.
    expect((await guess(pin, '198.51.100.9')).statusCode).toBe(200);
  });

  it('adds items to a case and withdraws it', async () => {
    const { caseNumber, pin } = (await submit(requestBody({ contact: { email: 'add@example.org' } }))).json();
    const headers = { 'takedown-case-pin': pin };
    const added = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items`, headers, payload: { items: [{ url: 'https://platform.example.com/p/999' }] } });
    expect(added.statusCode).toBe(200);
    expect(added.json().items).toHaveLength(2);
    const badAdd = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items`, headers, payload: { items: [{ url: 'not a url' }] } });
    expect(badAdd.statusCode).toBe(400);
    expect(badAdd.json().error.fields[0].field).toBe('items.0.url');
    const withdrawn = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/withdraw`, headers });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', items: [{ state: 'withdrawn' }, { state: 'withdrawn' }] });
    const again = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/withdraw`, headers });
    expect(again.statusCode).toBe(409);
  });

  it('signs staff in with an HTTP-only secure cookie, requires CSRF for decisions, and enforces roles', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'riley', password: 'nope nope nope' } });
    expect(wrong.statusCode).toBe(401);
    const riley = await signIn('riley');
    const session = riley.setCookie.find((c) => c.startsWith('takedown_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/SameSite=Strict/i);
    const me = await app.inject({ method: 'GET', url: '/v1/staff/me', headers: { cookie: riley.cookie } });
    expect(me.json().user).toMatchObject({ username: 'riley', role: 'reviewer' });

    const { items } = (await submit(requestBody({ contact: { email: 'decide@example.org' } }))).json();
    const queue = await app.inject({ method: 'GET', url: '/v1/review/queue', headers: { cookie: riley.cookie } });
    expect(queue.statusCode).toBe(200);
    const entries = queue.json().items;
    expect(entries.some((e: { itemId: string }) => e.itemId === items[0].id)).toBe(true);
    const deadlines = entries.map((e: { deadline: string }) => Date.parse(e.deadline));
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));

    const url = `/v1/review/items/${items[0].id}/decision`;
    const noCsrf = await app.inject({ method: 'POST', url, headers: { cookie: riley.cookie }, payload: { decision: 'confirm' } });
    expect(noCsrf.statusCode).toBe(403);
    const badDecline = await app.inject({ method: 'POST', url, headers: { cookie: riley.cookie, 'x-csrf-token': riley.csrf }, payload: { decision: 'decline' } });
    expect(badDecline.statusCode).toBe(400);
    expect(badDecline.json().error.field).toBe('reason');
    const ok = await app.inject({ method: 'POST', url, headers: { cookie: riley.cookie, 'x-csrf-token': riley.csrf }, payload: { decision: 'confirm', note: 'matches the description' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ itemState: 'confirmed', caseState: 'in_review' });

    const detail = await app.inject({ method: 'GET', url: `/v1/review/items/${items[0].id}`, headers: { cookie: riley.cookie } });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().case.statements.contact.email).toBe('decide@example.org');
    expect(detail.json().history.map((h: { action: string }) => h.action)).toContain('item.confirmed');

    expect((await app.inject({ method: 'GET', url: '/v1/audit', headers: { cookie: riley.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/review/queue?queue=senior', headers: { cookie: riley.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/review/queue' })).statusCode).toBe(401);

    const otto = await signIn('otto');
    const audit = await app.inject({ method: 'GET', url: '/v1/audit?limit=1000', headers: { cookie: otto.cookie } });
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.received', 'staff.login', 'staff.login_failed', 'item.confirmed']));
    expect(audit.body).not.toContain(PII.email);
    expect(audit.body).not.toContain(PII.name);
    expect((await app.inject({ method: 'GET', url: '/v1/review/queue', headers: { cookie: otto.cookie } })).statusCode).toBe(403);

    const report = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2026-01-01&to=2030-01-01', headers: { cookie: otto.cookie } });
    expect(report.statusCode).toBe(200);
    expect(report.json().itemsReceived).toBeGreaterThan(0);
    // the report carries the audit head after its own record: the chain reaches it with that hash
    const { auditHead } = report.json() as { auditHead: { seq: number; hash: string } };
    expect(auditHead.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAuditChain(app.services.database, auditHead)).toMatchObject({ ok: true, head: auditHead });
    const badReport = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=soon&to=2030-01-01', headers: { cookie: otto.cookie } });
    expect(badReport.statusCode).toBe(400);
    expect(badReport.json().error.field).toBe('from');

    const logout = await app.inject({ method: 'POST', url: '/v1/staff/logout', headers: { cookie: riley.cookie, 'x-csrf-token': riley.csrf } });
    expect(logout.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/staff/me', headers: { cookie: riley.cookie } })).statusCode).toBe(401);
  });

  it('publishes the OpenAPI document and the docs page', async () => {
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/requests', '/v1/cases/{caseNumber}', '/v1/review/queue', '/v1/review/items/{id}/decision', '/v1/audit', '/v1/reports/compliance', '/v1/banks', '/v1/banks/{name}']));
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('rate limits public intake per IP', async () => {
    const config = loadConfig({}, { dataDir: db.dataDir, logLevel: 'silent', intakeRateLimit: { max: 2, windowMs: 60_000 } });
    const limited = await buildApp(config, { database: db.database, keys, clock: systemClock });
    try {
      const codes = [];
      // An address of its own: limits are counted in the database, so the other tests' requests would count too.
      for (let i = 0; i < 3; i += 1) codes.push((await limited.inject({ method: 'POST', url: '/v1/requests', remoteAddress: '192.0.2.77', payload: requestBody({ contact: { email: `rl${i}@example.org` } }) })).statusCode);
      expect(codes).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});
