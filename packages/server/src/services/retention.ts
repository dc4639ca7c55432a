import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { Tx } from '../store/database.ts';

export const RETENTION_JOB = 'pii.retention';
const BATCH = 200;

/**
 * Deletes the PII of cases closed longer than the retention period (default one year): the encrypted
 * statements and contacts, and the item URLs. What stays is the audit skeleton: states, deadlines, decisions
 * and their reasons, the hashes (still needed to keep a confirmed item from coming back).
 */
export async function deleteExpiredPii(tx: Tx, now: Date, retentionMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionMs);
  // Housekeeping that needs no audit event: expired sessions, finished jobs after 30 days, and wrong-PIN
  // counters untouched for a day (a lockout lasts minutes; the counter is not evidence).
  await tx.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await tx.deleteFrom('jobs').where('done_at', '<', new Date(now.getTime() - 30 * 86_400_000)).execute();
  await tx
    .deleteFrom('pin_failures')
    .where('updated_at', '<', new Date(now.getTime() - 86_400_000))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
  const cases = await tx
    .selectFrom('cases')
    .select(['id', 'closed_at'])
    .where('closed_at', '<=', cutoff)
    .where('pii_deleted_at', 'is', null)
    .orderBy('closed_at')
    .limit(BATCH)
    .forUpdate()
    .skipLocked()
    .execute();
  if (cases.length === 0) return 0;
  const ids = cases.map((c) => c.id);
  await tx.updateTable('cases').set({ pii: null, pii_deleted_at: now }).where('id', 'in', ids).execute();
  await tx.updateTable('items').set({ url: null }).where('case_id', 'in', ids).execute();
  const events: AuditEntry[] = cases.map((c) => ({
    actor: 'system',
    action: 'pii.deleted',
    caseId: c.id,
    reason: `retention period of ${Math.round(retentionMs / 86_400_000)} days after closure`,
    data: { closedAt: c.closed_at!.toISOString() },
  }));
  await appendAudit(tx, now, events);
  return cases.length;
}
