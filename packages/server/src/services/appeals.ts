import { randomUUID } from 'node:crypto';
import { appealDueAt, appealStateAfter, checkAppealable, checkAppealDecider, checkAppealDecision, type Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import { decryptJson, encryptJson } from '../crypto/pii.ts';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { platformHostsItem } from '../store/item-hosting.ts';
import { queuePlatformEvents } from '../store/platform-events.ts';
import { bytes, itemHashes } from '../store/rows.ts';
import { applyToRow } from '../store/transitions.ts';
import { queueRequesterNotice } from './notifications.ts';
import { updateCaseState, type ReviewResult, type StaffActor } from './review.ts';

/** The audit actions of an appeal: the domain events notifications can follow (same transaction as the change). */
export const APPEAL_OPENED = 'appeal.opened';
export const APPEAL_DECIDED = 'appeal.decided';

export interface AppealSummary {
  appealId: string;
  itemId: string;
  state: string;
  openedAt: Date;
  dueAt: Date;
}

export type OpenAppealResult =
  | { kind: 'ok'; value: AppealSummary }
  /** The platform does not host the item (or there is no such item): the same answer, no enumeration. */
  | { kind: 'not_found' }
  | { kind: 'conflict'; code: string; message: string };

function sealStatement(keys: Keys, appealId: string, statement: string): Buffer {
  return encryptJson(keys.pii, { statement }, `appeal:${appealId}`);
}

function openStatement(keys: Keys, appealId: string, sealed: Buffer): string {
  return decryptJson<{ statement: string }>(keys.pii, sealed, `appeal:${appealId}`).statement;
}

/**
 * The hosting platform sends its uploader's appeal against a removal (DSA Art. 20). One transaction: the platform
 * must host the item, the item must have been removed (or confirmed for removal), and no other appeal may be open
 * for it (a unique index makes a race lose with the same answer). The uploader's statement is stored encrypted;
 * the audit event carries no word of it.
 */
export async function openAppeal(
  database: OpenDatabase,
  keys: Keys,
  clock: Clock,
  platform: { platformId: string; keyId: string },
  itemId: string,
  statement: string,
  decideWithinHours: number,
): Promise<OpenAppealResult> {
  const now = clock.now();
  const appealId = randomUUID();
  const sealed = sealStatement(keys, appealId, statement);
  return database.transaction(async (tx): Promise<OpenAppealResult> => {
    if (!(await platformHostsItem(tx, platform.platformId, itemId))) return { kind: 'not_found' };
    const item = await tx.selectFrom('items').select(['id', 'case_id', 'position', 'state', 'decided_by']).where('id', '=', itemId).forUpdate().executeTakeFirstOrThrow();
    const open = await tx.selectFrom('item_appeals').select('id').where('item_id', '=', itemId).where('state', '=', 'open').executeTakeFirst();
    const allowed = checkAppealable(item.state, open !== undefined);
    if (!allowed.ok) return { kind: 'conflict', code: allowed.error.code, message: allowed.error.message };
    const dueAt = appealDueAt(now, decideWithinHours);
    await tx
      .insertInto('item_appeals')
      .values({
        id: appealId,
        item_id: itemId,
        case_id: item.case_id,
        platform_id: platform.platformId,
        state: 'open',
        statement: sealed,
        opened_by: `platform:${platform.keyId}`,
        opened_at: now,
        due_at: dueAt,
        item_decided_by: item.decided_by,
        decided_at: null,
        decided_by: null,
        decision_reason: null,
      })
      .execute();
    await appendAudit(tx, now, [{ actor: `platform:${platform.keyId}`, action: APPEAL_OPENED, caseId: item.case_id, itemId, data: { appealId, itemState: item.state, dueAt: dueAt.toISOString() } }]);
    // The person depicted, if they asked to be told, hears that the removal is being looked at again; never by whom.
    const { case_number: caseNumber } = await tx.selectFrom('cases').select('case_number').where('id', '=', item.case_id).executeTakeFirstOrThrow();
    await queueRequesterNotice(tx, now, item.case_id, { kind: 'appeal_received', data: { caseNumber, position: item.position + 1 } });
    return { kind: 'ok', value: { appealId, itemId, state: 'open', openedAt: now, dueAt } };
  });
}

export interface AppealQueueEntry {
  appealId: string;
  itemId: string;
  caseNumber: string;
  state: string;
  itemState: string;
  jurisdiction: string;
  openedAt: Date;
  dueAt: Date;
  overdue: boolean;
  /** Who decided the item: they may not decide the appeal. */
  itemDecidedBy?: string;
  decidedAt?: Date;
  decidedBy?: string;
  reason?: string;
  demo: boolean;
}

type AppealRow = {
  id: string;
  item_id: string;
  state: string;
  opened_at: Date;
  due_at: Date;
  item_decided_by: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  case_number: string;
  jurisdiction: string;
  demo: boolean;
  item_state: string;
};

function entryOf(row: AppealRow, now: Date): AppealQueueEntry {
  return {
    appealId: row.id,
    itemId: row.item_id,
    caseNumber: row.case_number,
    state: row.state,
    itemState: row.item_state,
    jurisdiction: row.jurisdiction,
    openedAt: row.opened_at,
    dueAt: row.due_at,
    overdue: row.state === 'open' && row.due_at <= now,
    itemDecidedBy: row.item_decided_by ?? undefined,
    decidedAt: row.decided_at ?? undefined,
    decidedBy: row.decided_by ?? undefined,
    reason: row.decision_reason ?? undefined,
    demo: row.demo,
  };
}

function appealRows(tx: Tx) {
  return tx
    .selectFrom('item_appeals')
    .innerJoin('items', 'items.id', 'item_appeals.item_id')
    .innerJoin('cases', 'cases.id', 'item_appeals.case_id')
    .select([
      'item_appeals.id',
      'item_appeals.item_id',
      'item_appeals.state',
      'item_appeals.opened_at',
      'item_appeals.due_at',
      'item_appeals.item_decided_by',
      'item_appeals.decided_at',
      'item_appeals.decided_by',
      'item_appeals.decision_reason',
      'cases.case_number',
      'cases.jurisdiction',
      'cases.demo',
      'items.state as item_state',
    ]);
}

/** The appeal queue: open appeals soonest due first (overdue on top), or decided ones newest first. */
export async function appealQueue(database: OpenDatabase, clock: Clock, filter: { state: 'open' | 'decided'; limit: number; offset: number }): Promise<AppealQueueEntry[]> {
  const now = clock.now();
  const rows = await database.transaction((tx) => {
    const query = appealRows(tx);
    return (filter.state === 'open' ? query.where('item_appeals.state', '=', 'open').orderBy('item_appeals.due_at') : query.where('item_appeals.state', '!=', 'open').orderBy('item_appeals.decided_at', 'desc'))
      .orderBy('item_appeals.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
  });
  return rows.map((row) => entryOf(row, now));
}

export interface AppealDetail extends AppealQueueEntry {
  /** The uploader's statement, decrypted for staff; null once the case's personal data was deleted. */
  statement: string | null;
  url?: string;
  hashes: Record<string, unknown>;
  declineReason?: string;
}

/** One appeal with the uploader's statement (reading it is recorded as access, like a case's statements). */
export async function appealDetail(database: OpenDatabase, keys: Keys, clock: Clock, staff: StaffActor, appealId: string): Promise<ReviewResult<AppealDetail>> {
  const now = clock.now();
  if (!/^[0-9a-f-]{36}$/i.test(appealId)) return { kind: 'not_found' };
  return database.transaction(async (tx) => {
    const row = await appealRows(tx).select(['item_appeals.statement', 'items.url', 'items.signals', 'items.decline_reason', 'item_appeals.case_id']).where('item_appeals.id', '=', appealId).executeTakeFirst();
    if (!row) return { kind: 'not_found' };
    const sealed = bytes(row.statement);
    await appendAudit(tx, now, [{ actor: staff.actor, action: 'appeal.viewed', caseId: row.case_id, itemId: row.item_id, data: { appealId } }]);
    return {
      kind: 'ok',
      value: {
        ...entryOf(row, now),
        statement: sealed ? openStatement(keys, row.id, sealed) : null,
        url: row.url ?? undefined,
        hashes: itemHashes(row),
        declineReason: row.decline_reason ?? undefined,
      },
    };
  });
}

/**
 * A senior reviewer decides an appeal, with reasons, in one transaction: never the person who decided the item.
 * Upheld: the removal is reversed. An item still waiting for the platform is declined (the decision follower
 * then sends `item.restore` and takes its hashes out of the banks); a removed item keeps its place in the
 * clock's record, and the `appeal.decided` audit event asks the follower for the same restore. The platform that
 * sent the appeal gets `appeal.decided` with the outcome and the reasons.
 */
export async function decideAppeal(
  database: OpenDatabase,
  clock: Clock,
  staff: StaffActor,
  appealId: string,
  body: { decision: string; reason?: string },
): Promise<ReviewResult<{ appealId: string; state: string; itemState: string }>> {
  const now = clock.now();
  const checked = checkAppealDecision(body);
  if (!checked.ok) return { kind: 'invalid', field: checked.error.code === 'invalid_decision' ? 'decision' : 'reason', message: checked.error.message };
  if (!/^[0-9a-f-]{36}$/i.test(appealId)) return { kind: 'not_found' };
  return database.transaction(async (tx) => {
    const appeal = await tx.selectFrom('item_appeals').selectAll().where('id', '=', appealId).forUpdate().executeTakeFirst();
    if (!appeal) return { kind: 'not_found' };
    if (appeal.state !== 'open') return { kind: 'conflict', code: 'appeal_decided', message: `This appeal was already decided (${appeal.state}).` };
    const decider = checkAppealDecider(staff.actor, appeal.item_decided_by);
    if (!decider.ok) return { kind: 'forbidden', message: decider.error.message };
    const item = await tx.selectFrom('items').selectAll().where('id', '=', appeal.item_id).forUpdate().executeTakeFirstOrThrow();
    const caseRow = await tx.selectFrom('cases').selectAll().where('id', '=', appeal.case_id).forUpdate().executeTakeFirstOrThrow();
    const state = appealStateAfter(checked.decision);
    await tx.updateTable('item_appeals').set({ state, decided_at: now, decided_by: staff.actor, decision_reason: checked.reason }).where('id', '=', appealId).execute();
    const events: AuditEntry[] = [];
    let itemState = item.state;
    // The removal is reversed: an item not yet removed is declined (the follower restores it from item.declined);
    // a removed one is restored from this event (restoreRemoved).
    const declineFirst = state === 'upheld' && item.state === 'confirmed';
    if (declineFirst) {
      const next = applyToRow(item, { type: 'decline', actor: { kind: 'staff', id: staff.userId }, reason: 'other', note: `Appeal upheld: ${checked.reason}` }, now, staff.actor);
      if (next.ok) {
        await tx.updateTable('items').set(next.update).where('id', '=', item.id).execute();
        itemState = next.update.state;
        events.push({ actor: staff.actor, action: next.auditType, caseId: caseRow.id, itemId: item.id, reason: `other: Appeal upheld: ${checked.reason}`, data: { stateBefore: next.from, stateAfter: next.to, appealId } });
      }
    }
    events.push({
      actor: staff.actor,
      action: APPEAL_DECIDED,
      caseId: caseRow.id,
      itemId: item.id,
      reason: checked.reason,
      data: { appealId, outcome: state, itemState, restoreRemoved: state === 'upheld' && item.state === 'removed', beforeDue: now <= appeal.due_at },
    });
    await queuePlatformEvents(tx, now, [
      { platformId: appeal.platform_id, type: 'appeal.decided', itemId: item.id, caseId: caseRow.id, data: { appealId, itemId: item.id, outcome: state, reason: checked.reason, decidedAt: now.toISOString() } },
    ]);
    if (declineFirst) await updateCaseState(tx, caseRow, now, staff.actor, events);
    await appendAudit(tx, now, events);
    await queueRequesterNotice(tx, now, caseRow.id, { kind: 'appeal_decided', data: { caseNumber: caseRow.case_number, position: item.position + 1, outcome: state === 'upheld' ? 'changed' : 'unchanged' } });
    return { kind: 'ok', value: { appealId, state, itemState } };
  });
}

/** The appeals on a case's items as the person depicted sees them: that one exists and how it ended, nothing of who. */
export async function appealsOfCase(tx: Tx, caseId: string): Promise<Map<string, { state: string; openedAt: Date; decidedAt?: Date }>> {
  const rows = await tx.selectFrom('item_appeals').select(['item_id', 'state', 'opened_at', 'decided_at']).where('case_id', '=', caseId).orderBy('opened_at').execute();
  // The latest appeal per item speaks for it.
  return new Map(rows.map((row) => [row.item_id, { state: row.state, openedAt: row.opened_at, decidedAt: row.decided_at ?? undefined }]));
}
