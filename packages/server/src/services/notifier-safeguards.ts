import { nextStandingStep, noticeRefused, type Clock, type NotifierSafeguards, type NotifierStanding } from '@takedown/core';
import { sql } from 'kysely';
import type { Keys } from '../crypto/keys.ts';
import { decryptJson } from '../crypto/pii.ts';
import { bytes } from '../store/rows.ts';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import type { ReviewResult, StaffActor } from './review.ts';
import { queueRequesterNotice } from './notifications.ts';

/** A new notice from a suspended notifier (DSA Art. 23): thrown inside intake's transaction, so nothing is written. */
export class NotifierSuspendedError extends Error {
  override name = 'NotifierSuspendedError';
  readonly until: Date;
  constructor(until: Date) {
    super('notifier suspended');
    this.until = until;
  }
}

/** What staff see of a notifier (never their contact: only the counts and dates, and their open contest). */
export interface NotifierView {
  unfoundedNotices: number;
  thisNoticeUnfounded: boolean;
  warnedAt?: Date;
  suspendedUntil?: Date;
  /** The notifier asked for another look (their words, decrypted for staff; null once erased). */
  contest?: { at: Date; statement: string | null };
}

/** Whether a warning or a running suspension stands against the notifier. */
export function standingActive(standing: NotifierStanding | undefined, now: Date): boolean {
  return standing !== undefined && (standing.warnedAt !== null || (standing.suspendedUntil !== null && standing.suspendedUntil > now));
}

/** The notifier's open contest, if any (written by `services/notifier-contest.ts`). */
async function openContest(tx: Tx, notifierKey: string) {
  return tx.selectFrom('notifier_contests').select(['id', 'statement', 'created_at']).where('notifier_key', '=', notifierKey).where('resolved_at', 'is', null).executeTakeFirst();
}

/**
 * What the person behind a case is told of their own standing on their status page: a warning or a suspension
 * (with its end), and whether they already asked for another look. Nothing when neither stands.
 */
export async function standingForRequester(tx: Tx, notifierKey: string, now: Date): Promise<{ warnedAt?: Date; suspendedUntil?: Date; contested: boolean } | undefined> {
  const standing = await standingOf(tx, notifierKey, false);
  if (!standing || !standingActive(standing, now)) return undefined;
  return {
    warnedAt: standing.warnedAt ?? undefined,
    suspendedUntil: standing.suspendedUntil && standing.suspendedUntil > now ? standing.suspendedUntil : undefined,
    contested: (await openContest(tx, notifierKey)) !== undefined,
  };
}

export async function standingOf(tx: Tx, notifierKey: string, lock: boolean): Promise<(NotifierStanding & { countedFrom: Date | null }) | undefined> {
  let query = tx.selectFrom('notifier_standing').selectAll().where('notifier_key', '=', notifierKey);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { warnedAt: row.warned_at, suspendedUntil: row.suspended_until, countedFrom: row.counted_from } : undefined;
}

/**
 * Refuses a new notice from a suspended notifier, inside intake's transaction (throws NotifierSuspendedError).
 * A notice about a minor is always taken.
 */
export async function refuseIfSuspended(tx: Tx, notifierKey: string, now: Date, aboutMinor: boolean): Promise<void> {
  const refused = noticeRefused(await standingOf(tx, notifierKey, false), now, aboutMinor);
  if (refused.refused) throw new NotifierSuspendedError(refused.until);
}

async function unfoundedCount(tx: Tx, notifierKey: string, since: Date): Promise<number> {
  const row = await tx
    .selectFrom('cases')
    .select(sql<string>`count(*)`.as('n'))
    .where('notifier_key', '=', notifierKey)
    .where('unfounded_at', 'is not', null)
    .where('unfounded_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lockCaseByNumber(tx: Tx, caseNumber: string) {
  return tx.selectFrom('cases').select(['id', 'state', 'notifier_key', 'unfounded_at']).where('case_number', '=', caseNumber).forUpdate().executeTakeFirst();
}

function countingSince(standing: { countedFrom: Date | null } | undefined, now: Date, s: NotifierSafeguards): Date {
  const window = new Date(now.getTime() - s.windowMs);
  return standing?.countedFrom && standing.countedFrom > window ? standing.countedFrom : window;
}

/** The notifier behind a case, as staff see them. */
export async function notifierOfCase(database: OpenDatabase, keys: Keys, clock: Clock, caseNumber: string, s: NotifierSafeguards): Promise<ReviewResult<NotifierView>> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const caseRow = await tx.selectFrom('cases').select(['notifier_key', 'unfounded_at']).where('case_number', '=', caseNumber).executeTakeFirst();
    if (!caseRow) return { kind: 'not_found' };
    const standing = await standingOf(tx, caseRow.notifier_key, false);
    const contest = await openContest(tx, caseRow.notifier_key);
    const sealed = contest ? bytes(contest.statement) : null;
    return {
      kind: 'ok',
      value: {
        unfoundedNotices: await unfoundedCount(tx, caseRow.notifier_key, countingSince(standing, now, s)),
        thisNoticeUnfounded: caseRow.unfounded_at !== null,
        warnedAt: standing?.warnedAt ?? undefined,
        suspendedUntil: standing?.suspendedUntil && standing.suspendedUntil > now ? standing.suspendedUntil : undefined,
        contest: contest && { at: contest.created_at, statement: sealed ? decryptJson<{ statement: string }>(keys.pii, sealed, `contest:${contest.id}`).statement : null },
      },
    };
  });
}

