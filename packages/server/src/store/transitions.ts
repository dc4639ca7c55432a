import { applyItemEvent, deriveCaseState, type CaseState, type ItemEvent, type ItemSnapshot, type ItemState } from '@takedown/core';
import type { ItemRow } from './rows.ts';

/**
 * The one place where the server asks the domain (packages/core) what an event does to an item row. Rows are
 * turned into core's ItemSnapshot, the event applied, and the result turned back into the columns to write.
 */
export function snapshotOf(row: ItemRow): ItemSnapshot {
  const snapshot: ItemSnapshot = { state: row.state as ItemState, receivedAt: row.received_at, deadlineAt: row.deadline_at };
  if (row.decided_at) snapshot.decidedAt = row.decided_at;
  if (row.escalated_at) snapshot.escalatedAt = row.escalated_at;
  if (row.removed_at) snapshot.removedAt = row.removed_at;
  if (row.decline_reason) snapshot.declineReason = row.decline_reason as ItemSnapshot['declineReason'];
  return snapshot;
}

export type ItemUpdate = {
  state: string;
  decided_at: Date | null;
  decided_by: string | null;
  decline_reason: string | null;
  decline_note: string | null;
  escalated_at: Date | null;
  escalation_reason: string | null;
  removed_at: Date | null;
};

export type Transition =
  | { ok: true; update: ItemUpdate; auditType: string; reason?: string; from: string; to: string }
  | { ok: false; code: string; message: string };

/** Applies `event` to the item row; `decidedBy` is the actor string stored on the row. */
export function applyToRow(row: ItemRow, event: ItemEvent, now: Date, decidedBy: string | null): Transition {
  const result = applyItemEvent(snapshotOf(row), event, now);
  if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message };
  const item = result.item;
  const decided = item.decidedAt !== undefined && item.decidedAt !== row.decided_at;
  return {
    ok: true,
    from: result.changes.from,
    to: result.changes.to,
    auditType: result.changes.auditType,
    reason: result.changes.reason,
    update: {
      state: item.state,
      decided_at: item.decidedAt ?? null,
      decided_by: decided ? decidedBy : row.decided_by,
      decline_reason: item.declineReason ?? row.decline_reason,
      decline_note: item.declineNote ?? row.decline_note,
      escalated_at: item.escalatedAt ?? null,
      escalation_reason: item.escalationReason ?? row.escalation_reason,
      removed_at: item.removedAt ?? null,
    },
  };
}

export function caseStateFor(items: { state: string }[], current: string): string {
  return deriveCaseState(items as { state: ItemState }[], current as CaseState);
}

/** Case states after which nothing more happens to the case (retention counts from here). */
export const CLOSED_CASE_STATES = ['resolved', 'withdrawn', 'rejected'];
