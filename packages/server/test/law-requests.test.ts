/**
 * TAKE IT DOWN Act §3(a)(1)(B), minors and the requester's own data, through the HTTP API on both databases:
 * requests complete in law are taken and their clock starts; an incomplete one names every missing element and
 * can be finished from an encrypted draft that starts no clock and expires; a minor's case is never copied, goes
 * to senior review and tells the platform of its reporting duty; the person can download and delete their data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HOUR_MS, ManualClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { logOptions } from '../src/http/logging.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { deleteExpiredPii } from '../src/services/retention.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, requestBody } from './helpers/fixtures.ts';
import { confirmItem, contentEntries, platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';
const DRAFT_HOURS = 72;

describe.each(backends)('removal requests, drafts, minors and personal data on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  let platformId: string;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    db = await backend.create();
    const { config, keys } = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 }, draftTtlMs: DRAFT_HOURS * HOUR_MS });
    app = await buildApp(config, { database: db.database, keys, clock });
    worker = createWorker({ config, database: db.database, clock, keys, platform: app.services.platform });
    await createStaffUser(db.database, clock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    platformId = (await addPlatformKey(db.database, clock, { name: `minors-${backend.name}` }, 'test')).platformId;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** A valid request body signed at the test clock's time. */
  const body = (overrides: Parameters<typeof requestBody>[0] = {}) => requestBody(overrides, clock.now());
  const submit = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/requests', payload: payload as object });
  const draftCall = (method: 'GET' | 'PUT' | 'POST', path: string, token: string, payload?: unknown) =>
    app.inject({ method, url: `/v1/request-drafts/${path}`, headers: { 'takedown-draft-token': token }, ...(payload !== undefined && { payload: payload as object }) });
  const count = async (table: 'cases' | 'request_drafts' | 'audit_events') =>
    Number((await db.database.transaction((tx) => tx.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())).n);

  async function staffCookie(): Promise<string> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: PASSWORD } });
    return ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  }

  describe('§3(a)(1)(B): what the law asks, nothing more', () => {
    it('takes a typed name with no signing time or signed text: the server records when it arrived, and the 48 hours start', async () => {
      const response = await submit(body({ signature: { fullName: PII.name } as never }));
      expect(response.statusCode, response.body).toBe(201);
      expect(Date.parse(response.json().items[0].deadline)).toBe(clock.now().getTime() + 48 * HOUR_MS);
      const row = await db.database.transaction((tx) => tx.selectFrom('cases').select('signed_at').where('case_number', '=', response.json().caseNumber).executeTakeFirstOrThrow());
      expect(row.signed_at.getTime()).toBe(clock.now().getTime());
    });

    it('merges a link listed twice into one item', async () => {
      const url = `https://platform.example.com/p/twice-${randomBytes(4).toString('hex')}`;
      const response = await submit(body({ items: [{ url }, { url }] }));
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().items).toHaveLength(1);
    });

    it('takes a valid email with a US phone written (202) 555-0143, kept as given', async () => {
      const response = await submit(body({ contact: { email: PII.email, phone: '(202) 555-0143' } }));
      expect(response.statusCode, response.body).toBe(201);
      const { caseNumber, pin } = response.json();
      const data = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}/personal-data`, headers: { 'takedown-case-pin': pin } });
      expect(data.json().statements.contact).toEqual({ email: PII.email, phone: '(202) 555-0143' });
    });

    it('refuses a signature in the name of someone who is neither the person shown nor acting for them', async () => {
      const response = await submit(body({ signature: { fullName: 'Pat Stranger' } as never }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields).toEqual([expect.objectContaining({ field: 'signature.fullName', code: 'signer_not_requester' })]);
      expect(response.json().error.missing.map((m: { element: string }) => m.element)).toEqual(['signature']);
    });

    it('takes a representative signing in the name of the person they act for', async () => {
      const response = await submit(
        body({ requester: { role: 'representative', fullName: PII.representativeName, relationship: 'lawyer', depictedPersonName: PII.name }, signature: { fullName: PII.name } as never }),
      );
      expect(response.statusCode, response.body).toBe(201);
    });

    it('names every missing element, with its clause, and keeps nothing', async () => {
      const cases = await count('cases');
      const events = await count('audit_events');
      const empty = await submit({});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.missing).toEqual([
        expect.objectContaining({ element: 'signature', clause: '§3(a)(1)(B)(i)' }),
        expect.objectContaining({ element: 'depiction', clause: '§3(a)(1)(B)(ii)' }),
        expect.objectContaining({ element: 'good_faith', clause: '§3(a)(1)(B)(iii)' }),
        expect.objectContaining({ element: 'contact', clause: '§3(a)(1)(B)(iv)' }),
      ]);
      const noContact = await submit(body({ contact: {} }));
      expect(noContact.statusCode).toBe(400);
      expect(noContact.json().error.missing.map((m: { element: string }) => m.element)).toEqual(['contact']);
      expect(await count('cases')).toBe(cases);
      expect(await count('audit_events')).toBe(events);
    });
  });

  describe('drafts of incomplete requests', () => {
    it('keeps an incomplete request encrypted under its own token, starts no clock, and makes it a case when complete', async () => {
      const cases = await count('cases');
      const events = await count('audit_events');
      const partial = { requester: { role: 'self', fullName: PII.name }, goodFaith: { affirmed: true, statement: PII.statement } };
      const saved = await app.inject({ method: 'POST', url: '/v1/request-drafts', payload: partial });
      expect(saved.statusCode, saved.body).toBe(201);
      const { draftToken, missing, complete, expiresAt } = saved.json();
      expect(draftToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(complete).toBe(false);
      expect(missing.map((m: { element: string }) => m.element)).toEqual(['signature', 'depiction', 'contact']);
      expect(Date.parse(expiresAt)).toBe(clock.now().getTime() + DRAFT_HOURS * HOUR_MS);
      // No case, no clock, not even an audit event; the token and the text are not stored in clear.
      expect(await count('cases')).toBe(cases);
      expect(await count('audit_events')).toBe(events);
      const rows = await db.database.transaction((tx) => tx.selectFrom('request_drafts').selectAll().execute());
      const stored = rows.map((r) => `${r.token_hash}${Buffer.from(r.content).toString('latin1')}`).join('');
      for (const needle of [draftToken, PII.name, PII.statement]) expect(stored).not.toContain(needle);

      // Later, the form resumes it.
      clock.advance(5 * HOUR_MS);
      const resumed = await draftCall('GET', 'current', draftToken);
      expect(resumed.statusCode).toBe(200);
      expect(resumed.json().content).toEqual(partial);

      const more = { ...partial, contact: { email: PII.email } };
      const updated = await draftCall('PUT', 'current', draftToken, more);
      expect(updated.json().missing.map((m: { element: string }) => m.element)).toEqual(['signature', 'depiction']);
      const stillIncomplete = await draftCall('POST', 'current/submit', draftToken, {});
      expect(stillIncomplete.statusCode).toBe(400);
      expect(stillIncomplete.json().error.missing.map((m: { element: string }) => m.element)).toEqual(['signature', 'depiction']);
      expect(await count('cases')).toBe(cases);

      // Complete: the clock starts at submission, not when the draft was first saved.
      clock.advance(HOUR_MS);
      const full = { ...more, signature: { fullName: PII.name }, items: [{ url: 'https://platform.example.com/p/draft' }] };
      const submitted = await draftCall('POST', 'current/submit', draftToken, full);
      expect(submitted.statusCode, submitted.body).toBe(201);
      expect(Date.parse(submitted.json().items[0].deadline)).toBe(clock.now().getTime() + 48 * HOUR_MS);
      expect(await count('cases')).toBe(cases + 1);
      // The draft is gone with the submission: it cannot make a second case.
      expect((await draftCall('POST', 'current/submit', draftToken, {})).statusCode).toBe(404);
      expect((await draftCall('GET', 'current', draftToken)).json().error.code).toBe('draft_not_found');
    });

    it('keeps the language, time zone and email opt-in of a saved request, and the case made from it has them', async () => {
      const preferences = { language: 'it', timeZone: 'Europe/Rome', notify: { email: true } };
      const saved = await app.inject({ method: 'POST', url: '/v1/request-drafts', payload: { contact: { email: PII.email }, ...preferences } });
      expect(saved.statusCode, saved.body).toBe(201);
      const token = saved.json().draftToken as string;
      expect((await draftCall('GET', 'current', token)).json().content).toMatchObject(preferences);
      const submitted = await draftCall('POST', 'current/submit', token, body({ ...preferences, items: [{ url: 'https://platform.example.com/p/draft-it' }] }));
      expect(submitted.statusCode, submitted.body).toBe(201);
      const row = await db.database.transaction((tx) =>
        tx.selectFrom('cases').select(['language', 'time_zone', 'notify_channels']).where('case_number', '=', submitted.json().caseNumber).executeTakeFirstOrThrow(),
      );
      expect(row).toEqual({ language: 'it', time_zone: 'Europe/Rome', notify_channels: ['email'] });
    });

    it('expires: unreadable after its time, deleted by the retention job', async () => {
      const saved = await app.inject({ method: 'POST', url: '/v1/request-drafts', payload: { contact: { email: PII.email } } });
      const token = saved.json().draftToken as string;
      clock.advance(DRAFT_HOURS * HOUR_MS + 1);
      expect((await draftCall('GET', 'current', token)).statusCode).toBe(404);
      await db.database.transaction((tx) => deleteExpiredPii(tx, clock.now(), 365 * 24 * HOUR_MS, app.services.sharedCopies));
      const left = await db.database.transaction((tx) => tx.selectFrom('request_drafts').select('id').where('expires_at', '<=', clock.now()).execute());
      expect(left).toEqual([]);
    });

    it('answers a missing, malformed or unknown token with a clear 4xx, and refuses fields a request does not have', async () => {
      const none = await app.inject({ method: 'GET', url: '/v1/request-drafts/current' });
      expect(none.statusCode).toBe(400);
      expect(none.json().error.code).toBe('draft_token_required');
      expect((await draftCall('GET', 'current', 'not-a-token')).statusCode).toBe(404);
      expect((await draftCall('GET', 'current', randomBytes(32).toString('base64url'))).statusCode).toBe(404);
      const odd = await app.inject({ method: 'POST', url: '/v1/request-drafts', payload: { surprise: 1 } });
      expect(odd.statusCode).toBe(400);
      expect(odd.json().error.field).toBe('surprise');
    });

    it('keeps the token out of the logs', () => {
      const options = logOptions('info') as { redact: { paths: string[] } };
      expect(options.redact.paths).toContain('req.headers["takedown-draft-token"]');
    });
  });

  describe('a person under 18 when it was made', () => {
    it('is never copied, goes to senior review, and tells the platform of its reporting duty', async () => {
      const tag = randomBytes(6).toString('hex');
      const md5 = createHash('md5').update(tag).digest('hex');
      await upsertContent(db.database, platformId, contentEntries([{ contentId: `post-${tag}`, url: `https://host.example.net/p/${tag}`, md5 }]), clock.now());
      const response = await submit(body({ items: [{ hashes: { md5 } }], shareMedia: true, under18WhenMade: true }));
      expect(response.statusCode, response.body).toBe(201);
      const { caseNumber, pin, items } = response.json();
      const itemId = items[0].id as string;
      const row = await db.database.transaction((tx) => tx.selectFrom('cases').select(['queue', 'route_reasons', 'share_media', 'under_18_when_made']).where('case_number', '=', caseNumber).executeTakeFirstOrThrow());
      expect(row).toMatchObject({ queue: 'senior', share_media: false, under_18_when_made: true });
      expect(row.route_reasons).toContain('minor');

      const shared = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/items/${itemId}/media`, headers: { 'content-type': 'image/png', 'takedown-case-pin': pin }, payload: Buffer.from('png') });
      expect(shared.statusCode).toBe(409);

      const review = await app.inject({ method: 'GET', url: `/v1/review/items/${itemId}`, headers: { cookie: await staffCookie() } });
      expect(review.statusCode).toBe(200);
      expect(review.json().case.minor).toMatchObject({ under18WhenMade: true, reportingDuty: { law: '18 U.S.C. § 2258A', reportTo: 'https://report.cybertip.org/' } });

      await confirmItem(db.database, itemId, clock);
      await worker.drain();
      const events = await db.database.transaction((tx) => tx.selectFrom('platform_events').select('payload').where('item_id', '=', itemId).where('type', '=', 'item.remove').execute());
      expect(events).toHaveLength(1);
      expect(events[0].payload.data).toMatchObject({ minor: { under18WhenMade: true, reportingDuty: { law: '18 U.S.C. § 2258A' } } });
    });

    it('an upload near one of its confirmed pictures goes to the platform for review with the reporting duty', async () => {
      const pdq = randomBytes(32).toString('hex');
      const response = await submit(body({ items: [{ hashes: { pdq, pdqQuality: 90 } }], under18WhenMade: true }));
      expect(response.statusCode, response.body).toBe(201);
      const itemId = response.json().items[0].id as string;
      await confirmItem(db.database, itemId, clock);
      await worker.drain();
      await app.services.platform.sync();
      const key = await addPlatformKey(db.database, clock, { name: `checker-${backend.name}` }, 'test');
      // Review events go to a platform with a webhook (none is delivered in this test).
      const hook = await app.inject({ method: 'PUT', url: '/v1/platform/webhook', headers: { authorization: `Bearer ${key.token}` }, payload: { url: 'https://checker.example/takedown-events' } });
      expect(hook.statusCode, hook.body).toBe(200);
      const near = (BigInt(`0x${pdq}`) ^ ((1n << 20n) - 1n)).toString(16).padStart(64, '0');
      const check = await app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${key.token}` }, payload: { pdq: near, pdqQuality: 90, contentId: `minor-${backend.name}` } });
      expect(check.statusCode, check.body).toBe(200);
      expect(check.json().verdict).toBe('review');
      const events = await db.database.transaction((tx) => tx.selectFrom('platform_events').select('payload').where('platform_id', '=', key.platformId).where('type', '=', 'check.review').execute());
      expect(events).toHaveLength(1);
      expect(events[0].payload.data).toMatchObject({ contentId: `minor-${backend.name}`, minor: { under18WhenMade: true, reportingDuty: { law: '18 U.S.C. § 2258A' } } });
    });

    it('an adult case carries no flag', async () => {
      const response = await submit(body({ under18WhenMade: false }));
      const review = await app.inject({ method: 'GET', url: `/v1/review/items/${response.json().items[0].id}`, headers: { cookie: await staffCookie() } });
      expect(review.json().case.minor).toBeUndefined();
    });
  });

  describe("the requester's own data (GDPR Art. 15 and 17)", () => {
    it('downloads everything held, then deletes it and says what was kept and why', async () => {
      const url = `https://platform.example.com/p/mine-${randomBytes(4).toString('hex')}`;
      const response = await submit(body({ items: [{ url }] }));
      const { caseNumber, pin } = response.json();
      const headers = { 'takedown-case-pin': pin };

      const data = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}/personal-data`, headers });
      expect(data.statusCode).toBe(200);
      expect(data.headers['cache-control']).toBe('no-store');
      expect(data.headers['content-disposition']).toContain(caseNumber);
      const held = data.json();
      expect(held.statements).toMatchObject({ requester: { fullName: PII.name }, contact: { email: PII.email }, goodFaith: { statement: PII.statement } });
      expect(held.items).toEqual([expect.objectContaining({ url, state: 'pending' })]);
      expect(held.summary.join(' ')).toContain(caseNumber);
      expect(held.history.map((h: { action: string }) => h.action)).toContain('case.received');
      expect(held.keptAfterDeletion.length).toBeGreaterThan(0);
      expect(held.case).toMatchObject({ language: 'en', notifyBy: [] });

      const erased = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/personal-data/erase`, headers });
      expect(erased.statusCode, erased.body).toBe(200);
      expect(erased.json()).toMatchObject({ caseNumber, withdrew: true });
      expect(erased.json().kept.every((k: { what: string; why: string }) => k.what && k.why)).toBe(true);
      expect(erased.body).not.toContain(PII.name);

      const after = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}/personal-data`, headers });
      expect(after.json().statements).toBeNull();
      expect(after.json().case.state).toBe('withdrawn');
      expect(after.body).not.toContain(url);
      const again = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/personal-data/erase`, headers });
      expect(again.json()).toMatchObject({ withdrew: false, deletedAt: erased.json().deletedAt });
      const audit = await db.database.transaction((tx) =>
        tx.selectFrom('audit_events').select(['action', 'reason']).where('action', '=', 'pii.deleted').innerJoin('cases', 'cases.id', 'audit_events.case_id').where('cases.case_number', '=', caseNumber).execute(),
      );
      expect(audit).toEqual([{ action: 'pii.deleted', reason: expect.stringContaining('GDPR Art. 17') }]);
    });

    it('answers a wrong PIN as for any case, and a PIN in the address with a clear 400', async () => {
      const response = await submit(body({}));
      const { caseNumber } = response.json();
      const wrong = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}/personal-data`, headers: { 'takedown-case-pin': '00000000' } });
      expect(wrong.statusCode).toBe(404);
      const erase = await app.inject({ method: 'POST', url: `/v1/cases/${caseNumber}/personal-data/erase`, headers: { 'takedown-case-pin': '00000000' } });
      expect(erase.statusCode).toBe(404);
      const inUrl = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}/personal-data?pin=1234` });
      expect(inUrl.json().error.code).toBe('pin_in_url');
      const stillThere = await db.database.transaction((tx) => tx.selectFrom('cases').select('pii').where('case_number', '=', caseNumber).executeTakeFirstOrThrow());
      expect(stillThere.pii).not.toBeNull();
    });
  });
});
