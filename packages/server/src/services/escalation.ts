import { escalationLevel, escalationPointsFor, HOUR_MS, isBreached, lookupJurisdiction, type JurisdictionConfig } from '@takedown/core';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { Tx } from '../store/database.ts';
import { OPEN_ITEM_STATES } from '../store/rows.ts';
import { queueStaffAlert } from './notifications.ts';

export const ESCALATION_JOB = 'deadlines.escalate';
/** Items read per page. */
const BATCH = 500;

/**
 * Moves open items up to the senior queue at the jurisdiction's escalation points (US: 24 h and 36 h after
 * receipt) and records a breach once when the deadline passes with the item still open, so that nobody first
 * learns of a breach from the compliance report. An item on a regulator's own period (its deadline is not the
 * regime's usual one) climbs at the same fractions of its own clock (core's escalationPointsFor).
 */
export async function escalateOpenItems(tx: Tx, now: Date, jurisdictions?: JurisdictionConfig): Promise<number> {
  let changed = 0;
  let after: { deadline: Date; id: string } | undefined;
  // Keyset pages over every open item, soonest deadline first: one busy page never hides the items after it.
  for (;;) {
    let query = tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['items.id', 'items.case_id', 'items.position', 'items.received_at', 'items.deadline_at', 'items.escalation_level', 'items.breached_at', 'cases.jurisdiction', 'cases.case_number'])
      .where('items.state', 'in', [...OPEN_ITEM_STATES])
      .where((eb) => eb.or([eb('items.escalation_level', '<', 2), eb('items.breached_at', 'is', null)]))
      .where('items.received_at', '<=', now);
    if (after) {
      const { deadline, id } = after;
      query = query.where((eb) => eb.or([eb('items.deadline_at', '>', deadline), eb.and([eb('items.deadline_at', '=', deadline), eb('items.id', '>', id)])]));
    }
    const rows = await query.orderBy('items.deadline_at').orderBy('items.id').limit(BATCH).execute();
    changed += await escalateRows(tx, now, rows, jurisdictions);
    if (rows.length < BATCH) return changed;
    after = { deadline: rows[rows.length - 1].deadline_at, id: rows[rows.length - 1].id };
  }
}

async function escalateRows(
  tx: Tx,
  now: Date,
  rows: { id: string; case_id: string; position: number; case_number: string; received_at: Date; deadline_at: Date; escalation_level: number; breached_at: Date | null; jurisdiction: string }[],
  jurisdictions: JurisdictionConfig | undefined,
): Promise<number> {
  const events: AuditEntry[] = [];
  for (const row of rows) {
    const clockHours = (row.deadline_at.getTime() - row.received_at.getTime()) / HOUR_MS;
    const found = lookupJurisdiction(row.jurisdiction, jurisdictions);
    // A code the configuration dropped while cases on it were open: half and three quarters of the item's own
    // clock, so one such case never stops the job for every other.
    const profile = found.ok ? found.rules : { code: row.jurisdiction, removalDeadlineHours: clockHours, escalationAfterHours: [clockHours / 2, (clockHours * 3) / 4] };
    const rules = { code: profile.code, removalDeadlineHours: clockHours, escalationAfterHours: escalationPointsFor(profile, clockHours) };
    const level = escalationLevel(row.received_at, now, rules);
    const breached = isBreached(row.deadline_at, now) && row.breached_at === null;
    if (level <= row.escalation_level && !breached) continue;
    if (level > row.escalation_level) {
      const hours = rules.escalationAfterHours[level - 1];
      await tx.updateTable('items').set({ escalation_level: level }).where('id', '=', row.id).execute();
      events.push({
        actor: 'system',
        action: 'item.escalated',
        caseId: row.case_id,
        itemId: row.id,
        reason: `${hours} hours since the request without removal`,
        data: { from: row.escalation_level, to: level, escalationAfterHours: rules.escalationAfterHours, jurisdiction: rules.code },
      });
      if (!breached) await queueStaffAlert(tx, now, row.case_id, { kind: 'item_escalated', data: { caseNumber: row.case_number, position: row.position + 1, level, deadline: row.deadline_at.toISOString() } });
    }
    if (breached) {
      await tx.updateTable('items').set({ breached_at: now }).where('id', '=', row.id).execute();
      events.push({
        actor: 'system',
        action: 'item.deadline_breached',
        caseId: row.case_id,
        itemId: row.id,
        reason: `not removed within ${rules.removalDeadlineHours} hours`,
        data: { deadline: row.deadline_at.toISOString(), removalDeadlineHours: rules.removalDeadlineHours, jurisdiction: rules.code },
      });
      await queueStaffAlert(tx, now, row.case_id, { kind: 'item_breached', data: { caseNumber: row.case_number, position: row.position + 1, deadline: row.deadline_at.toISOString() } });
    }
  }
  await appendAudit(tx, now, events);
  return events.length;
}
