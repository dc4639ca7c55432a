import { createHash, randomBytes } from 'node:crypto';
import { HOUR_MS, ManualClock, type TransparencyDatabaseStatement } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import { openAppeal } from '../src/services/appeals.ts';
import { complianceReport } from '../src/services/compliance.ts';
import { dsaTransparencyReportFor } from '../src/services/dsa-transparency-report.ts';
import { submitRequest } from '../src/services/intake.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { upsertContent } from '../src/services/platform-content.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { decideItem, type StaffActor } from '../src/services/review.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { transparencyDatabaseExport } from '../src/services/statement-of-reasons.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, validRequest } from './helpers/fixtures.ts';
import { crossFieldProblems, TransparencyDatabaseStatementSchema } from './helpers/transparency-database-schema.ts';
import { contentEntries, platformTestConfig } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';
const START = new Date('2031-03-02T00:00:00Z');
const FROM = new Date('2031-03-01T00:00:00Z');
const TO = new Date('2031-04-01T00:00:00Z');
const validator = Compile(TransparencyDatabaseStatementSchema);

// The reports regulators ask for, from stored cases: the compliance report per clock, the DSA Transparency
// Database statements and the DSA transparency report — on both databases.
describe.each(backends)('law reports on $name', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let keys: ReturnType<typeof platformTestConfig>['keys'];
  const clock = new ManualClock(START);
  let platform: { platformId: string; keyId: string };
  let sam: StaffActor;
  const host = `h${randomBytes(4).toString('hex')}.pics.example`;
  const items: Record<string, string> = {};

  /** Files a request under `jurisdiction` at `atHours` after START for one address; returns the item id. */
  async function file(name: string, jurisdiction: string, atHours: number, extra: Record<string, unknown> = {}): Promise<string> {
    clock.set(new Date(START.getTime() + atHours * HOUR_MS));
    const request = validRequest(clock, { jurisdiction, items: [{ url: `https://${host}/p/${name}` }], ...extra } as never);
    const submitted = await submitRequest(db.database, keys, clock, request);
    items[name] = submitted.items[0].id;
    return submitted.items[0].id;
  }
  async function confirmAt(itemId: string, atHours: number) {
    clock.set(new Date(START.getTime() + atHours * HOUR_MS));
    expect((await decideItem(db.database, clock, sam, itemId, { decision: 'confirm' })).kind).toBe('ok');
  }
  async function removeAt(itemId: string, atHours: number) {
    clock.set(new Date(START.getTime() + atHours * HOUR_MS));
    expect((await acknowledgeRemoval(db.database, clock, platform, itemId, clock.now())).kind).toBe('ok');
  }

  beforeAll(async () => {
    db = await backend.create();
    const test = platformTestConfig(db.dataDir);
    keys = test.keys;
    app = await buildApp(test.config, { database: db.database, keys, clock });
    platform = await addPlatformKey(db.database, clock, { name: 'pics' }, 'test');
    expect(await changePlatformHosts(db.database, clock, platform.platformId, { add: [host] }, 'test')).toMatchObject({ kind: 'ok' });
    const user = await createStaffUser(db.database, clock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
    sam = { userId: user.id, actor: 'staff:sam', seesSenior: true };
    for (const [username, role] of [['aud', 'auditor'], ['riley', 'reviewer']] as const) await createStaffUser(db.database, clock, { username, role, password: PASSWORD }, 'test');

    // US, 48 h: removed in 30 h (in time). AU, 24 h: removed in 30 h (late). EU: removed in 10 h; an EU request
    // about a minor, removed in 5 h; an EU request never decided (its deadline passes in the period).
    await file('us1', 'US', 0);
    await file('au1', 'AU', 1);
    await file('eu1', 'EU', 2);
    await file('eu2', 'EU', 3, { under18WhenMade: true });
    await file('eu3', 'EU', 4);
    await confirmAt(items.us1, 5);
    await confirmAt(items.au1, 6);
    await confirmAt(items.eu1, 7);
    await confirmAt(items.eu2, 7);
    await removeAt(items.eu2, 8);
    await removeAt(items.eu1, 12);
    await removeAt(items.us1, 30);
    await removeAt(items.au1, 31);
    clock.set(new Date(START.getTime() + 40 * HOUR_MS));
    expect((await openAppeal(db.database, keys, clock, platform, items.eu1, 'It is me and I posted it.', 168)).kind).toBe('ok');
    clock.set(new Date('2031-05-01T00:00:00Z'));
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function signIn(username: string): Promise<{ cookie: string }> {
    const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    return { cookie: ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ') };
  }

  it('reports compliance per jurisdiction and clock, never mixing 24 and 48 hours', async () => {
    const report = await complianceReport(db.database, clock, FROM, TO, 'test');
    expect(report).toMatchObject({ requestsReceived: 5, itemsReceived: 5 });
    expect(report.clocks.map((c) => [c.jurisdiction, c.clockHours, c.itemsReceived])).toEqual([
      ['AU', 24, 1],
      ['EU', 48, 3],
      ['US', 48, 1],
    ]);
    const [au, eu, us] = report.clocks;
    expect(au).toMatchObject({ requestsDue: 1, requestsActionedWithinDeadline: 0, requestsActionedWithinDeadlinePercent: 0, breaches: [{ id: items.au1, reason: 'removed_late' }] });
    expect(au.medianTimeToAction).toEqual({ ms: 30 * HOUR_MS, hours: 30 });
    expect(us).toMatchObject({ requestsActionedWithinDeadlinePercent: 100, breaches: [] });
    expect(eu).toMatchObject({ requestsDue: 3, requestsActionedWithinDeadline: 2, breaches: [{ id: items.eu3, reason: 'no_decision' }] });
    // EU requests acted on: 5 h and 10 h from receipt.
    expect(eu.medianTimeToAction).toEqual({ ms: 7.5 * HOUR_MS, hours: 7.5 });
    expect(eu.p95TimeToAction).toEqual({ ms: 10 * HOUR_MS, hours: 10 });
  });

  it('exports statements of reasons the Transparency Database API accepts, naming no one', async () => {
    const { statements } = await transparencyDatabaseExport(db.database, FROM, TO, 168);
    // Ordered by decision time (eu1 and eu2 were confirmed at the same moment); the undecided eu3 has none.
    expect(statements.slice(0, 2).map((s) => s.puid)).toEqual([items.us1, items.au1]);
    expect(statements.slice(2).map((s) => s.puid).sort()).toEqual([items.eu1, items.eu2].sort());
    for (const statement of statements) {
      expect([...validator.Errors(statement)].map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
      expect(validator.Check(statement)).toBe(true);
      expect(crossFieldProblems(statement as unknown as Record<string, unknown>)).toEqual([]);
    }
    const byPuid = new Map(statements.map((s) => [s.puid, s]));
    expect(byPuid.get(items.us1)).toMatchObject({
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'],
      decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
      category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE',
      category_specification: ['KEYWORD_NON_CONSENSUAL_IMAGE_SHARING'],
      source_type: 'SOURCE_ARTICLE_16',
      automated_detection: 'No',
      automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
      content_date: '2031-03-02',
      application_date: '2031-03-03',
    } satisfies Partial<TransparencyDatabaseStatement>);
    expect(byPuid.get(items.us1)!.illegal_content_legal_ground).toMatch(/TAKE IT DOWN Act/);
    expect(byPuid.get(items.au1)!.illegal_content_legal_ground).toMatch(/Online Safety Act 2021/);
    expect(byPuid.get(items.eu2)).toMatchObject({ category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS', category_specification: ['KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL'] });
    const text = JSON.stringify(statements);
    for (const secret of [PII.name, PII.email, PII.phone, PII.statement, host]) expect(text).not.toContain(secret);
  });

  it('fills the DSA transparency report from the EU cases, and marks what it does not hold', async () => {
    const report = await dsaTransparencyReportFor(db.database, FROM, TO);
    const value = (field: string) => report.rows.find((r) => r.field === field)?.value;
    expect(value('Notices received')).toBe(3);
    expect(value('Notices received, type of alleged illegal content: Protection of minors: child sexual abuse material')).toBe(1);
    expect(value('Actions taken on the basis of the law (items removed or to be removed)')).toBe(2);
    // Receipt to decision: 5 h (eu1, received at 2 h, confirmed at 7 h) and 4 h (eu2, received at 3 h).
    expect(value('Median time to take action, in hours (receipt of the notice to the decision)')).toBe(4.5);
    expect(value('Complaints received through the internal complaint-handling system')).toBe(1);
    expect(report.rows.filter((r) => r.status === 'not_held').length).toBeGreaterThan(3);
    expect((await dsaTransparencyReportFor(db.database, FROM, TO, 'all')).rows.find((r) => r.field === 'Notices received')?.value).toBe(5);
  });

  it('reports an exact copy the known-copy sweep removed on its own as own-initiative, found and decided by automated means', async () => {
    // A month of its own, so the figures of March stay as they are.
    const june = { from: new Date('2031-06-01T00:00:00Z'), to: new Date('2031-07-01T00:00:00Z') };
    const { config } = platformTestConfig(db.dataDir);
    const runtime = new PlatformRuntime(db.database, config.platform);
    await runtime.open();
    const worker = createWorker({ config, database: db.database, clock, keys, platform: runtime });
    try {
      const pdq = createHash('sha256').update(`law reports ${backend.name}`).digest('hex');
      // The platform declared both the day before: the copy's content date is that day, not the notice's.
      await upsertContent(db.database, platform.platformId, contentEntries([
        { contentId: 'orig', url: `https://${host}/p/orig`, pdq, pdqQuality: 95 },
        { contentId: 'reencoded', pdq, pdqQuality: 95 },
      ]), new Date('2031-05-31T12:00:00Z'));
      await runtime.sync();
      clock.set(new Date('2031-06-01T08:00:00Z'));
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock, { jurisdiction: 'EU', items: [{ url: `https://${host}/p/orig`, hashes: { pdq, pdqQuality: 95 } }] } as never));
      clock.set(new Date('2031-06-01T09:00:00Z'));
      expect((await decideItem(db.database, clock, sam, submitted.items[0].id, { decision: 'confirm' })).kind).toBe('ok');
      await worker.drain();
      const caseItems = await db.database.db.selectFrom('items').select(['id', 'state', 'decided_by']).where('case_id', '=', submitted.caseId).orderBy('position').execute();
      expect(caseItems.map((i) => [i.state, i.decided_by])).toEqual([['confirmed', 'staff:sam'], ['confirmed', 'system']]);

      const { statements } = await transparencyDatabaseExport(db.database, june.from, june.to, 168);
      const copy = statements.find((st) => st.puid === caseItems[1].id)!;
      expect(validator.Check(copy)).toBe(true);
      expect(copy).toMatchObject({ source_type: 'SOURCE_VOLUNTARY', automated_detection: 'Yes', automated_decision: 'AUTOMATED_DECISION_FULLY', content_date: '2031-05-31', application_date: '2031-06-01' });
      expect(statements.find((st) => st.puid === caseItems[0].id)).toMatchObject({ source_type: 'SOURCE_ARTICLE_16', automated_detection: 'No', content_date: '2031-05-31' });

      const report = await dsaTransparencyReportFor(db.database, june.from, june.to);
      const value = (field: string) => report.rows.find((r) => r.field.startsWith(field))?.value;
      expect(value('Notices received')).toBe(1);
      expect(value('Own-initiative actions: removals of known copies')).toBe(1);
      expect(value('Own-initiative actions decided by automated means')).toBe(1);
    } finally {
      await worker.stop();
      await runtime.close();
      clock.set(new Date('2031-07-01T00:00:00Z'));
    }
  });

  it('serves the reports over HTTP to compliance staff only', async () => {
    const auditor = await signIn('aud');
    const compliance = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2031-03-01&to=2031-04-01', headers: auditor });
    expect(compliance.statusCode).toBe(200);
    expect(compliance.json().clocks.map((c: { jurisdiction: string; clockHours: number }) => `${c.jurisdiction}/${c.clockHours}`)).toEqual(['AU/24', 'EU/48', 'US/48']);
    const statements = await app.inject({ method: 'GET', url: '/v1/reports/dsa/statements?from=2031-03-01&to=2031-04-01', headers: auditor });
    expect(statements.statusCode).toBe(200);
    expect(statements.json().statements.every((s: unknown) => validator.Check(s))).toBe(true);
    const csv = await app.inject({ method: 'GET', url: '/v1/reports/dsa/transparency.csv?from=2031-03-01&to=2031-04-01', headers: auditor });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('section,provision,field,value,status,note');
    expect(csv.body).toContain('1.3,Art. 15(1)(b),Notices received,3,filled,');
    const reviewer = await signIn('riley');
    expect((await app.inject({ method: 'GET', url: '/v1/reports/dsa/statements?from=2031-03-01&to=2031-04-01', headers: reviewer })).statusCode).toBe(403);
    const bad = await app.inject({ method: 'GET', url: '/v1/reports/dsa/transparency?from=2031-04-01&to=2031-03-01', headers: auditor });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_request', field: 'to' });
  });
});
