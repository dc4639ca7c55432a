import type { Clock } from '@takedown/core';
import { appendAudit, toAuditRow, type AuditRow } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';

export interface AuditLogQuery {
  /** Only events with a sequence number greater than this. */
  after: number;
  limit: number;
  caseId?: string;
  action?: string;
}

/** A page of the audit log for an auditor or admin, oldest first; reading it is recorded in the same log. */
export async function readAuditLog(database: OpenDatabase, clock: Clock, actor: string, query: AuditLogQuery): Promise<AuditRow[]> {
  const rows = await database.transaction(async (tx) => {
    let select = tx.selectFrom('audit_events').selectAll().where('seq', '>', query.after);
    if (query.caseId) select = select.where('case_id', '=', query.caseId);
    if (query.action) select = select.where('action', '=', query.action);
    const found = await select.orderBy('seq').limit(query.limit).execute();
    // Reading the log is an export of evidence: recorded too.
    await appendAudit(tx, clock.now(), [{ actor, action: 'export.created', reason: 'audit log read', data: { after: query.after, rows: found.length, caseId: query.caseId ?? null, action: query.action ?? null } }]);
    return found;
  });
  return rows.map(toAuditRow);
}
