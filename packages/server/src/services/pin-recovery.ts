import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { generatePin, type Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { openCasePii } from '../store/case-pii.ts';
import type { OpenDatabase } from '../store/database.ts';
import { GuessThrottle, pinCounters, pinResetCounters } from './guess-throttles.ts';
import { pinHash } from './intake.ts';
import type { WrongPin } from './requester-case.ts';
import { PIN_RESET_MINUTES, pinResetCodeHash, queueRequesterNotice } from './notifications.ts';

export interface PinRecoveryContext {
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
}

/**
 * The same answer whether or not the case number and the address matched, unless the client must wait first.
 * `accepted` says what the budget left allows (every request is charged before the address is compared, so
 * these facts are the same for a matching and a non-matching address): how many more requests before one
 * brings a wait, that wait, and until when a wait this request began runs.
 */
export type RecoveryRequestResult = { kind: 'accepted'; triesBeforeWait: number; waitAfterTriesMs: number; waitUntil?: Date } | { kind: 'locked'; until: Date };

/**
 * A person who lost their PIN gives their case number and the email address they gave with the request. If
 * both match an open case (its personal data not deleted), a one-time code goes to that address, working for
 * 30 minutes; earlier codes stop working. The answer is the same either way, and every request is charged to a
 * budget per case number and network (core's PIN_RESET_REQUESTS_PER_CLIENT_AND_CASE), so nobody can learn
 * whether an address belongs to a case or flood a person's mailbox.
 */
export async function requestPinReset(ctx: PinRecoveryContext, input: { caseNumber: string; email: string; client: string }): Promise<RecoveryRequestResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const throttle = await GuessThrottle.open(tx, pinResetCounters(ctx.keys, input.caseNumber, input.client));
    const until = throttle.blockedUntil(now);
    if (until) return { kind: 'locked', until };
    const after = await throttle.countFailure(now);
    const accepted = { kind: 'accepted', triesBeforeWait: after.triesBeforeWait, waitAfterTriesMs: after.waitAfterTriesMs, waitUntil: after.waitUntil } as const;
    const caseRow = await tx.selectFrom('cases').select(['id', 'pii']).where('case_number', '=', input.caseNumber).executeTakeFirst();
    const email = caseRow?.pii ? openCasePii(ctx.keys.pii, caseRow.id, Buffer.from(caseRow.pii)).contact.email : undefined;
    if (!caseRow || !email || !sameAddress(email, input.email)) return accepted;
    await tx.updateTable('pin_resets').set({ used_at: now }).where('case_id', '=', caseRow.id).where('used_at', 'is', null).execute();
    const resetId = randomUUID();
    await tx.insertInto('pin_resets').values({ id: resetId, case_id: caseRow.id, code_hash: null, created_at: now, expires_at: new Date(now.getTime() + PIN_RESET_MINUTES * 60_000), used_at: null }).execute();
    // The code itself is made when the message leaves (services/notifications.ts); the job holds the reset's id.
    await queueRequesterNotice(tx, now, caseRow.id, { kind: 'pin_reset', data: { caseNumber: input.caseNumber, resetId } }, { evenWithoutOptIn: true });
    await appendAudit(tx, now, [{ actor: 'requester', action: 'case.pin_reset_requested', caseId: caseRow.id, data: { expiresAt: new Date(now.getTime() + PIN_RESET_MINUTES * 60_000).toISOString() } }]);
    return accepted;
  });
}

/** Addresses compared as people type them: case and surrounding spaces do not matter. */
function sameAddress(stored: string, given: string): boolean {
  const a = Buffer.from(stored.trim().toLowerCase());
  const b = Buffer.from(given.trim().toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

export type PinResetResult = { kind: 'ok'; caseNumber: string; pin: string } | WrongPin | { kind: 'locked'; until: Date };

/**
 * The person types the code from the message: if it is the latest one for the case, unused and not expired, the
 * case gets a new PIN (shown once, stored as a keyed hash) and the code is spent. Wrong codes are charged to the
 * same counters as wrong PINs (a code is one more secret to guess), with the same answer for an unknown case.
 */
export async function confirmPinReset(ctx: PinRecoveryContext, input: { caseNumber: string; code: string; client: string }): Promise<PinResetResult> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const throttle = await GuessThrottle.open(tx, pinCounters(ctx.keys, input.caseNumber, input.client));
    const until = throttle.blockedUntil(now);
    if (until) return { kind: 'locked', until };
    const reset = await tx
      .selectFrom('pin_resets as r')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select(['r.id', 'r.case_id', 'r.code_hash'])
      .where('c.case_number', '=', input.caseNumber)
      .where('r.used_at', 'is', null)
      .where('r.expires_at', '>', now)
      .where('r.code_hash', 'is not', null)
      .orderBy('r.created_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    const expected = Buffer.from(reset?.code_hash ?? '0'.repeat(64), 'hex');
    const given = Buffer.from(pinResetCodeHash(ctx.keys, input.caseNumber, input.code), 'hex');
    if (!reset || !timingSafeEqual(expected, given)) {
      const after = await throttle.countFailure(now);
      await appendAudit(tx, now, [{ actor: 'requester', action: 'case.pin_reset_failed', caseId: reset?.case_id ?? null, data: { failures: after.failures } }]);
      return { kind: 'not_found', waitUntil: after.waitUntil, nextWaitMs: after.nextWaitMs, triesBeforeWait: after.triesBeforeWait, waitAfterTriesMs: after.waitAfterTriesMs };
    }
    await throttle.clearFirst();
    const pin = generatePin(randomBytes);
    await tx.updateTable('cases').set({ pin_hash: pinHash(ctx.keys, input.caseNumber, pin) }).where('id', '=', reset.case_id).execute();
    await tx.updateTable('pin_resets').set({ used_at: now }).where('id', '=', reset.id).execute();
    await appendAudit(tx, now, [{ actor: 'requester', action: 'case.pin_reset', caseId: reset.case_id, data: {} }]);
    return { kind: 'ok', caseNumber: input.caseNumber, pin };
  });
}
