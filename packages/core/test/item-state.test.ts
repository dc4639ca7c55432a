import { describe, expect, it } from 'vitest';
import {
  type Actor,
  DECLINE_REASONS,
  HOUR_MS,
  ITEM_STATES,
  type ItemEvent,
  type ItemSnapshot,
  type ItemState,
  MINUTE_MS,
  applyItemEvent,
} from '../src/index.ts';

const reviewer: Actor = { kind: 'staff', id: 'u1' };
const receivedAt = new Date('2026-05-19T10:00:00Z');
const now = new Date(receivedAt.getTime() + 3 * HOUR_MS);

function item(state: ItemState, extra: Partial<ItemSnapshot> = {}): ItemSnapshot & { id: string } {
  return { id: 'item-1', state, receivedAt, deadlineAt: new Date(receivedAt.getTime() + 48 * HOUR_MS), ...extra };
}

const events: Record<ItemEvent['type'], ItemEvent> = {
  confirm: { type: 'confirm', actor: reviewer },
  decline: { type: 'decline', actor: reviewer, reason: 'not_intimate' },
  escalate: { type: 'escalate', actor: reviewer, reason: 'public figure' },
  removed: { type: 'removed', at: now },
  withdraw: { type: 'withdraw' },
};

// The whole transition table, written out: [event, from] → resulting state, or undefined when illegal.
const expected: Record<ItemEvent['type'], Partial<Record<ItemState, ItemState>>> = {
  confirm: { pending: 'confirmed' },
  decline: { pending: 'declined', confirmed: 'declined' },
  escalate: { pending: 'pending', confirmed: 'confirmed' },
  removed: { confirmed: 'removed' },
  withdraw: { pending: 'withdrawn', confirmed: 'withdrawn' },
};

describe('applyItemEvent: the transition table', () => {
  for (const [type, event] of Object.entries(events) as [ItemEvent['type'], ItemEvent][]) {
    for (const from of ITEM_STATES) {
      const to = expected[type][from];
      it(`${type} from ${from} → ${to ?? 'refused'}`, () => {
        const result = applyItemEvent(item(from), event, now);
        if (to === undefined) {
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.error.code).toBe('illegal_transition');
            expect(result.error.message).toMatch(/^This item cannot be /);
          }
        } else {
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.item.state).toBe(to);
        }
      });
    }
  }

  it('refuses an event type it does not know, as a value', () => {
    const odd = { type: 'restore', actor: reviewer } as unknown as ItemEvent;
    expect(applyItemEvent(item('removed'), odd, now)).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
  });

  it('nothing leaves a final state', () => {
    for (const from of ['removed', 'declined', 'withdrawn'] as const) {
      for (const event of Object.values(events)) expect(applyItemEvent(item(from), event, now).ok).toBe(false);
    }
  });
});

describe('applyItemEvent: what each event records', () => {
  it('confirm records who and when, keeps extra fields, does not change the input', () => {
    const before = item('pending');
    const result = applyItemEvent(before, events.confirm, now);
    expect(result).toEqual({
      ok: true,
      item: { ...before, state: 'confirmed', decidedAt: now, decidedBy: reviewer },
      changes: { from: 'pending', to: 'confirmed', auditType: 'item.confirmed', clockStopped: false },
    });
    expect(before.state).toBe('pending');
    if (result.ok) expect(result.item.id).toBe('item-1');
  });

  it('decline records the reason and an optional note', () => {
    const result = applyItemEvent(item('pending'), { type: 'decline', actor: reviewer, reason: 'duplicate', note: '  same as item 2 ' }, now);
    expect(result.ok && result.item).toMatchObject({ state: 'declined', declineReason: 'duplicate', declineNote: 'same as item 2', decidedBy: reviewer });
    expect(result.ok && result.changes).toMatchObject({ auditType: 'item.declined', reason: 'duplicate' });
  });

  it('accepts every listed decline reason and refuses others', () => {
    for (const reason of DECLINE_REASONS) {
      const note = reason === 'other' ? 'explained here' : undefined;
      expect(applyItemEvent(item('pending'), { type: 'decline', actor: reviewer, reason, note }, now).ok).toBe(true);
    }
    const bad = { type: 'decline', actor: reviewer, reason: 'dont_like_it' } as unknown as ItemEvent;
    expect(applyItemEvent(item('pending'), bad, now)).toMatchObject({ ok: false, error: { code: 'invalid_decline_reason' } });
  });

  it('needs a note for "other", within the length limit', () => {
    expect(applyItemEvent(item('pending'), { type: 'decline', actor: reviewer, reason: 'other' }, now)).toMatchObject({
      ok: false,
      error: { code: 'note_required' },
    });
    expect(applyItemEvent(item('pending'), { type: 'decline', actor: reviewer, reason: 'other', note: '   ' }, now).ok).toBe(false);
    expect(applyItemEvent(item('pending'), { type: 'decline', actor: reviewer, reason: 'other', note: 'x'.repeat(2001) }, now)).toMatchObject({
      ok: false,
      error: { code: 'note_too_long' },
    });
  });

  it('escalate keeps the state, records the reason, and happens once', () => {
    const result = applyItemEvent(item('pending'), events.escalate, now);
    expect(result.ok && result.item).toMatchObject({ state: 'pending', escalatedAt: now, escalatedBy: reviewer, escalationReason: 'public figure' });
    expect(result.ok && result.changes).toMatchObject({ from: 'pending', to: 'pending', auditType: 'item.escalated' });
    if (!result.ok) return;
    expect(applyItemEvent(result.item, events.escalate, now)).toMatchObject({ ok: false, error: { code: 'already_escalated' } });
    expect(applyItemEvent(item('pending'), { type: 'escalate', actor: reviewer, reason: ' ' }, now)).toMatchObject({
      ok: false,
      error: { code: 'reason_required' },
    });
  });

  it('removed stops the clock at the platform time', () => {
    const at = new Date(now.getTime() - 30 * MINUTE_MS);
    const result = applyItemEvent(item('confirmed'), { type: 'removed', at }, now);
    expect(result.ok && result.item.removedAt).toEqual(at);
    expect(result.ok && result.changes).toMatchObject({ auditType: 'item.removed', clockStopped: true });
  });

  it('removed: a platform clock slightly ahead counts as now; far ahead, before receipt or invalid is refused', () => {
    const slightlyAhead = applyItemEvent(item('confirmed'), { type: 'removed', at: new Date(now.getTime() + 2 * MINUTE_MS) }, now);
    expect(slightlyAhead.ok && slightlyAhead.item.removedAt).toEqual(now);
    for (const at of [new Date(now.getTime() + HOUR_MS), new Date(receivedAt.getTime() - 1), new Date('nope')]) {
      expect(applyItemEvent(item('confirmed'), { type: 'removed', at }, now)).toMatchObject({ ok: false, error: { code: 'invalid_removal_time' } });
    }
  });

  it('withdraw records when', () => {
    const result = applyItemEvent(item('confirmed'), events.withdraw, now);
    expect(result.ok && result.item).toMatchObject({ state: 'withdrawn', withdrawnAt: now });
    expect(result.ok && result.changes.auditType).toBe('item.withdrawn');
  });
});
