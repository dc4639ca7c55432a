import { sha256Signal, signalTypes, type Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { checkPin, type PinPolicy } from './requester-case.ts';

export type ShareCopyResult =
  | { kind: 'ok' }
  | { kind: 'not_found' }
  | { kind: 'locked'; until: Date }
  | { kind: 'not_opted_in' }
  | { kind: 'no_such_item' }
  /** The file is not the one the item's hashes were made from. */
  | { kind: 'other_file' };

/**
 * The requester shares a copy of one item with reviewers (only when the request opted in). `saveCopy` stores
 * the encrypted bytes; it runs inside the transaction, so the audit event exists only for a copy that was saved.
 */
export async function shareItemCopy(
  ctx: { database: OpenDatabase; keys: Keys; clock: Clock; pinPolicy: PinPolicy },
  input: { caseNumber: string; pin: string; itemId: string; bytes: number; sha256: string },
  saveCopy: () => Promise<void>,
): Promise<ShareCopyResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx): Promise<ShareCopyResult> => {
    const check = await checkPin(tx, ctx.keys, now, input.caseNumber, input.pin, ctx.pinPolicy);
    if (check.kind !== 'ok') return check;
    const caseRow = check.caseRow;
    if (!caseRow.share_media) return { kind: 'not_opted_in' };
    const item = await tx.selectFrom('items').select(['id', 'signals', 'state']).where('id', '=', input.itemId).where('case_id', '=', caseRow.id).executeTakeFirst();
    if (!item) return { kind: 'no_such_item' };
    // The copy must be the very file the hashes were made from: no swapping in other pictures.
    const listed = signalTypes.fromStored(item.signals)[sha256Signal.name];
    if (listed !== undefined && listed !== input.sha256) return { kind: 'other_file' };
    await saveCopy();
    await appendAudit(tx, now, [{ actor: 'requester', action: 'media.shared', caseId: caseRow.id, itemId: input.itemId, data: { bytes: input.bytes, sha256: input.sha256 } }]);
    return { kind: 'ok' };
  });
}

/** A reviewer asked to see the shared copy in clear: every unblur is recorded. Undefined when there is no such item. */
export async function recordUnblur(database: OpenDatabase, clock: Clock, actor: string, itemId: string): Promise<{ itemId: string } | undefined> {
  return database.transaction(async (tx) => {
    const found = await tx.selectFrom('items').select(['id', 'case_id']).where('id', '=', itemId).executeTakeFirst();
    if (!found) return undefined;
    await appendAudit(tx, clock.now(), [{ actor, action: 'media.unblurred', caseId: found.case_id, itemId, reason: 'reviewer asked to see the shared copy', data: {} }]);
    return { itemId: found.id };
  });
}
