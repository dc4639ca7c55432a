import { complianceSummary, type Clock, type ComplianceItem, type ComplianceSummary, type DeclineReason, type ItemState } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { AuditHead } from './audit-verify.ts';
import type { OpenDatabase } from '../store/database.ts';

/** A compliance report, with the audit log's head once the report itself was recorded in it. */
export type ComplianceReport = ComplianceSummary & { auditHead: AuditHead };

/**
 * The compliance report for items received in [from, to): loads the item records and lets core do the
 * arithmetic (removed within the deadline, median and p95 time to removal, breaches with reasons). Demo cases
 * are left out. Producing a report is recorded in the audit log, and the report carries the log's head after
 * that record: published with the report, it lets anyone holding it check later (`takedown audit verify
 * --expect-head`) that no event up to then has been deleted.
 */
export async function complianceReport(database: OpenDatabase, clock: Clock, from: Date, to: Date, actor: string): Promise<ComplianceReport> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const rows = await tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['items.id', 'items.case_id', 'items.received_at', 'items.deadline_at', 'items.removed_at', 'items.state', 'items.decline_reason'])
      .where('items.received_at', '>=', from)
      .where('items.received_at', '<', to)
      .where('cases.demo', '=', false)
      .execute();
    const items: ComplianceItem[] = rows.map((row) => {
      const item: ComplianceItem = { id: row.id, caseId: row.case_id, receivedAt: row.received_at, deadlineAt: row.deadline_at, state: row.state as ItemState };
      if (row.removed_at) item.removedAt = row.removed_at;
      if (row.decline_reason) item.declineReason = row.decline_reason as DeclineReason;
      return item;
    });
    const summary = complianceSummary(items, from, to, now < to ? now : to);
    const [recorded] = await appendAudit(tx, now, [
      { actor, action: 'report.created', reason: 'compliance report', data: { from: from.toISOString(), to: to.toISOString(), items: items.length } },
    ]);
    return { ...summary, auditHead: { seq: recorded.seq, hash: recorded.hash } };
  });
}

const HOUR_MS = 3_600_000;

/**
 * The time each item received in [from, to) and removed took, in hours, with its deadline in hours, for the
 * compliance page's chart (§3(a)(3)(A)). Only durations and deadlines: no ids, no PII.
 */
export async function removalTimes(database: OpenDatabase, from: Date, to: Date): Promise<{ hoursToRemoval: number; deadlineHours: number }[]> {
  const rows = await database.transaction((tx) =>
    tx
      .selectFrom('items')
      .select(['received_at', 'deadline_at', 'removed_at'])
      .where('removed_at', 'is not', null)
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .orderBy('received_at')
      .execute(),
  );
  const hours = (a: Date, b: Date) => Math.round(((b.getTime() - a.getTime()) / HOUR_MS) * 100) / 100;
  return rows.map((r) => ({ hoursToRemoval: hours(r.received_at, r.removed_at!), deadlineHours: hours(r.received_at, r.deadline_at) }));
}