/**
 * Staff mark a declined notice (a case rejected: nothing removed, something declined) as manifestly unfounded,
 * with a reason. The notifier's unfounded notices in the window are counted and core's rule says the step: only
 * recorded, a warning, or (after a warning) a suspension. Each step is an audit event; all in one transaction.
 */
export async function markUnfounded(database: OpenDatabase, clock: Clock, staff: StaffActor, caseNumber: string, reason: string, s: NotifierSafeguards): Promise<ReviewResult<NotifierView & { step: string }>> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const caseRow = await lockCaseByNumber(tx, caseNumber);
    if (!caseRow) return { kind: 'not_found' };
    if (caseRow.state !== 'rejected') return { kind: 'conflict', code: 'not_declined', message: 'Only a notice that was declined (every item decided, nothing removed) can be marked manifestly unfounded.' };
    if (caseRow.unfounded_at !== null) return { kind: 'conflict', code: 'already_unfounded', message: 'This notice is already marked manifestly unfounded.' };
    await tx.updateTable('cases').set({ unfounded_at: now, unfounded_by: staff.actor, unfounded_reason: reason }).where('id', '=', caseRow.id).execute();
    const standing = await standingOf(tx, caseRow.notifier_key, true);
    const count = await unfoundedCount(tx, caseRow.notifier_key, countingSince(standing, now, s));
    const step = nextStandingStep(count, standing ?? { warnedAt: null, suspendedUntil: null }, s, now);
    const warnedAt = step.step === 'warning' ? now : (standing?.warnedAt ?? null);
    const suspendedUntil = step.step === 'suspension' ? step.until : (standing?.suspendedUntil ?? null);
    await tx
      .insertInto('notifier_standing')
      .values({ notifier_key: caseRow.notifier_key, warned_at: warnedAt, suspended_until: suspendedUntil, counted_from: standing?.countedFrom ?? null, updated_at: now })
      .onConflict((oc) => oc.column('notifier_key').doUpdateSet({ warned_at: warnedAt, suspended_until: suspendedUntil, updated_at: now }))
      .execute();
    const thresholds = { warnAfter: s.warnAfter, suspendAfter: s.suspendAfter, suspensionDays: s.suspensionMs / 86_400_000, windowDays: s.windowMs / 86_400_000 };
    const events: AuditEntry[] = [{ actor: staff.actor, action: 'notifier.notice_unfounded', caseId: caseRow.id, reason, data: { unfoundedNotices: count, step: step.step, thresholds } }];
    if (step.step === 'warning') events.push({ actor: staff.actor, action: 'notifier.warned', caseId: caseRow.id, data: { unfoundedNotices: count, thresholds } });
    if (step.step === 'suspension') events.push({ actor: staff.actor, action: 'notifier.suspended', caseId: caseRow.id, data: { unfoundedNotices: count, until: step.until.toISOString(), thresholds } });
    await appendAudit(tx, now, events);
    // The notifier is told of a warning and of a suspension, even without having asked for updates (Art. 23 asks
    // for a prior warning, and a suspension they were never told of would read as a fault).
    if (step.step === 'warning') await queueRequesterNotice(tx, now, caseRow.id, { kind: 'notifier_warned', data: { caseNumber } }, { evenWithoutOptIn: true });
    if (step.step === 'suspension') await queueRequesterNotice(tx, now, caseRow.id, { kind: 'notifier_suspended', data: { caseNumber, until: step.until.toISOString() } }, { evenWithoutOptIn: true });
    return {
      kind: 'ok',
      value: { step: step.step, unfoundedNotices: count, thisNoticeUnfounded: true, warnedAt: warnedAt ?? undefined, suspendedUntil: suspendedUntil && suspendedUntil > now ? suspendedUntil : undefined },
    };
  });
}

/**
 * The notifier contested, and a person agrees (or the operator decides to start over): the warning and any
 * suspension are lifted, and unfounded notices marked before now no longer count. Audited with the reason.
 */
export async function liftStanding(database: OpenDatabase, clock: Clock, staff: StaffActor, caseNumber: string, reason: string): Promise<ReviewResult<NotifierView>> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const caseRow = await lockCaseByNumber(tx, caseNumber);
    if (!caseRow) return { kind: 'not_found' };
    const standing = await standingOf(tx, caseRow.notifier_key, true);
    if (!standing || !standingActive(standing, now)) {
      return { kind: 'conflict', code: 'nothing_to_lift', message: 'This notifier has no warning or suspension to lift.' };
    }
    await tx.updateTable('notifier_standing').set({ warned_at: null, suspended_until: null, counted_from: now, updated_at: now }).where('notifier_key', '=', caseRow.notifier_key).execute();
    await tx.updateTable('notifier_contests').set({ resolved_at: now }).where('notifier_key', '=', caseRow.notifier_key).where('resolved_at', 'is', null).execute();
    await appendAudit(tx, now, [
      { actor: staff.actor, action: 'notifier.standing_lifted', caseId: caseRow.id, reason, data: { wasWarned: standing.warnedAt !== null, wasSuspendedUntil: standing.suspendedUntil?.toISOString() ?? null } },
    ]);
    return { kind: 'ok', value: { unfoundedNotices: 0, thisNoticeUnfounded: caseRow.unfounded_at !== null } };
  });
}
