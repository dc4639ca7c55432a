import type { SharedCopies } from '../media/shared-copies.ts';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { Tx } from '../store/database.ts';
import { forgetEventAddresses } from '../store/platform-events.ts';
import { cancelRequesterNotices } from '../store/notifications.ts';

/** Why a case's personal data goes: the requester withdrew it or asked for its deletion (GDPR Art. 17), or the retention period after closure ran out. */
export type ErasureReason = { kind: 'withdrawn' } | { kind: 'requested' } | { kind: 'retention'; days: number; closedAt: Date };

/**
 * Deletes every copy of a case's personal data, inside the caller's transaction: the encrypted statements and
 * contacts, the items' addresses (the person's links and the addresses of copies found for them), those
 * addresses in the webhook events sent to platforms, the keyed addresses that recognise a repeat request, and the copies of pictures the person shared (files in the
 * data dir). What stays is the audit skeleton: states, deadlines, decisions and their reasons, and the hashes
 * (still needed to keep a confirmed item from coming back). Files are deleted before the transaction commits:
 * if that fails, nothing is marked deleted and the next run tries again; deleting twice is harmless.
 */
export async function erasePersonalData(tx: Tx, now: Date, copies: SharedCopies, erasures: { caseId: string; reason: ErasureReason }[]): Promise<void> {
  if (erasures.length === 0) return;
  const caseIds = erasures.map((e) => e.caseId);
  const items = await tx.selectFrom('items').select(['id', 'case_id']).where('case_id', 'in', caseIds).execute();
  const itemIds = items.map((i) => i.id);
  await tx.updateTable('cases').set({ pii: null, pii_deleted_at: now }).where('id', 'in', caseIds).execute();
  if (itemIds.length > 0) {
    await tx.updateTable('items').set({ url: null }).where('id', 'in', itemIds).execute();
    // The keyed address goes with the address; keyed hash values stay, as the hash values do (022-repeat-requests).
    await tx.deleteFrom('item_repeat_keys').where('item_id', 'in', itemIds).where('from_url', '=', true).execute();
  }
  // An uploader's appeal statement about these items goes with them.
  await tx.updateTable('item_appeals').set({ statement: null }).where('case_id', 'in', caseIds).execute();
  await tx.updateTable('notifier_contests').set({ statement: null }).where('case_id', 'in', caseIds).execute();
  await forgetEventAddresses(tx, caseIds, itemIds);
  await cancelRequesterNotices(tx, now, caseIds);
  const events: AuditEntry[] = [];
  for (const { caseId, reason } of erasures) {
    const files = await copies.erase(items.filter((i) => i.case_id === caseId).map((i) => i.id));
    events.push({
      actor: 'system',
      action: 'pii.deleted',
      caseId,
      reason: erasureReasonText(reason),
      data: { ...(reason.kind === 'retention' && { closedAt: reason.closedAt.toISOString() }), sharedCopiesDeleted: files },
    });
  }
  await appendAudit(tx, now, events);
}

/**
 * Deletes the personal data of some items of one case, inside the caller's transaction, the way a case's
 * erasure does for its items (the requester withdrew these items and not the case): their addresses, those
 * addresses in webhook events, an uploader's appeal statement about them, and the copies of pictures the person
 * shared. The case's own statements and contact stay: its other items still need them. Audited as `pii.deleted`
 * per item, so the embedded database's files are reclaimed as after any erasure.
 */
export async function eraseItemPersonalData(tx: Tx, now: Date, copies: SharedCopies, caseId: string, itemIds: string[]): Promise<void> {
  if (itemIds.length === 0) return;
  await tx.updateTable('items').set({ url: null }).where('case_id', '=', caseId).where('id', 'in', itemIds).execute();
  await tx.updateTable('item_appeals').set({ statement: null }).where('case_id', '=', caseId).where('item_id', 'in', itemIds).execute();
  await forgetEventAddresses(tx, [], itemIds);
  const events: AuditEntry[] = [];
  for (const itemId of itemIds) {
    const files = await copies.erase([itemId]);
    events.push({ actor: 'system', action: 'pii.deleted', caseId, itemId, reason: 'the requester withdrew this item', data: { sharedCopiesDeleted: files } });
  }
  await appendAudit(tx, now, events);
}

function erasureReasonText(reason: ErasureReason): string {
  switch (reason.kind) {
    case 'withdrawn':
      return 'the requester withdrew the case';
    case 'requested':
      return 'the requester asked for their personal data to be deleted (GDPR Art. 17)';
    case 'retention':
      return `retention period of ${reason.days} days after closure`;
  }
}
