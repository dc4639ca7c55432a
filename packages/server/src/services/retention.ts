import type { SharedCopies } from '../media/shared-copies.ts';
import type { Tx } from '../store/database.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { forgetGuessCounters } from '../store/guess-counters.ts';
import { forgetEndedWindows } from '../store/rate-limit-windows.ts';
import { LONGEST_GUESS_MEMORY_MS } from './guess-throttles.ts';
import { deleteExpiredDrafts } from './request-drafts.ts';

export const RETENTION_JOB = 'pii.retention';
const BATCH = 200;

/**
 * Deletes the personal data of cases closed longer than the retention period (default one year), and of any
 * withdrawn case whose data is still there (withdrawal erases it at once; this catches cases withdrawn before
 * that was so): every copy, as `erasePersonalData` lists them. What stays is the audit skeleton.
 */
export async function deleteExpiredPii(tx: Tx, now: Date, retentionMs: number, copies: SharedCopies): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionMs);
  // Housekeeping that needs no audit event: expired sessions, finished jobs after 30 days, wrong-guess
  // counters that no rule counts any more (the counter is not evidence; the audit log keeps the failures), and
  // ended rate-limit windows.
  await tx.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await tx.deleteFrom('jobs').where('done_at', '<', new Date(now.getTime() - 30 * 86_400_000)).execute();
  await forgetGuessCounters(tx, new Date(now.getTime() - LONGEST_GUESS_MEMORY_MS));
  await deleteExpiredDrafts(tx, now); // an incomplete request is not kept past its expiry
  await forgetEndedWindows(tx, now);
  const cases = await tx
    .selectFrom('cases')
    .select(['id', 'closed_at', 'state'])
    .where((eb) => eb.or([eb('closed_at', '<=', cutoff), eb('state', '=', 'withdrawn')]))
    .where('pii_deleted_at', 'is', null)
    .orderBy('closed_at')
    .limit(BATCH)
    .forUpdate()
    .skipLocked()
    .execute();
  if (cases.length === 0) return 0;
  const days = Math.round(retentionMs / 86_400_000);
  await erasePersonalData(
    tx,
    now,
    copies,
    cases.map((c) => ({ caseId: c.id, reason: c.closed_at && c.closed_at <= cutoff ? { kind: 'retention', days, closedAt: c.closed_at } : { kind: 'withdrawn' } })),
  );
  return cases.length;
}
