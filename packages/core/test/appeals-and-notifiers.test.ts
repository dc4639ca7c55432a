import { describe, expect, it } from 'vitest';
import {
  appealDueAt,
  checkAppealable,
  checkAppealDecider,
  checkAppealDecision,
  checkNotifierSafeguards,
  DAY_MS,
  DEFAULT_NOTIFIER_SAFEGUARDS,
  nextStandingStep,
  noticeRefused,
  statementOfReasons,
} from '../src/index.ts';

const now = new Date('2026-07-01T12:00:00Z');

describe('appeals (DSA Art. 20)', () => {
  it('opens only against a removal, one at a time', () => {
    expect(checkAppealable('removed', false)).toEqual({ ok: true });
    expect(checkAppealable('confirmed', false)).toEqual({ ok: true });
    for (const state of ['pending', 'declined', 'withdrawn']) expect(checkAppealable(state, false)).toMatchObject({ ok: false, error: { code: 'not_appealable' } });
    expect(checkAppealable('removed', true)).toMatchObject({ ok: false, error: { code: 'appeal_open' } });
  });

  it('is decided by someone other than the item’s decider, with reasons, by its deadline', () => {
    expect(checkAppealDecider('staff:sam', 'staff:sam')).toMatchObject({ ok: false, error: { code: 'same_decider' } });
    expect(checkAppealDecider('staff:ada', 'staff:sam')).toEqual({ ok: true });
    expect(checkAppealDecider('staff:ada', 'system')).toEqual({ ok: true });
    expect(checkAppealDecision({ decision: 'uphold', reason: ' because ' })).toEqual({ ok: true, decision: 'uphold', reason: 'because' });
    expect(checkAppealDecision({ decision: 'reject' })).toMatchObject({ ok: false, error: { code: 'reason_required' } });
    expect(checkAppealDecision({ decision: 'maybe', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_decision' } });
    expect(checkAppealDecision({ decision: 'reject', reason: 'x'.repeat(2001) })).toMatchObject({ ok: false, error: { code: 'reason_too_long' } });
    expect(appealDueAt(now, 168).toISOString()).toBe('2026-07-08T12:00:00.000Z');
  });
});

describe('statement of reasons (DSA Art. 17(3))', () => {
  const facts = { itemId: 'i', itemState: 'removed', decidedAt: now, jurisdiction: 'EU', foundByHashMatching: true, decidedAutomatically: true, mediaType: 'image', appealDecidedWithinHours: 72 };
  it('says when automated means found and decided, the legal ground of the jurisdiction, and every redress', () => {
    const statement = statementOfReasons(facts);
    expect(statement.automatedMeans).toMatchObject({ usedInDetection: true, usedInDecision: true });
    expect(statement.legalGround.law).toMatch(/Digital Services Act.*Directive \(EU\) 2024\/1385/);
    expect(statement.redress).toMatchObject({ internalComplaint: { decidedWithinHours: 72 }, outOfCourtSettlement: expect.stringMatching(/Art\. 21/), judicialRedress: expect.any(String) });
    expect(statementOfReasons({ ...facts, jurisdiction: 'XX' }).legalGround.law).toMatch(/law on intimate images/);
  });
});

describe('notifier safeguards (DSA Art. 23)', () => {
  const none = { warnedAt: null, suspendedUntil: null };
  it('warns before it suspends, and never suspends on the first notice', () => {
    const s = DEFAULT_NOTIFIER_SAFEGUARDS;
    expect(nextStandingStep(1, none, s, now)).toEqual({ step: 'recorded' });
    expect(nextStandingStep(2, none, s, now)).toEqual({ step: 'warning' });
    // Never a suspension without a warning first, however many.
    expect(nextStandingStep(5, none, s, now)).toEqual({ step: 'warning' });
    expect(nextStandingStep(3, { warnedAt: now, suspendedUntil: null }, s, now)).toEqual({ step: 'suspension', until: new Date(now.getTime() + 30 * DAY_MS) });
    expect(checkNotifierSafeguards({ ...s, warnAfter: 1, suspendAfter: 1 })).toMatchObject({ ok: false, error: { code: 'suspend_after' } });
    expect(checkNotifierSafeguards({ ...s, warnAfter: 3, suspendAfter: 3 })).toMatchObject({ ok: false });
    expect(checkNotifierSafeguards({ ...s, warnAfter: 0 })).toMatchObject({ ok: false, error: { code: 'warn_after' } });
    expect(checkNotifierSafeguards(s)).toEqual({ ok: true });
  });

  it('refuses a suspended notifier’s notice until the date, never one about a minor', () => {
    const until = new Date(now.getTime() + DAY_MS);
    expect(noticeRefused({ warnedAt: now, suspendedUntil: until }, now, false)).toEqual({ refused: true, until });
    expect(noticeRefused({ warnedAt: now, suspendedUntil: until }, now, true)).toEqual({ refused: false });
    expect(noticeRefused({ warnedAt: now, suspendedUntil: until }, until, false)).toEqual({ refused: false });
    expect(noticeRefused(undefined, now, false)).toEqual({ refused: false });
  });
});
