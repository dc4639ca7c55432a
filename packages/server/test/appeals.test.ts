import { randomBytes } from 'node:crypto';
import { signalTypes, systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagOverdueAppeals } from '../src/services/appeal-deadlines.ts';
import { appealDetail, appealQueue, decideAppeal, openAppeal } from '../src/services/appeals.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { acknowledgeRemoval } from '../src/services/removal-acknowledgement.ts';
import { viewCase } from '../src/services/requester-case.ts';
import { decideItem, type StaffActor } from '../src/services/review.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { statementForPlatform } from '../src/services/statement-of-reasons.ts';
import { decisionFollowHandler } from '../src/services/webhook-decisions.ts';
import { bankConfirmedItem } from '../src/services/platform-banks.ts';
import { queuePlatformEvents } from '../src/store/platform-events.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { PII, pinAttempt, testKeys, testSharedCopies } from './helpers/fixtures.ts';
import { fileRequest } from './platform-helpers.ts';

/** An event body as stored (jsonb: parsed already on one driver, text on another). */
const payloadData = (payload: unknown) => (typeof payload === 'string' ? JSON.parse(payload) : (payload as { data: Record<string, unknown> })).data;

const STATEMENT = 'UPLOADER-STATEMENT-7781: this is me, I posted my own photo with consent';

