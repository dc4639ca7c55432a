import { randomBytes } from 'node:crypto';
import { DAY_MS, DEFAULT_NOTIFIER_SAFEGUARDS, ManualClock, type Clock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitRequest } from '../src/services/intake.ts';
import { liftStanding, markUnfounded, NotifierSuspendedError, notifierOfCase } from '../src/services/notifier-safeguards.ts';
import { decideItem, type StaffActor } from '../src/services/review.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { pinAttempt, testKeys, testSharedCopies, validRequest } from './helpers/fixtures.ts';
import { contestStanding } from '../src/services/notifier-contest.ts';
import { viewCase } from '../src/services/requester-case.ts';

// DSA Art. 23: repeated manifestly unfounded notices → a warning, then a suspension; each step audited and liftable.
describe.each(backends)('notifier safeguards on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  const clock = new ManualClock(new Date('2026-07-01T09:00:00Z'));
  let senior: StaffActor;
  const safeguards = DEFAULT_NOTIFIER_SAFEGUARDS;

  beforeAll(async () => {
    db = await backend.create();
    const username = `sen${randomBytes(4).toString('hex')}`;
    const user = await createStaffUser(db.database, clock, { username, role: 'senior', password: 'correct horse battery staple' }, 'test');
    senior = { userId: user.id, actor: `staff:${username}`, seesSenior: true };
  });
  afterAll(async () => {
    await db?.drop();
  });

  const requestFrom = (email: string, c: Clock = clock) => validRequest(c, { contact: { email } });

  /** A notice from `email` that a reviewer declined: its case is rejected. */
  async function declinedNotice(email: string): Promise<string> {
    return (await declinedNoticeWithPin(email)).caseNumber;
  }
  async function declinedNoticeWithPin(email: string): Promise<{ caseNumber: string; pin: string }> {
    const submitted = await submitRequest(db.database, keys, clock, requestFrom(email));
    expect((await decideItem(db.database, clock, senior, submitted.items[0].id, { decision: 'decline', reason: 'not_intimate' })).kind).toBe('ok');
    return submitted;
  }
  const actions = (caseNumber: string) =>
    db.database.db.selectFrom('audit_events').innerJoin('cases', 'cases.id', 'audit_events.case_id').select(['action', 'data']).where('cases.case_number', '=', caseNumber).where('action', 'like', 'notifier.%').orderBy('seq').execute();

  it('records the first, warns at the second, suspends at the third; the suspended notifier is refused with a date, others are not', async () => {
    const email = `n${randomBytes(4).toString('hex')}@example.org`;
    const steps: string[] = [];
    const cases: string[] = [];
    let pinOfFirst = '';
    for (let i = 0; i < 3; i++) {
      const { caseNumber, pin } = await declinedNoticeWithPin(email);
      if (i === 0) pinOfFirst = pin;
      cases.push(caseNumber);
      const marked = await markUnfounded(db.database, clock, senior, caseNumber, 'Same unrelated picture sent again.', safeguards);
      if (marked.kind !== 'ok') throw new Error(JSON.stringify(marked));
      steps.push(marked.value.step);
      clock.advance(DAY_MS);
    }
    expect(steps).toEqual(['recorded', 'warning', 'suspension']);
    expect((await actions(cases[1])).map((a) => a.action)).toEqual(['notifier.notice_unfounded', 'notifier.warned']);
    expect((await actions(cases[2])).map((a) => a.action)).toEqual(['notifier.notice_unfounded', 'notifier.suspended']);
    // The notifier is told of the warning and of the suspension (even without having asked for updates), nothing else.
    const told = async (caseNumber: string) =>
      (await db.database.db.selectFrom('notifications').innerJoin('cases', 'cases.id', 'notifications.case_id').select(['kind', 'audience']).where('cases.case_number', '=', caseNumber).where('kind', 'like', 'notifier_%').execute()).map((n) => `${n.audience}:${n.kind}`);
    expect([await told(cases[0]), await told(cases[1]), await told(cases[2])]).toEqual([[], ['requester:notifier_warned'], ['requester:notifier_suspended']]);

    const refused = await submitRequest(db.database, keys, clock, requestFrom(email.toUpperCase())).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NotifierSuspendedError);
    expect((refused as NotifierSuspendedError).until.getTime()).toBeGreaterThan(clock.now().getTime() + 28 * DAY_MS);
    // A notice about someone under 18 when the images were made (the request's own answer) is always taken; an
    // answer of "no" is refused like no answer; another notifier is not affected.
    const aboutMinor = validRequest(clock, { contact: { email }, under18WhenMade: true });
    expect((await submitRequest(db.database, keys, clock, aboutMinor)).caseNumber).toMatch(/^TD-/);
    const notAboutMinor = await submitRequest(db.database, keys, clock, validRequest(clock, { contact: { email }, under18WhenMade: false })).catch((error: unknown) => error);
    expect(notAboutMinor).toBeInstanceOf(NotifierSuspendedError);
    expect((await submitRequest(db.database, keys, clock, requestFrom(`other${email}`))).caseNumber).toMatch(/^TD-/);
    expect(await notifierOfCase(db.database, keys, clock, cases[0], safeguards)).toMatchObject({ kind: 'ok', value: { unfoundedNotices: 3, suspendedUntil: expect.any(Date) } });

    // The notifier contests from the status of one of their cases; a senior reviewer reads it beside the standing.
    const ctx = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
    const status = await viewCase(ctx, pinAttempt(cases[0], pinOfFirst));
    expect(status).toMatchObject({ kind: 'ok', value: { notifier: { warnedAt: expect.any(Date), suspendedUntil: expect.any(Date), contested: false } } });
    expect(await contestStanding(ctx, pinAttempt(cases[0], pinOfFirst), 'CONTEST-WORDS: these are pictures of me.')).toMatchObject({ kind: 'ok' });
    expect(await contestStanding(ctx, pinAttempt(cases[0], pinOfFirst), 'again')).toEqual({ kind: 'already_contested' });
    expect(await contestStanding(ctx, pinAttempt(cases[0], '00000000'), 'wrong pin')).toMatchObject({ kind: 'not_found' });
    expect(await notifierOfCase(db.database, keys, clock, cases[2], safeguards)).toMatchObject({ kind: 'ok', value: { contest: { statement: 'CONTEST-WORDS: these are pictures of me.' } } });
    expect(JSON.stringify(await actions(cases[0]))).not.toContain('CONTEST-WORDS');
    expect((await actions(cases[0])).map((a) => a.action)).toContain('notifier.contested');

    // A senior reviewer agrees and lifts it: new notices are taken, past marks no longer count, the contest is closed.
    expect(await liftStanding(db.database, clock, senior, cases[2], 'The notifier showed the pictures were of them.')).toMatchObject({ kind: 'ok' });
    expect((await actions(cases[2])).map((a) => a.action)).toContain('notifier.standing_lifted');
    expect((await submitRequest(db.database, keys, clock, requestFrom(email))).caseNumber).toMatch(/^TD-/);
    expect(await liftStanding(db.database, clock, senior, cases[2], 'again')).toMatchObject({ kind: 'conflict', code: 'nothing_to_lift' });
    expect(await contestStanding(ctx, pinAttempt(cases[0], pinOfFirst), 'nothing left')).toEqual({ kind: 'nothing_to_contest' });
    expect((await viewCase(ctx, pinAttempt(cases[0], pinOfFirst))).kind === 'ok' && 'notifier' in (await viewCase(ctx, pinAttempt(cases[0], pinOfFirst)) as { value: object }).value).toBe(false);
    clock.advance(DAY_MS);
    const next = await declinedNotice(email);
    expect(await markUnfounded(db.database, clock, senior, next, 'again unrelated', safeguards)).toMatchObject({ kind: 'ok', value: { step: 'recorded', unfoundedNotices: 1 } });
  });

  it('ends a suspension by itself when its period is over', async () => {
    const email = `t${randomBytes(4).toString('hex')}@example.org`;
    const short = { ...safeguards, warnAfter: 1, suspendAfter: 2, suspensionMs: 2 * DAY_MS };
    for (let i = 0; i < 2; i++) expect((await markUnfounded(db.database, clock, senior, await declinedNotice(email), 'unfounded', short)).kind).toBe('ok');
    await expect(submitRequest(db.database, keys, clock, requestFrom(email))).rejects.toBeInstanceOf(NotifierSuspendedError);
    clock.advance(2 * DAY_MS + 1);
    expect((await submitRequest(db.database, keys, clock, requestFrom(email))).caseNumber).toMatch(/^TD-/);
  });

  it('marks only a declined notice, once', async () => {
    const submitted = await submitRequest(db.database, keys, clock, requestFrom(`p${randomBytes(4).toString('hex')}@example.org`));
    expect(await markUnfounded(db.database, clock, senior, submitted.caseNumber, 'why', safeguards)).toMatchObject({ kind: 'conflict', code: 'not_declined' });
    const declined = await declinedNotice(`q${randomBytes(4).toString('hex')}@example.org`);
    expect((await markUnfounded(db.database, clock, senior, declined, 'why', safeguards)).kind).toBe('ok');
    expect(await markUnfounded(db.database, clock, senior, declined, 'why', safeguards)).toMatchObject({ kind: 'conflict', code: 'already_unfounded' });
    expect(await markUnfounded(db.database, clock, senior, 'TD-0000-0000', 'why', safeguards)).toEqual({ kind: 'not_found' });
  });
});
