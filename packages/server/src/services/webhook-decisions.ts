import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { unbankItem } from './platform-banks.ts';
import { queuePlatformEvents, type PlatformEventInput } from '../store/platform-events.ts';
import { enqueueJobs } from '../store/job-queue.ts';
import type { JobHandler } from '../store/job-queue.ts';

/**
 * Follows the audit log for decisions that undo a removal instruction: an item declined after it was
 * confirmed, or withdrawn by the requester, an upheld appeal against a removed item, and withdrawn cases. The
 * platforms that were told to remove the item get `item.restore` (and `case.withdrawn`), and the item's hashes
 * leave the banks, so re-uploads are no longer blocked. The audit log is the one record every component writes
 * in the deciding transaction, so nothing is missed whichever route made the decision; the cursor travels in the
 * job's payload.
 */
export const DECISION_FOLLOW_JOB = 'platform.follow-decisions';
const BATCH = 500;
const RESTORE_REASONS: Record<string, string> = { 'item.declined': 'declined on review', 'item.withdrawn': 'withdrawn by the requester', 'appeal.decided': "the uploader's appeal was upheld" };
const ACTIONS = ['item.declined', 'item.withdrawn', 'case.withdrawn', 'appeal.decided'];

export function decisionFollowHandler(options: { pollMs: number; afterChange?: () => void }): JobHandler {
  return async (tx: Tx, job, now) => {
    const afterSeq = Number(job.payload.afterSeq ?? 0);
    const rows = await tx
      .selectFrom('audit_events')
      .select(['seq', 'action', 'case_id', 'item_id', 'data'])
      .where('seq', '>', afterSeq)
      .where('action', 'in', ACTIONS)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    const events: PlatformEventInput[] = [];
    const audit: AuditEntry[] = [];
    let changedBanks = false;
    for (const row of rows) {
      if (row.action === 'case.withdrawn' && row.case_id) {
        const told = await tx.selectFrom('platform_events').select('platform_id').distinct().where('case_id', '=', row.case_id).where('type', '=', 'item.remove').execute();
        for (const { platform_id } of told) events.push({ platformId: platform_id, type: 'case.withdrawn', caseId: row.case_id, data: { caseId: row.case_id } });
        continue;
      }
      if (!row.item_id) continue;
      // An upheld appeal against an item already removed reverses the removal (services/appeals.ts).
      if (row.action === 'appeal.decided' && row.data.restoreRemoved !== true) continue;
      const unbanked = await unbankItem(tx, now, row.item_id);
      changedBanks ||= unbanked > 0;
      const told = await tx.selectFrom('platform_events').select('platform_id').distinct().where('item_id', '=', row.item_id).where('type', '=', 'item.remove').execute();
      for (const { platform_id } of told) {
        events.push({ platformId: platform_id, type: 'item.restore', itemId: row.item_id, caseId: row.case_id ?? undefined, data: { itemId: row.item_id, reason: RESTORE_REASONS[row.action] } });
      }
      if (unbanked > 0 || told.length > 0) {
        audit.push({ actor: 'system', action: 'item.unbanked', caseId: row.case_id, itemId: row.item_id, reason: row.action, data: { hashesRemoved: unbanked, platformsTold: told.length } });
      }
    }
    await queuePlatformEvents(tx, now, events);
    await appendAudit(tx, now, audit);
    // The next run carries the cursor. This run's job is closed first so the next can take the unique key.
    await tx.updateTable('jobs').set({ done_at: now }).where('id', '=', job.id).execute();
    // One run per poll would pile up finished rows: only the pending run is worth keeping.
    await tx.deleteFrom('jobs').where('kind', '=', DECISION_FOLLOW_JOB).where('done_at', 'is not', null).where('id', '!=', job.id).execute();
    const last = rows.length > 0 ? Number(rows[rows.length - 1].seq) : afterSeq;
    const runAt = new Date(now.getTime() + (rows.length === BATCH ? 0 : options.pollMs));
    await enqueueJobs(tx, now, [{ kind: DECISION_FOLLOW_JOB, uniqueKey: DECISION_FOLLOW_JOB, payload: { afterSeq: last }, runAt }]);
    if (changedBanks) options.afterChange?.();
  };
}

/** Starts the follower once (a no-op while a run is queued): called when the platform API starts. */
export async function ensureDecisionFollower(database: OpenDatabase, now: Date): Promise<void> {
  await database.transaction((tx) => enqueueJobs(tx, now, [{ kind: DECISION_FOLLOW_JOB, uniqueKey: DECISION_FOLLOW_JOB, payload: { afterSeq: 0 }, runAt: now }]));
}
