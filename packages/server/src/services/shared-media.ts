import { sha256Signal, signalTypes, type Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { checkPin, lockCase, type PinAttempt, type WrongPin } from './requester-case.ts';
import { isSenior, type StaffActor } from './review.ts';

export type ShareCopyResult =
  | { kind: 'ok' }
  | WrongPin
  | { kind: 'locked'; until: Date }
  | { kind: 'not_opted_in' }
  /** Withdrawn, or its personal data deleted: no copy is kept for it any more. */
  | { kind: 'closed'; state: string }
  | { kind: 'no_such_item' }
  /** The requester withdrew this item (services/withdraw-item.ts): its copy was erased, and none is kept again. */
  | { kind: 'item_withdrawn' }
  /** The file is not the one the item's hashes were made from. */
  | { kind: 'other_file' };

type CopyContext = { database: OpenDatabase; keys: Keys; clock: Clock };
type CopyTarget = PinAttempt & { itemId: string };

/** The item a copy is for, if the PIN opens its case and the request opted in; else why not. */
async function copyTarget(tx: Tx, ctx: CopyContext, now: Date, input: CopyTarget) {
  const check = await checkPin(tx, ctx.keys, now, input);
  if (check.kind !== 'ok') return check;
  // Under the case's lock: a withdrawal running at the same time either erases this copy or is seen here.
  const caseRow = await lockCase(tx, check.caseRow.id);
  if (!caseRow.share_media) return { kind: 'not_opted_in' as const };
  if (caseRow.state === 'withdrawn' || caseRow.pii_deleted_at) return { kind: 'closed' as const, state: caseRow.state };
  const item = await tx.selectFrom('items').select(['id', 'signals', 'state']).where('id', '=', input.itemId).where('case_id', '=', caseRow.id).executeTakeFirst();
  if (!item) return { kind: 'no_such_item' as const };
  if (item.state === 'withdrawn') return { kind: 'item_withdrawn' as const };
  return { kind: 'ok' as const, caseRow, item };
}

/**
 * Whether this requester may share a copy of this item at all: asked before the picture's bytes are read, so
 * nobody without the case's PIN can make the server read or decode a picture. A wrong PIN counts as one.
 */
export async function mayShareItemCopy(ctx: CopyContext, input: CopyTarget): Promise<ShareCopyResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx): Promise<ShareCopyResult> => {
    const target = await copyTarget(tx, ctx, now, input);
    return target.kind === 'ok' ? { kind: 'ok' } : target;
  });
}

/**
 * The requester shares a copy of one item with reviewers (only when the request opted in). `saveCopy` stores
 * the encrypted bytes; it runs inside the transaction, so the audit event exists only for a copy that was saved.
 */
export async function shareItemCopy(ctx: CopyContext, input: CopyTarget & { bytes: number; sha256: string }, saveCopy: () => Promise<void>): Promise<ShareCopyResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx): Promise<ShareCopyResult> => {
    const target = await copyTarget(tx, ctx, now, input);
    if (target.kind !== 'ok') return target;
    // The copy must be the very file the hashes were made from: no swapping in other pictures.
    const listed = signalTypes.fromStored(target.item.signals)[sha256Signal.name];
    if (listed !== undefined && listed !== input.sha256) return { kind: 'other_file' };
    await saveCopy();
    await appendAudit(tx, now, [{ actor: 'requester', action: 'media.shared', caseId: target.caseRow.id, itemId: input.itemId, data: { bytes: input.bytes, sha256: input.sha256 } }]);
    return { kind: 'ok' };
  });
}

export type ViewCopyResult = { kind: 'ok'; bytes: Buffer } | { kind: 'not_found' } | { kind: 'forbidden'; message: string } | { kind: 'no_media' };

/**
 * A reviewer opens the copy shared for an item: blurred (`unblur: false`) or in clear, which is recorded in the
 * audit log. The same rule as the item itself: items in the senior queue are for senior reviewers only. A case
 * whose personal data was deleted has no copy. `open` reads the copy, inside the transaction, so an unblur is
 * recorded only for a copy that was there.
 */
export async function viewSharedCopy(
  ctx: { database: OpenDatabase; clock: Clock },
  staff: StaffActor,
  input: { itemId: string; unblur: boolean },
  open: () => Promise<Buffer | undefined>,
): Promise<ViewCopyResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx): Promise<ViewCopyResult> => {
    const item = await tx.selectFrom('items').select(['id', 'case_id', 'escalation_level', 'escalated_at']).where('id', '=', input.itemId).executeTakeFirst();
    if (!item) return { kind: 'not_found' };
    const caseRow = await tx.selectFrom('cases').select(['queue', 'pii_deleted_at']).where('id', '=', item.case_id).executeTakeFirstOrThrow();
    if (isSenior(caseRow, item) && !staff.seesSenior) return { kind: 'forbidden', message: 'This item is in the senior review queue.' };
    const bytes = caseRow.pii_deleted_at ? undefined : await open();
    if (!bytes) return { kind: 'no_media' };
    if (input.unblur) {
      await appendAudit(tx, now, [{ actor: staff.actor, action: 'media.unblurred', caseId: item.case_id, itemId: item.id, reason: 'reviewer asked to see the shared copy', data: {} }]);
    }
    return { kind: 'ok', bytes };
  });
}
