import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { Tx } from '../store/database.ts';
import { queueStaffAlert } from './notifications.ts';

export const APPEAL_OVERDUE = 'appeal.overdue';

/**
 * Open appeals past their decision time (DSA Art. 20: decided "in a timely manner", within the time the
 * deployment states): each is recorded once in the audit log and senior staff and admins are told once. The
 * appeal stays open and keeps its place at the top of the appeal queue. Returns how many were flagged.
 */
export async function flagOverdueAppeals(tx: Tx, now: Date): Promise<number> {
  const rows = await tx
    .selectFrom('item_appeals as a')
    .innerJoin('items as i', 'i.id', 'a.item_id')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.item_id', 'a.case_id', 'a.due_at', 'i.position', 'c.case_number'])
    .where('a.state', '=', 'open')
    .where('a.due_at', '<=', now)
    .where('a.overdue_at', 'is', null)
    .orderBy('a.due_at')
    .forUpdate('a')
    .execute();
  if (rows.length === 0) return 0;
  const audit: AuditEntry[] = [];
  for (const row of rows) {
    await tx.updateTable('item_appeals').set({ overdue_at: now }).where('id', '=', row.id).execute();
    audit.push({ actor: 'system', action: APPEAL_OVERDUE, caseId: row.case_id, itemId: row.item_id, reason: 'the appeal was not decided by its due time', data: { appealId: row.id, dueAt: row.due_at.toISOString() } });
    await queueStaffAlert(tx, now, row.case_id, { kind: 'appeal_overdue', data: { caseNumber: row.case_number, position: row.position + 1, due: row.due_at.toISOString() } });
  }
  await appendAudit(tx, now, audit);
  return rows.length;
}