// The uploader's side of a removal (DSA Art. 17 and 20): statement of reasons, appeal, a different decider.
describe.each(backends)('uploaders’ appeals on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  let platform: { platformId: string; keyId: string };
  let otherPlatform: { platformId: string; keyId: string };
  let first: StaffActor;
  let second: StaffActor;
  let host: string;

  async function staff(role: 'senior' | 'reviewer' | 'admin'): Promise<StaffActor> {
    const username = `${role}${randomBytes(4).toString('hex')}`;
    const user = await createStaffUser(db.database, systemClock, { username, role, password: 'correct horse battery staple' }, 'test');
    return { userId: user.id, actor: `staff:${username}`, seesSenior: role !== 'reviewer' };
  }

  beforeAll(async () => {
    db = await backend.create();
    platform = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    otherPlatform = await addPlatformKey(db.database, systemClock, { name: 'other' }, 'test');
    host = `h${randomBytes(6).toString('hex')}.pics.example`;
    expect(await changePlatformHosts(db.database, systemClock, platform.platformId, { add: [host] }, 'test')).toMatchObject({ kind: 'ok' });
    first = await staff('senior');
    second = await staff('senior');
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A request for one address on the platform, confirmed by `first`, the removal instruction sent, and (unless `removed: false`) acknowledged. */
  async function removedItem(options: { removed?: boolean } = {}) {
    const submitted = await fileRequest(db.database, keys, [{ url: `https://${host}/p/${randomBytes(4).toString('hex')}`, hashes: { md5: randomBytes(16).toString('hex') } }]);
    const itemId = submitted.items[0].id;
    expect((await decideItem(db.database, systemClock, first, itemId, { decision: 'confirm' })).kind).toBe('ok');
    // What the sweep job does on confirmation: bank the hashes and tell the hosting platform.
    await db.database.transaction(async (tx) => {
      const item = await tx.selectFrom('items').select(['id', 'signals']).where('id', '=', itemId).executeTakeFirstOrThrow();
      await bankConfirmedItem(tx, new Date(), { id: item.id, signals: signalTypes.fromStored(item.signals) });
      await queuePlatformEvents(tx, new Date(), [{ platformId: platform.platformId, type: 'item.remove', itemId, caseId: submitted.caseId, data: { itemId } }]);
    });
    if (options.removed !== false) expect((await acknowledgeRemoval(db.database, systemClock, platform, itemId, new Date())).kind).toBe('ok');
    return { submitted, itemId };
  }

  const events = (itemId: string, type: string) =>
    db.database.db.selectFrom('platform_events').select(['platform_id', 'payload']).where('item_id', '=', itemId).where('type', '=', type).execute();
  const audit = (itemId: string, action: string) => db.database.db.selectFrom('audit_events').select(['actor', 'reason', 'data']).where('item_id', '=', itemId).where('action', '=', action).execute();

  /** One run of the decision follower (the job the worker runs), from the start of the audit log. */
  async function followDecisions(): Promise<void> {
    await db.database.transaction((tx) => decisionFollowHandler({ pollMs: 60_000 })(tx, { id: -1, kind: 'platform.follow-decisions', payload: { afterSeq: 0 }, attempts: 0 } as never, new Date()));
  }

  it('gives the hosting platform a statement of reasons with the Art. 17(3) fields, naming nobody', async () => {
    const { submitted, itemId } = await removedItem();
    const result = await statementForPlatform(db.database, platform.platformId, itemId, 168);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    const statement = result.value;
    expect(statement.decision).toMatchObject({ kind: 'removal', description: expect.stringMatching(/removed/), territorialScope: expect.any(String), duration: expect.any(String) });
    expect(statement.facts).toMatchObject({ source: 'notice', noticeBasis: expect.stringMatching(/Art\. 16/) });
    expect(statement.automatedMeans).toEqual({ usedInDetection: false, usedInDecision: false, description: expect.stringMatching(/person decided/) });
    expect(statement.legalGround.law).toMatch(/TAKE IT DOWN Act.*§3\(a\)\(3\)/);
    expect(statement.redress.internalComplaint.decidedWithinHours).toBe(168);
    expect(statement.redress.outOfCourtSettlement).toMatch(/Art\. 21/);
    const text = JSON.stringify(statement);
    for (const secret of [submitted.caseNumber, PII.name, PII.email, PII.phone, PII.statement, first.actor, host]) expect(text).not.toContain(secret);
    // Another platform, an unknown item: the same answer.
    expect(await statementForPlatform(db.database, otherPlatform.platformId, itemId, 168)).toEqual({ kind: 'not_found' });
    expect(await statementForPlatform(db.database, platform.platformId, '00000000-0000-4000-8000-000000000000', 168)).toEqual({ kind: 'not_found' });
  });

  it('tells senior staff once when an appeal passes its decision time, and audits it; the appeal stays open', async () => {
    const { submitted, itemId } = await removedItem();
    const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 1);
    if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
    const flag = (at: Date) => db.database.transaction((tx) => flagOverdueAppeals(tx, at));
    const before = new Date(opened.value.dueAt.getTime() - 1_000);
    const after = new Date(opened.value.dueAt.getTime() + 1_000);
    await flag(before);
    expect(await audit(itemId, 'appeal.overdue')).toEqual([]);
    expect(await flag(after)).toBeGreaterThanOrEqual(1);
    expect(await flag(after)).toBe(0);
    const [event] = await audit(itemId, 'appeal.overdue');
    expect(event).toMatchObject({ actor: 'system', data: { appealId: opened.value.appealId, dueAt: opened.value.dueAt.toISOString() } });
    const alerts = await db.database.db.selectFrom('notifications').select(['audience', 'data']).where('case_id', '=', submitted.caseId).where('kind', '=', 'appeal_overdue').execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].audience).toBe('staff');
    expect(JSON.stringify(alerts[0].data)).not.toContain(STATEMENT);
    const row = await db.database.db.selectFrom('item_appeals').select(['state', 'overdue_at']).where('id', '=', opened.value.appealId).executeTakeFirstOrThrow();
    expect(row.state).toBe('open');
    expect(row.overdue_at).not.toBeNull();
  });

  it('takes one appeal per item from the hosting platform, stores the statement encrypted, and audits it without the words', async () => {
    const { itemId } = await removedItem();
    const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 72);
    if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
    expect(opened.value.dueAt.getTime() - opened.value.openedAt.getTime()).toBe(72 * 3_600_000);
    expect(await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 72)).toMatchObject({ kind: 'conflict', code: 'appeal_open' });
    expect(await openAppeal(db.database, keys, systemClock, otherPlatform, itemId, STATEMENT, 72)).toEqual({ kind: 'not_found' });
    const row = await db.database.db.selectFrom('item_appeals').select('statement').where('id', '=', opened.value.appealId).executeTakeFirstOrThrow();
    expect(Buffer.from(row.statement!).toString('latin1')).not.toContain('UPLOADER-STATEMENT');
    const [event] = await audit(itemId, 'appeal.opened');
    expect(event.actor).toBe(`platform:${platform.keyId}`);
    expect(JSON.stringify(event)).not.toContain('UPLOADER-STATEMENT');
    // A pending item was not removed: nothing to appeal.
    const pending = await fileRequest(db.database, keys, [{ url: `https://${host}/p/pending` }]);
    expect(await openAppeal(db.database, keys, systemClock, platform, pending.items[0].id, STATEMENT, 72)).toMatchObject({ kind: 'conflict', code: 'not_appealable' });
  });

  it('is decided by another senior reviewer with reasons; upheld, the platform hears appeal.decided and item.restore, the hashes leave the banks', async () => {
    const { submitted, itemId } = await removedItem();
    const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 168);
    if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
    const appealId = opened.value.appealId;
    expect((await appealQueue(db.database, systemClock, { state: 'open', limit: 100, offset: 0 })).map((a) => a.appealId)).toContain(appealId);
    const detail = await appealDetail(db.database, keys, systemClock, second, appealId);
    expect(detail).toMatchObject({ kind: 'ok', value: { statement: STATEMENT, itemDecidedBy: first.actor, state: 'open' } });

    expect(await decideAppeal(db.database, systemClock, first, appealId, { decision: 'uphold', reason: 'I was wrong' })).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/another senior reviewer/) });
    expect(await decideAppeal(db.database, systemClock, second, appealId, { decision: 'uphold', reason: '  ' })).toMatchObject({ kind: 'invalid', field: 'reason' });
    const decided = await decideAppeal(db.database, systemClock, second, appealId, { decision: 'uphold', reason: 'The uploader showed it is their own photo, posted with consent.' });
    expect(decided).toEqual({ kind: 'ok', value: { appealId, state: 'upheld', itemState: 'removed' } });
    expect(await decideAppeal(db.database, systemClock, second, appealId, { decision: 'reject', reason: 'again' })).toMatchObject({ kind: 'conflict', code: 'appeal_decided' });

    const [decidedEvent] = await events(itemId, 'appeal.decided');
    expect(decidedEvent.platform_id).toBe(platform.platformId);
    expect(payloadData(decidedEvent.payload)).toMatchObject({ appealId, itemId, outcome: 'upheld', reason: expect.stringMatching(/own photo/) });
    expect(await audit(itemId, 'appeal.decided')).toEqual([{ actor: second.actor, reason: expect.stringMatching(/own photo/), data: expect.objectContaining({ outcome: 'upheld', restoreRemoved: true }) }]);

    await followDecisions();
    const restores = await events(itemId, 'item.restore');
    expect(restores.map((e) => payloadData(e.payload).reason)).toEqual(["the uploader's appeal was upheld"]);
    const banked = await db.database.db.selectFrom('bank_hashes').select('removed_at').where('item_id', '=', itemId).execute();
    expect(banked.length).toBeGreaterThan(0);
    expect(banked.every((b) => b.removed_at !== null)).toBe(true);

    // The person depicted sees that an appeal exists and how it ended; nothing about who appealed.
    const status = await viewCase({ database: db.database, keys, clock: systemClock, sharedCopies: testSharedCopies(db.dataDir, keys) }, pinAttempt(submitted.caseNumber, submitted.pin));
    if (status.kind !== 'ok') throw new Error(JSON.stringify(status));
    expect(status.value.items[0].appeal).toMatchObject({ state: 'upheld', openedAt: expect.any(Date), decidedAt: expect.any(Date) });
    expect(JSON.stringify(status.value)).not.toContain('UPLOADER-STATEMENT');
    expect(JSON.stringify(status.value)).not.toContain(platform.keyId);
  });

  it('rejected, the removal stands: appeal.decided only, and the person sees it ended', async () => {
    const { itemId } = await removedItem();
    const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 168);
    if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
    expect(await decideAppeal(db.database, systemClock, second, opened.value.appealId, { decision: 'reject', reason: 'The person shown did not consent.' })).toMatchObject({ kind: 'ok', value: { state: 'rejected', itemState: 'removed' } });
    await followDecisions();
    expect(await events(itemId, 'item.restore')).toEqual([]);
    expect((await events(itemId, 'appeal.decided')).map((e) => payloadData(e.payload).outcome)).toEqual(['rejected']);
    // A decided appeal leaves room for a new one.
    expect((await openAppeal(db.database, keys, systemClock, platform, itemId, 'new facts', 168)).kind).toBe('ok');
  });

  it('upheld before the platform removed it, the item is declined so its clock stops and the instruction is undone', async () => {
    const { itemId } = await removedItem({ removed: false });
    const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, STATEMENT, 168);
    if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
    expect(await decideAppeal(db.database, systemClock, second, opened.value.appealId, { decision: 'uphold', reason: 'Consent shown.' })).toMatchObject({ kind: 'ok', value: { state: 'upheld', itemState: 'declined' } });
    await followDecisions();
    expect((await events(itemId, 'item.restore')).map((e) => payloadData(e.payload).reason)).toEqual(['declined on review']);
  });
});
