import type { Actor, AuditEventType } from './audit-event.ts';
import { MINUTE_MS } from './clock.ts';
import { type DeclineReason, isDeclineReason } from './decline-reason.ts';
import { type Failure, failure } from './result.ts';

/**
 * The life of one depiction in a case:
 *
 *   pending ──confirm──▶ confirmed ──removed──▶ removed
 *      │                    │
 *      ├──decline──▶ declined ◀──decline (e.g. not on the platform after all)
 *      └──withdraw─▶ withdrawn ◀──withdraw (before the platform has removed it)
 *
 * `escalate` moves a pending or confirmed item to senior review without changing its state.
 * removed, declined and withdrawn are final: nothing leaves them.
 */
export const ITEM_STATES = ['pending', 'confirmed', 'removed', 'declined', 'withdrawn'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const FINAL_ITEM_STATES: readonly ItemState[] = ['removed', 'declined', 'withdrawn'];

export function isFinalItemState(state: ItemState): boolean {
  return FINAL_ITEM_STATES.includes(state);
}

/** What the domain needs to know about an item; the server's row may carry more (ids etc.), kept as is. */
export interface ItemSnapshot {
  state: ItemState;
  /** When the valid request that lists this item was received: the clock starts here. */
  receivedAt: Date;
  /** receivedAt + the jurisdiction's removal deadline (see itemDeadline). */
  deadlineAt: Date;
  /** Confirm or decline: when and by whom. */
  decidedAt?: Date;
  decidedBy?: Actor;
  declineReason?: DeclineReason;
  declineNote?: string;
  /** Sent to senior review by a person (time-based escalation is computed, see escalationLevel). */
  escalatedAt?: Date;
  escalatedBy?: Actor;
  escalationReason?: string;
  /** When the platform removed it: the clock stops here. */
  removedAt?: Date;
  withdrawnAt?: Date;
}

export type ItemEvent =
  /** A reviewer finds the request valid and the content NCII: the platform must remove it. */
  | { type: 'confirm'; actor: Actor }
  | { type: 'decline'; actor: Actor; reason: DeclineReason; note?: string }
  | { type: 'escalate'; actor: Actor; reason: string }
  /** The platform confirms removal (its own time `at`); stops the clock. */
  | { type: 'removed'; at: Date; actor?: Actor }
  /** The requester withdraws the item (or the whole case). */
  | { type: 'withdraw'; actor?: Actor };

export type ItemEventType = ItemEvent['type'];

/** What an accepted event changed, for the audit log and for the case state. */
export interface ItemChanges {
  from: ItemState;
  to: ItemState;
  /** The audit event the server records for this change. */
  auditType: AuditEventType;
  /** For the audit event's `reason`: the decline reason or escalation note. */
  reason?: string;
  /** True when this event stopped the removal clock. */
  clockStopped: boolean;
}

export type ItemEventResult<T extends ItemSnapshot> = { ok: true; item: T; changes: ItemChanges } | Failure;

/** Which states each event may start from. Everything not listed is an illegal transition. */
export const ITEM_TRANSITIONS: Readonly<Record<ItemEventType, readonly ItemState[]>> = Object.freeze({
  confirm: ['pending'],
  decline: ['pending', 'confirmed'],
  escalate: ['pending', 'confirmed'],
  removed: ['confirmed'],
  withdraw: ['pending', 'confirmed'],
});

/** A platform's clock may run a little ahead of ours; beyond this its removal time is refused. */
export const REMOVAL_TIME_SKEW_MS = 5 * MINUTE_MS;
export const MAX_NOTE_LENGTH = 2000;

/** "This item cannot be …" */
const CANNOT_BE: Record<ItemEventType, string> = {
  confirm: 'confirmed',
  decline: 'declined',
  escalate: 'escalated',
  removed: 'marked as removed',
  withdraw: 'withdrawn',
};

const STATE_PHRASE: Record<ItemState, string> = {
  pending: 'still waiting for a decision',
  confirmed: 'confirmed and waiting for the platform to remove it',
  removed: 'already removed',
  declined: 'already declined',
  withdrawn: 'withdrawn by the requester',
};

/**
 * Applies one event to an item and returns the new item (a copy; the input is not changed) with what changed,
 * or an error value for an illegal or incomplete event. Extra fields of `item` are kept.
 * @example
 * const result = applyItemEvent(item, { type: 'confirm', actor: { kind: 'staff', id: reviewerId } }, clock.now());
 * if (!result.ok) return reply.code(409).send({ error: result.error });
 */
export function applyItemEvent<T extends ItemSnapshot>(item: T, event: ItemEvent, now: Date): ItemEventResult<T> {
  // Events may come from outside TypeScript (a job payload, a webhook): an unknown type is an error value too.
  const allowedFrom = ITEM_TRANSITIONS[event.type] as readonly ItemState[] | undefined;
  if (allowedFrom === undefined) {
    return failure('unknown_event', `"${String(event.type)}" is not something that can happen to an item.`);
  }
  if (!allowedFrom.includes(item.state)) {
    return failure(
      'illegal_transition',
      `This item cannot be ${CANNOT_BE[event.type]}: it is ${STATE_PHRASE[item.state]}.`,
    );
  }
  const from = item.state;
  switch (event.type) {
    case 'confirm':
      return accepted({ ...item, state: 'confirmed', decidedAt: now, decidedBy: event.actor }, from, 'item.confirmed');

    case 'decline': {
      if (!isDeclineReason(event.reason)) {
        return failure('invalid_decline_reason', 'Please choose one of the listed reasons for declining.');
      }
      const note = typeof event.note === 'string' ? event.note.trim() : '';
      if (event.reason === 'other' && note === '') {
        return failure('note_required', 'Please write a short note saying why, when the reason is "other".');
      }
      if (note.length > MAX_NOTE_LENGTH) {
        return failure('note_too_long', `The note can be at most ${MAX_NOTE_LENGTH} characters; please shorten it.`);
      }
      const declined: T = { ...item, state: 'declined', decidedAt: now, decidedBy: event.actor, declineReason: event.reason };
      if (note !== '') declined.declineNote = note;
      return accepted(declined, from, 'item.declined', event.reason);
    }

    case 'escalate': {
      if (item.escalatedAt !== undefined) {
        return failure('already_escalated', 'This item is already with senior reviewers.');
      }
      const reason = typeof event.reason === 'string' ? event.reason.trim() : '';
      if (reason === '') return failure('reason_required', 'Please say why this item needs a senior reviewer.');
      if (reason.length > MAX_NOTE_LENGTH) {
        return failure('reason_too_long', `The reason can be at most ${MAX_NOTE_LENGTH} characters; please shorten it.`);
      }
      return accepted({ ...item, escalatedAt: now, escalatedBy: event.actor, escalationReason: reason }, from, 'item.escalated', reason);
    }

    case 'removed': {
      const at = event.at instanceof Date ? event.at.getTime() : Number.NaN;
      if (Number.isNaN(at)) return failure('invalid_removal_time', 'The removal time is not a valid date and time.');
      if (at < item.receivedAt.getTime()) {
        return failure('invalid_removal_time', 'The removal time is before the request was received; please check the platform clock.');
      }
      if (at > now.getTime() + REMOVAL_TIME_SKEW_MS) {
        return failure('invalid_removal_time', 'The removal time is in the future; please check the platform clock.');
      }
      // Within the skew, a platform time slightly ahead of ours counts as "now": the clock cannot stop later
      // than the moment we heard about the removal.
      const removedAt = new Date(Math.min(at, now.getTime()));
      return accepted({ ...item, state: 'removed', removedAt }, from, 'item.removed', undefined, true);
    }

    case 'withdraw':
      return accepted({ ...item, state: 'withdrawn', withdrawnAt: now }, from, 'item.withdrawn');
  }
}

function accepted<T extends ItemSnapshot>(
  item: T,
  from: ItemState,
  auditType: AuditEventType,
  reason?: string,
  clockStopped = false,
): ItemEventResult<T> {
  const changes: ItemChanges = { from, to: item.state, auditType, clockStopped };
  if (reason !== undefined) changes.reason = reason;
  return { ok: true, item, changes };
}
