import { randomUUID } from 'node:crypto';
import { encryptJson } from '../crypto/pii.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { checkPin, type PinAttempt, type RequesterContext, type RequesterResult } from './requester-case.ts';
import { standingActive, standingOf } from './notifier-safeguards.ts';

export type ContestResult = RequesterResult<{ contestedAt: Date }> | { kind: 'nothing_to_contest' } | { kind: 'already_contested' };

/**
 * A warned or suspended notifier asks for another look (DSA Art. 23: each step appealable), from the status page
 * of one of their cases (case number and PIN). Their words are stored encrypted, for the senior reviewer who
 * decides; the audit log records that they asked, not what they said. One open request at a time; lifting the
 * standing closes it.
 */
export async function contestStanding(ctx: RequesterContext, attempt: PinAttempt, statement: string): Promise<ContestResult> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const sealed = encryptJson(ctx.keys.pii, { statement }, `contest:${id}`);
  return ctx.database.transaction(async (tx): Promise<ContestResult> => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const notifierKey = check.caseRow.notifier_key;
    if (!standingActive(await standingOf(tx, notifierKey, true), now)) return { kind: 'nothing_to_contest' };
    const open = await tx.selectFrom('notifier_contests').select('id').where('notifier_key', '=', notifierKey).where('resolved_at', 'is', null).executeTakeFirst();
    if (open) return { kind: 'already_contested' };
    await tx.insertInto('notifier_contests').values({ id, notifier_key: notifierKey, case_id: check.caseRow.id, statement: sealed, created_at: now, resolved_at: null }).execute();
    await appendAudit(tx, now, [{ actor: 'requester', action: 'notifier.contested', caseId: check.caseRow.id, data: { contestId: id } }]);
    return { kind: 'ok', value: { contestedAt: now } };
  });
}
