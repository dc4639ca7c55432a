import { complianceByClock, type ClockCompliance, type Clock, type ComplianceItem, type DeclineReason, type ItemState } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { AuditHead } from './audit-verify.ts';
import type { OpenDatabase } from '../store/database.ts';

/**
 * A compliance report: the period, totals that can be added up across clocks (requests and items received),
 * one set of figures per clock (jurisdiction and deadline length: never a 24-hour item averaged with a 48-hour
 * one), and the audit log's head once the report itself was recorded in it.
 */
export interface ComplianceReport {
  from: Date;
  to: Date;
  /** The moment open items were judged at (the end of the period, or now if that is earlier). */
  asOf: Date;
  requestsReceived: number;
  itemsReceived: number;
  clocks: ClockCompliance[];
  auditHead: AuditHead;
}

/**
 * The compliance report for items received in [from, to): loads the item records with the jurisdiction their
 * case records and lets core do the arithmetic per clock (requests and items removed within the deadline, median
 * and p95 time to action and to removal, breaches with reasons). Demo cases are left out. Producing a report is recorded in the audit log, and the report carries the log's head after
 * that record: published with the report, it lets anyone holding it check later (`takedown audit verify
 * --expect-head`) that no event up to then has been deleted.
 */
export async function complianceReport(database: OpenDatabase, clock: Clock, from: Date, to: Date, actor: string): Promise<ComplianceReport> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const rows = await tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['items.id', 'items.case_id', 'items.received_at', 'items.deadline_at', 'items.removed_at', 'items.state', 'items.decline_reason', 'cases.jurisdiction'])
      .where('items.received_at', '>=', from)
      .where('items.received_at', '<', to)
      .where('cases.demo', '=', false)
      .execute();
    const items: ComplianceItem[] = rows.map((row) => {
      const item: ComplianceItem = { id: row.id, caseId: row.case_id, jurisdiction: row.jurisdiction, receivedAt: row.received_at, deadlineAt: row.deadline_at, state: row.state as ItemState };
      if (row.removed_at) item.removedAt = row.removed_at;
      if (row.decline_reason) item.declineReason = row.decline_reason as DeclineReason;
      return item;
    });
    const asOf = now < to ? now : to;
    const clocks = complianceByClock(items, from, to, asOf);
    const [recorded] = await appendAudit(tx, now, [
      { actor, action: 'report.created', reason: 'compliance report', data: { from: from.toISOString(), to: to.toISOString(), items: items.length } },
    ]);
    return {
      from,
      to,
      asOf,
      requestsReceived: new Set(items.map((i) => i.caseId)).size,
      itemsReceived: items.length,
      clocks,
      auditHead: { seq: recorded.seq, hash: recorded.hash },
    };
  });
}

const HOUR_MS = 3_600_000;

/**
 * The time each item received in [from, to) and removed took, in hours, with its deadline in hours and its
 * jurisdiction, for the compliance page's charts (one per clock, §3(a)(3)(A)). Only durations, deadlines and
 * jurisdictions: no ids, no PII.
 */
export async function removalTimes(database: OpenDatabase, from: Date, to: Date): Promise<{ hoursToRemoval: number; deadlineHours: number; jurisdiction: string }[]> {
  const rows = await database.transaction((tx) =>
    tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['items.received_at', 'items.deadline_at', 'items.removed_at', 'cases.jurisdiction'])
      .where('items.removed_at', 'is not', null)
      .where('items.received_at', '>=', from)
      .where('items.received_at', '<', to)
      .orderBy('items.received_at')
      .execute(),
  );
  const hours = (a: Date, b: Date) => Math.round(((b.getTime() - a.getTime()) / HOUR_MS) * 100) / 100;
  return rows.map((r) => ({ hoursToRemoval: hours(r.received_at, r.removed_at!), deadlineHours: hours(r.received_at, r.deadline_at), jurisdiction: r.jurisdiction }));
}
