import { randomBytes, randomUUID } from 'node:crypto';
import { generatePin, profileFor, type Clock, type JurisdictionConfig, type RegulatorNotice } from '@takedown/core';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { enqueueJobs } from '../store/job-queue.ts';
import { insertCaseWithFreshNumber, insertItems, itemAuditData, matchJobs } from './intake.ts';
import { queueStaffAlert } from './notifications.ts';

/** What the console shows of a notice, beside its case. */
export interface RegulatorNoticeSummary {
  id: string;
  caseNumber: string;
  regulator: string;
  reference: string;
  jurisdiction: string;
  periodHours: number | null;
  receivedAt: Date;
  dueAt: Date;
  enteredBy: string;
  items: number;
}

export type EnterNoticeResult = { kind: 'ok'; notice: RegulatorNoticeSummary; items: { id: string; deadline: Date }[] } | { kind: 'duplicate'; caseNumber: string };

/**
 * Records a regulator's removal notice (an eSafety removal notice, say) that a member of staff entered: a case
 * of its own for its items, whose clocks run to the regulator's due time instead of the regime's usual
 * deadline, the notice itself, the audit events and the match jobs, in one transaction. The case holds no
 * personal data (the regulator is not a person asking; nobody gets a PIN) and is never messaged. The same
 * regulator's reference entered twice is refused, naming the case it opened.
 */
export async function enterRegulatorNotice(
  database: OpenDatabase,
  keys: Keys,
  clock: Clock,
  notice: RegulatorNotice,
  actor: string,
  jurisdictions?: JurisdictionConfig,
): Promise<EnterNoticeResult> {
  const now = clock.now();
  const profile = profileFor(notice.jurisdiction, jurisdictions);
  const caseId = randomUUID();
  const noticeId = randomUUID();
  const earlier = (tx: Tx) =>
    tx
      .selectFrom('regulator_notices')
      .innerJoin('cases', 'cases.id', 'regulator_notices.case_id')
      .select('cases.case_number')
      .where('regulator_notices.regulator', '=', notice.regulator)
      .where('regulator_notices.reference', '=', notice.reference)
      .executeTakeFirst();
  try {
    return await database.transaction(async (tx): Promise<EnterNoticeResult> => {
      const entered = await earlier(tx);
      if (entered) return { kind: 'duplicate', caseNumber: entered.case_number };
      const choice = {
        code: profile.code,
        removalDeadlineHours: profile.removalDeadlineHours,
        source: 'regulator_notice',
        considered: [],
        reason: `A removal notice from ${notice.regulator} (${notice.reference}) under ${profile.code}: its items are due when the notice says, ${notice.dueAt.toISOString()}.`,
      };
      // Nobody holds this PIN: a notice's case is worked by staff alone.
      const caseNumber = await insertCaseWithFreshNumber(tx, keys, generatePin(randomBytes), {
        id: caseId,
        jurisdiction: profile.code,
        jurisdiction_reason: JSON.stringify(choice),
        state: 'received',
        queue: 'standard',
        route_reasons: JSON.stringify([]),
        requester_role: 'regulator',
        pii: null,
        notifier_key: hmacHex(keys.notifier, `regulator:${notice.regulator.toLowerCase()}`),
        share_media: false,
        signed_at: notice.receivedAt,
        received_at: notice.receivedAt,
        closed_at: null,
        pii_deleted_at: null,
        demo: false,
      });
      const inserted = await tx
        .insertInto('regulator_notices')
        .values({
          id: noticeId,
          case_id: caseId,
          regulator: notice.regulator,
          reference: notice.reference,
          jurisdiction: profile.code,
          period_hours: notice.periodHours ?? null,
          received_at: notice.receivedAt,
          due_at: notice.dueAt,
          entered_by: actor,
          created_at: now,
        })
        // The same notice entered twice at once: one case, and the other answer names it.
        .onConflict((oc) => oc.columns(['regulator', 'reference']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new NoticeEnteredMeanwhile();
      const items = await insertItems(tx, caseId, 0, notice.items, notice.receivedAt, notice.dueAt);
      await enqueueJobs(tx, now, matchJobs(items, notice.items, now));
      const noticeData = {
        noticeId,
        caseNumber,
        regulator: notice.regulator,
        reference: notice.reference,
        jurisdiction: profile.code,
        periodHours: notice.periodHours ?? null,
        receivedAt: notice.receivedAt.toISOString(),
        dueAt: notice.dueAt.toISOString(),
        items: items.length,
      };
      const events: AuditEntry[] = [
        { actor, action: 'regulator_notice.entered', caseId, reason: choice.reason, data: noticeData },
        ...items.map((item, i) => ({ actor, action: 'item.received', caseId, itemId: item.id, data: { ...itemAuditData(notice.items[i], i, notice.dueAt), regulatorNotice: noticeId } })),
      ];
      await appendAudit(tx, now, events);
      await queueStaffAlert(tx, now, caseId, { kind: 'new_request', data: { caseNumber, items: items.length, queue: 'standard', deadline: notice.dueAt.toISOString() } });
      return {
        kind: 'ok',
        notice: {
          id: noticeId,
          caseNumber,
          regulator: notice.regulator,
          reference: notice.reference,
          jurisdiction: profile.code,
          periodHours: notice.periodHours ?? null,
          receivedAt: notice.receivedAt,
          dueAt: notice.dueAt,
          enteredBy: actor,
          items: items.length,
        },
        items,
      };
    });
  } catch (error) {
    if (!(error instanceof NoticeEnteredMeanwhile)) throw error;
    const entered = await database.transaction(earlier);
    return { kind: 'duplicate', caseNumber: entered?.case_number ?? '' };
  }
}

/** Rolls back a notice whose reference another member of staff entered while this one was being written. */
class NoticeEnteredMeanwhile extends Error {}

/** Every notice entered, newest first (the console's list). */
export async function listRegulatorNotices(database: OpenDatabase, limit = 100): Promise<RegulatorNoticeSummary[]> {
  const rows = await database.transaction((tx) =>
    tx
      .selectFrom('regulator_notices')
      .innerJoin('cases', 'cases.id', 'regulator_notices.case_id')
      .select((eb) => [
        'regulator_notices.id',
        'cases.case_number',
        'regulator_notices.regulator',
        'regulator_notices.reference',
        'regulator_notices.jurisdiction',
        'regulator_notices.period_hours',
        'regulator_notices.received_at',
        'regulator_notices.due_at',
        'regulator_notices.entered_by',
        eb.selectFrom('items').select((e) => e.fn.countAll<string>().as('n')).whereRef('items.case_id', '=', 'cases.id').as('items'),
      ])
      .orderBy('regulator_notices.created_at', 'desc')
      .orderBy('regulator_notices.id')
      .limit(limit)
      .execute(),
  );
  return rows.map((row) => ({
    id: row.id,
    caseNumber: row.case_number,
    regulator: row.regulator,
    reference: row.reference,
    jurisdiction: row.jurisdiction,
    periodHours: row.period_hours,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    enteredBy: row.entered_by,
    items: Number(row.items ?? 0),
  }));
}
