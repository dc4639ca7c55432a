import { escalationLevel, isBreached, rulesFor } from '@takedown/core';
import { appendAudit, type AuditEntry } from '../audit/chain.ts';
import type { Tx } from '../store/database.ts';
import { OPEN_ITEM_STATES } from '../store/rows.ts';

export const ESCALATION_JOB = 'deadlines.escalate';
/** Items looked at per run; the next run (a minute later by default) continues. Keeps each transaction short. */
const BATCH = 500;

/**
 * Moves open items up to the senior queue at the jurisdiction's escalation points (US: 24 h and 36 h after
 * receipt) and records a breach once when the deadline passes with the item still open, so that nobody first
 * learns of a breach from the compliance report.
 */
export async function escalateOpenItems(tx: Tx, now: Date): Promise<number> {
  const rows = await tx
    .selectFrom('items')
    .innerJoin('cases', 'cases.id', 'items.case_id')
    .select(['items.id', 'items.case_id', 'items.received_at', 'items.deadline_at', 'items.escalation_level', 'items.breached_at', 'items.state', 'cases.jurisdiction'])
    .where('items.state', 'in', [...OPEN_ITEM_STATES])
    .where((eb) => eb.or([eb('items.escalation_level', '<', 2), eb('items.breached_at', 'is', null)]))
    .where('items.received_at', '<=', now)
    .orderBy('items.deadline_at')
    .limit(BATCH)
    .execute();
  const events: AuditEntry[] = [];
  for (const row of rows) {
    const rules = rulesFor(row.jurisdiction);
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
    }
  }
  await appendAudit(tx, now, events);
  return events.length;
}
