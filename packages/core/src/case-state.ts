import type { AuditEventType } from './audit-event.ts';
import { type ItemSnapshot, type ItemState, applyItemEvent, isFinalItemState } from './item-state.ts';
import { type Failure, failure } from './result.ts';

/**
 * The state of a case follows from its items:
 *
 *   received ──first decision on any item──▶ in_review ──every item final──▶ resolved
 *       │                                        │                      └─▶ rejected (nothing removed, something declined)
 *       └──────────── requester withdraws ───────┴──────────────────────────▶ withdrawn
 *
 * withdrawn is final. resolved and rejected reopen to in_review when the requester adds items.
 */
export const CASE_STATES = ['received', 'in_review', 'resolved', 'withdrawn', 'rejected'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** The audit event to record when a case enters a state. */
export const CASE_STATE_AUDIT_TYPE: Readonly<Record<CaseState, AuditEventType>> = Object.freeze({
  received: 'case.received',
  in_review: 'case.in_review',
  resolved: 'case.resolved',
  withdrawn: 'case.withdrawn',
  rejected: 'case.rejected',
});

/**
 * The case state implied by its items, given the state it is in now.
 * - withdrawn stays withdrawn (the requester's choice is final);
 * - every item final: all withdrawn → withdrawn; none removed and at least one declined → rejected (a notifier's
 *   rejected requests count towards senior routing); otherwise resolved;
 * - otherwise received while every item the requester kept is still pending and the case was received, else
 *   in_review (withdrawing one item is the requester's choice, not a decision: the case is not "being reviewed").
 */
export function deriveCaseState(items: ReadonlyArray<{ state: ItemState }>, current: CaseState): CaseState {
  if (current === 'withdrawn' || items.length === 0) return current;
  if (items.every((item) => isFinalItemState(item.state))) {
    if (items.every((item) => item.state === 'withdrawn')) return 'withdrawn';
    const removedAny = items.some((item) => item.state === 'removed');
    const declinedAny = items.some((item) => item.state === 'declined');
    return !removedAny && declinedAny ? 'rejected' : 'resolved';
  }
  if (current === 'received' && items.every((item) => item.state === 'pending' || item.state === 'withdrawn')) return 'received';
  return 'in_review';
}

/** Requesters may add items to any case they have not withdrawn (a closed case reopens for the new items). */
export function canAddItems(current: CaseState): boolean {
  return current !== 'withdrawn';
}

/**
 * The requester withdraws the whole case: every item still pending or confirmed becomes withdrawn (the
 * server cancels any removal it asked the platform for); items already removed or declined keep their state.
 */
export function withdrawCase<T extends ItemSnapshot>(
  items: readonly T[],
  current: CaseState,
  now: Date,
): { ok: true; state: 'withdrawn'; items: T[]; withdrawnItems: number[] } | Failure {
  if (current === 'withdrawn') return failure('already_withdrawn', 'This request has already been withdrawn.');
  if (current === 'resolved' || current === 'rejected') {
    return failure('case_closed', 'Every item in this request has already been decided, so there is nothing left to withdraw.');
  }
  const withdrawnItems: number[] = [];
  const next = items.map((item, index) => {
    if (isFinalItemState(item.state)) return item;
    const result = applyItemEvent(item, { type: 'withdraw', actor: { kind: 'requester' } }, now);
    if (!result.ok) return item; // unreachable: every non-final state may be withdrawn
    withdrawnItems.push(index);
    return result.item;
  });
  return { ok: true, state: 'withdrawn', items: next, withdrawnItems };
}
