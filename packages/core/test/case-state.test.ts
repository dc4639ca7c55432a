import { describe, expect, it } from 'vitest';
import { CASE_STATES, type CaseState, type ItemSnapshot, type ItemState, canAddItems, deriveCaseState, withdrawCase } from '../src/index.ts';

const s = (...states: ItemState[]) => states.map((state) => ({ state }));

describe('deriveCaseState', () => {
  it('stays received while every item waits', () => {
    expect(deriveCaseState(s('pending', 'pending'), 'received')).toBe('received');
  });

  it('stays received when the requester withdraws one item: a withdrawal is not a decision', () => {
    expect(deriveCaseState(s('withdrawn', 'pending'), 'received')).toBe('received');
    expect(deriveCaseState(s('withdrawn', 'pending'), 'in_review')).toBe('in_review');
  });

  it('moves to in_review on the first decision, and stays there', () => {
    expect(deriveCaseState(s('confirmed', 'pending'), 'received')).toBe('in_review');
    expect(deriveCaseState(s('declined', 'pending'), 'received')).toBe('in_review');
    expect(deriveCaseState(s('pending', 'pending'), 'in_review')).toBe('in_review');
  });

  it('is resolved when every item is final and something was removed', () => {
    expect(deriveCaseState(s('removed', 'declined'), 'in_review')).toBe('resolved');
    expect(deriveCaseState(s('removed', 'withdrawn'), 'in_review')).toBe('resolved');
    expect(deriveCaseState(s('removed'), 'received')).toBe('resolved');
  });

  it('is rejected when nothing was removed and something declined', () => {
    expect(deriveCaseState(s('declined', 'declined'), 'in_review')).toBe('rejected');
    expect(deriveCaseState(s('declined', 'withdrawn'), 'in_review')).toBe('rejected');
  });

  it('is withdrawn when every item was withdrawn, and withdrawn is final', () => {
    expect(deriveCaseState(s('withdrawn', 'withdrawn'), 'in_review')).toBe('withdrawn');
    expect(deriveCaseState(s('pending'), 'withdrawn')).toBe('withdrawn');
  });

  it('reopens a closed case when items are added', () => {
    expect(deriveCaseState(s('removed', 'pending'), 'resolved')).toBe('in_review');
    expect(deriveCaseState(s('declined', 'pending'), 'rejected')).toBe('in_review');
    expect(canAddItems('resolved')).toBe(true);
    expect(canAddItems('withdrawn')).toBe(false);
  });

  it('keeps the current state of a case with no items', () => {
    for (const state of CASE_STATES) expect(deriveCaseState([], state)).toBe(state);
  });
});

describe('withdrawCase', () => {
  const now = new Date('2026-05-20T00:00:00Z');
  const received = new Date('2026-05-19T00:00:00Z');
  const item = (state: ItemState): ItemSnapshot => ({ state, receivedAt: received, deadlineAt: now });

  it('withdraws every open item and keeps decided ones', () => {
    const items = [item('pending'), item('removed'), item('confirmed'), item('declined')];
    const result = withdrawCase(items, 'in_review', now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state).toBe('withdrawn');
    expect(result.items.map((i) => i.state)).toEqual(['withdrawn', 'removed', 'withdrawn', 'declined']);
    expect(result.withdrawnItems).toEqual([0, 2]);
    expect(result.items[0].withdrawnAt).toEqual(now);
  });

  it.each<[CaseState, string]>([
    ['withdrawn', 'already_withdrawn'],
    ['resolved', 'case_closed'],
    ['rejected', 'case_closed'],
  ])('refuses a %s case', (state, code) => {
    expect(withdrawCase([item('removed')], state, now)).toMatchObject({ ok: false, error: { code } });
  });
});
