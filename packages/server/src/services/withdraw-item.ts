import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import { applyToRow } from '../store/transitions.ts';
import { eraseItemPersonalData, erasePersonalData } from './erase-personal-data.ts';
import { checkPin, lockCase, readStatus, type CaseStatus, type PinAttempt, type RequesterContext, type RequesterResult } from './requester-case.ts';
import { updateCaseState } from './review.ts';

/** Why one item cannot be withdrawn: the case has no such item, or the item is no longer open (withdrawn or decided). */
export type ItemWithdrawRefusal = { kind: 'no_such_item' } | { kind: 'item_not_open'; state: string };

/**
 * The requester withdraws one item of their case, not the whole case (issue 17): the item stops, and its
 * personal data goes at once, as a case withdrawal deletes it for every item (its link, that link in webhook
 * events, the picture they shared, an uploader's appeal statement about it). The case's other items go on.
 * The case's state follows its items: the last open item withdrawn with every item withdrawn closes the case
 * as withdrawn, and then the case's own personal data (statements, contact) goes too, as for a case withdrawal.
 * The `item.withdrawn` audit event is what tells platforms that were asked to remove the item (`item.restore`,
 * and its hashes leave the banks: services/webhook-decisions.ts), exactly as for each item of a withdrawn case.
 * Withdrawing an item already withdrawn, removed or declined is refused: nothing changes.
 */
export async function withdrawItem(ctx: RequesterContext, attempt: PinAttempt & { itemId: string }): Promise<RequesterResult<CaseStatus> | ItemWithdrawRefusal> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const caseRow = await lockCase(tx, check.caseRow.id);
    const item = await tx.selectFrom('items').selectAll().where('case_id', '=', caseRow.id).where('id', '=', attempt.itemId).forUpdate().executeTakeFirst();
    if (!item) return { kind: 'no_such_item' };
    const next = applyToRow(item, { type: 'withdraw', actor: { kind: 'requester' } }, now, 'requester');
    if (!next.ok) return { kind: 'item_not_open', state: item.state };
    await tx.updateTable('items').set(next.update).where('id', '=', item.id).execute();
    const events: AuditEntry[] = [{ actor: 'requester', action: 'item.withdrawn', caseId: caseRow.id, itemId: item.id, data: { position: item.position, stateBefore: item.state } }];
    const state = await updateCaseState(tx, caseRow, now, 'requester', events);
    await appendAudit(tx, now, events);
    await eraseItemPersonalData(tx, now, ctx.sharedCopies, caseRow.id, [item.id]);
    if (state === 'withdrawn') await erasePersonalData(tx, now, ctx.sharedCopies, [{ caseId: caseRow.id, reason: { kind: 'withdrawn' } }]);
    return { kind: 'ok', value: await readStatus(tx, { ...caseRow, state }, now) };
  });
}
