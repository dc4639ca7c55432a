import type { Actor, Clock, DeclineReason, ItemEvent } from '@takedown/core';
import { feedbackFor, minorFlag, type MinorFlag } from '@takedown/core';
import { sql } from 'kysely';
import { appendAudit, toAuditRow, type AuditEntry, type AuditRow } from '../store/audit-chain.ts';
import type { Keys } from '../crypto/keys.ts';
import { enqueueJobs } from '../store/job-queue.ts';
import { queueRequesterNotice } from './notifications.ts';
import { matchOrigin, queueFeedFeedback } from '../store/exchange-follow.ts';
import { openCasePii, type CasePii } from '../store/case-pii.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { copyReporters } from '../store/copy-reporters.ts';
import { hostingPlatforms } from '../store/item-hosting.ts';
import { itemFacts, type ItemFacts } from '../store/review-facts.ts';
import { bytes, itemHashes, OPEN_ITEM_STATES, type CaseRow, type ItemRow } from '../store/rows.ts';
import { applyToRow, caseStateFor, CLOSED_CASE_STATES } from '../store/transitions.ts';

export interface QueueFilter {
  /** Item states to list; default the open ones (pending, confirmed). */
  states?: string[];
  /** Only items escalated (by time or by a reviewer), or only not escalated. */
  escalated?: boolean;
  /** 'senior' lists only the senior queue; 'all' both (senior staff only); default: what the role may see. */
  queue?: 'standard' | 'senior' | 'all';
  limit: number;
  offset: number;
}

export interface QueueEntry {
  itemId: string;
  caseNumber: string;
  position: number;
  state: string;
  deadline: Date;
  breached: boolean;
  escalationLevel: number;
  queue: 'standard' | 'senior';
  routeReasons: string[];
  jurisdiction: string;
  /** Set when the item came from a regulator's removal notice (its clock is the regulator's period). */
  regulatorNotice?: { regulator: string; reference: string };
  url?: string;
  /** Set when the item is a copy the sweep found: the platform whose index gave its address (its claim). */
  reportedBy?: string;
  hashes: ReturnType<typeof itemHashes>;
  publicInterest: boolean;
  receivedAt: Date;
  demo: boolean;
  /** Shared copy, video, minor, appeal, duplicate/resubmission (core's reviewMarkers). */
  markers: ItemFacts['markers'];
  /** The earlier item of the same person this one asks about again. */
  repeatOf?: ItemFacts['repeatOf'];
}

/** An item is in the senior queue when its case was routed there or it has been escalated. */
export function isSenior(caseRow: Pick<CaseRow, 'queue'>, item: Pick<ItemRow, 'escalation_level' | 'escalated_at'>): boolean {
  return caseRow.queue === 'senior' || item.escalation_level > 0 || item.escalated_at !== null;
}

/**
 * The review queue: soonest deadline first, so breached items (deadline passed, still open) are on top.
 * Reviewers see the standard queue; senior reviewers and admins see both.
 */
export async function reviewQueue(database: OpenDatabase, clock: Clock, seesSenior: boolean, filter: QueueFilter): Promise<QueueEntry[]> {
  const now = clock.now();
  const queue = filter.queue ?? (seesSenior ? 'all' : 'standard');
  const { rows, reporters, facts } = await database.transaction(async (tx) => {
    let query = tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .selectAll('items')
      .leftJoin('regulator_notices', 'regulator_notices.case_id', 'cases.id')
      .select(['cases.case_number', 'cases.queue', 'cases.route_reasons', 'cases.jurisdiction', 'cases.demo', 'cases.share_media', 'cases.under_18_when_made'])
      .select(['regulator_notices.regulator as notice_regulator', 'regulator_notices.reference as notice_reference'])
      .where('items.state', 'in', filter.states ?? [...OPEN_ITEM_STATES]);
    if (filter.escalated === true) query = query.where((eb) => eb.or([eb('items.escalation_level', '>', 0), eb('items.escalated_at', 'is not', null)]));
    if (filter.escalated === false) query = query.where('items.escalation_level', '=', 0).where('items.escalated_at', 'is', null);
    if (queue === 'standard') query = query.where('cases.queue', '=', 'standard').where('items.escalation_level', '=', 0).where('items.escalated_at', 'is', null);
    if (queue === 'senior') query = query.where((eb) => eb.or([eb('cases.queue', '=', 'senior'), eb('items.escalation_level', '>', 0), eb('items.escalated_at', 'is not', null)]));
    return query
      .orderBy(sql`case when items.deadline_at <= ${now} and items.state in ('pending', 'confirmed') then 0 else 1 end`)
      .orderBy('items.deadline_at')
      // A case's items side by side and in their order, so the console can group them.
      .orderBy('items.case_id')
      .orderBy('items.position')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute()
      .then(async (rows) => ({
        rows,
        reporters: await copyReporters(tx, rows.map((row) => row.id)),
        facts: await itemFacts(tx, rows.map((row) => ({ item: row, caseRow: row, fromRegulator: row.notice_regulator !== null }))),
      }));
  });
  return rows.map((row) => ({
    itemId: row.id,
    caseNumber: row.case_number,
    position: row.position,
    state: row.state,
    deadline: row.deadline_at,
    breached: row.deadline_at <= now && (OPEN_ITEM_STATES as readonly string[]).includes(row.state),
    escalationLevel: row.escalation_level,
    queue: isSenior({ queue: row.queue }, row) ? 'senior' : 'standard',
    routeReasons: row.route_reasons,
    jurisdiction: row.jurisdiction,
    ...(row.notice_regulator !== null && { regulatorNotice: { regulator: row.notice_regulator, reference: row.notice_reference ?? '' } }),
    url: row.url ?? undefined,
    reportedBy: reporters.get(row.id),
    hashes: itemHashes(row),
    publicInterest: row.public_interest,
    receivedAt: row.received_at,
    demo: row.demo,
    ...facts.get(row.id)!,
  }));
}

export interface ReviewItem {
  item: QueueEntry & {
    declineReason?: string;
    declineNote?: string;
    escalationReason?: string;
    decidedBy?: string;
    decidedAt?: Date;
    removedAt?: Date;
    /** The platforms that host the item (told to remove it, and alone able to acknowledge); none: staff take it to the site. */
    hostedBy: string[];
  };
  case: {
    caseNumber: string;
    state: string;
    receivedAt: Date;
    signedAt: Date;
    shareMedia: boolean;
    requesterRole: string;
    /** How the case's jurisdiction was decided (one sentence; absent for cases filed before it was recorded). */
    jurisdictionReason?: { source: string; reason: string; removalDeadlineHours: number; platform?: string; shortest: boolean };
    /** The regulator's notice the case was opened for: its period sets the items' clock. */
    regulatorNotice?: { regulator: string; reference: string; periodHours: number | null; receivedAt: Date; dueAt: Date; enteredBy: string };
    /** Set when the requester said the person shown was under 18 when it was made: the platform's reporting duty. */
    minor?: MinorFlag;
    /** Decrypted for staff; null once retention deleted it. */
    statements: CasePii | null;
    otherItems: { id: string; position: number; state: string }[];
  };
  /** `from`: where the match came from (the content index, an item confirmed here, a followed feed). */
  matches: { signal: string; matchedRef: string; from: string; distance: number; threshold: number; foundAt: Date }[];
  history: AuditRow[];
}

export type ReviewResult<T> = { kind: 'ok'; value: T } | { kind: 'not_found' } | { kind: 'forbidden'; message: string } | { kind: 'conflict'; code: string; message: string } | { kind: 'invalid'; field: string; message: string };

export interface StaffActor {
  userId: string;
  actor: string;
  seesSenior: boolean;
}

async function loadItem(tx: Tx, itemId: string, lock: boolean): Promise<{ item: ItemRow; caseRow: CaseRow } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) return undefined;
  let itemQuery = tx.selectFrom('items').selectAll().where('id', '=', itemId);
  if (lock) itemQuery = itemQuery.forUpdate();
  const item = await itemQuery.executeTakeFirst();
  if (!item) return undefined;
  let caseQuery = tx.selectFrom('cases').selectAll().where('id', '=', item.case_id);
  if (lock) caseQuery = caseQuery.forUpdate();
  const caseRow = await caseQuery.executeTakeFirstOrThrow();
  return { item, caseRow };
}

/** One item with what a reviewer needs to decide: the case's statements (decrypted), matches and history. */
export async function reviewItem(database: OpenDatabase, keys: Keys, clock: Clock, staff: StaffActor, itemId: string): Promise<ReviewResult<ReviewItem>> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const found = await loadItem(tx, itemId, false);
    if (!found) return { kind: 'not_found' };
    const { item, caseRow } = found;
    if (isSenior(caseRow, item) && !staff.seesSenior) return { kind: 'forbidden', message: 'This item is in the senior review queue.' };
    const others = await tx.selectFrom('items').select(['id', 'position', 'state']).where('case_id', '=', caseRow.id).orderBy('position').execute();
    const matches = await tx.selectFrom('item_matches').selectAll().where('item_id', '=', item.id).orderBy('found_at').execute();
    const history = await tx
      .selectFrom('audit_events')
      .selectAll()
      .where((eb) => eb.or([eb('item_id', '=', item.id), eb.and([eb('case_id', '=', caseRow.id), eb('item_id', 'is', null)])]))
      .orderBy('seq')
      .execute();
    const hosts = [...((await hostingPlatforms(tx, [item])).get(item.id) ?? [])];
    const hostedBy = hosts.length === 0 ? [] : (await tx.selectFrom('platforms').select('name').where('id', 'in', hosts).orderBy('name').execute()).map((p) => p.name);
    const notice = await tx.selectFrom('regulator_notices').selectAll().where('case_id', '=', caseRow.id).executeTakeFirst();
    const facts = (await itemFacts(tx, [{ item, caseRow, fromRegulator: notice !== undefined }])).get(item.id)!;
    const pii = bytes(caseRow.pii);
    // Reading a requester's statements is access to PII: recorded like any other access.
    await appendAudit(tx, now, [{ actor: staff.actor, action: 'case.viewed', caseId: caseRow.id, itemId: item.id, data: { pii: pii !== null } }]);
    return {
      kind: 'ok',
      value: {
        item: {
          itemId: item.id,
          caseNumber: caseRow.case_number,
          position: item.position,
          state: item.state,
          deadline: item.deadline_at,
          breached: item.deadline_at <= now && (OPEN_ITEM_STATES as readonly string[]).includes(item.state),
          escalationLevel: item.escalation_level,
          queue: isSenior(caseRow, item) ? 'senior' : 'standard',
          routeReasons: caseRow.route_reasons,
          jurisdiction: caseRow.jurisdiction,
          ...(notice && { regulatorNotice: { regulator: notice.regulator, reference: notice.reference } }),
          url: item.url ?? undefined,
          reportedBy: (await copyReporters(tx, [item.id])).get(item.id),
          hashes: itemHashes(item),
          publicInterest: item.public_interest,
          receivedAt: item.received_at,
          demo: caseRow.demo,
          ...facts,
          declineReason: item.decline_reason ?? undefined,
          declineNote: item.decline_note ?? undefined,
          escalationReason: item.escalation_reason ?? undefined,
          decidedBy: item.decided_by ?? undefined,
          decidedAt: item.decided_at ?? undefined,
          removedAt: item.removed_at ?? undefined,
          hostedBy,
        },
        case: {
          caseNumber: caseRow.case_number,
          state: caseRow.state,
          receivedAt: caseRow.received_at,
          signedAt: caseRow.signed_at,
          shareMedia: caseRow.share_media,
          requesterRole: caseRow.requester_role,
          ...(caseRow.jurisdiction_reason && {
            jurisdictionReason: {
              source: caseRow.jurisdiction_reason.source,
              reason: caseRow.jurisdiction_reason.reason,
              removalDeadlineHours: caseRow.jurisdiction_reason.removalDeadlineHours,
              ...(caseRow.jurisdiction_reason.platform !== undefined && { platform: caseRow.jurisdiction_reason.platform }),
              // More than one regime applied: the chosen one has the shortest clock.
              shortest: caseRow.jurisdiction_reason.considered.length > 1,
            },
          }),
          ...(notice && {
            regulatorNotice: { regulator: notice.regulator, reference: notice.reference, periodHours: notice.period_hours, receivedAt: notice.received_at, dueAt: notice.due_at, enteredBy: notice.entered_by },
          }),
          minor: minorFlag(caseRow.under_18_when_made),
          statements: pii ? openCasePii(keys.pii, caseRow.id, pii) : null,
          otherItems: others.filter((o) => o.id !== item.id),
        },
        matches: matches.map((m) => ({ signal: m.signal, matchedRef: m.matched_ref, from: matchOrigin(m.matched_ref), distance: m.distance, threshold: m.threshold, foundAt: m.found_at })),
        history: history.map(toAuditRow),
      },
    };
  });
}

export type Decision = { decision: 'confirm'; note?: string } | { decision: 'decline'; reason?: string; note?: string } | { decision: 'escalate'; note?: string };

/** Job written when an item is confirmed: tell the platform to remove it (handled by the platform integration). */
export const PLATFORM_NOTIFY_JOB = 'platform.notify';

function eventFor(decision: Decision, actor: Actor): ItemEvent {
  switch (decision.decision) {
    case 'confirm':
      return { type: 'confirm', actor };
    case 'decline':
      return { type: 'decline', actor, reason: decision.reason as DeclineReason, note: decision.note };
    case 'escalate':
      return { type: 'escalate', actor, reason: decision.note ?? '' };
  }
}

/** The next item to decide after a decision: the soonest deadline in the decided item's queue, and its case. */
export interface NextItem {
  itemId: string;
  caseNumber: string;
}

/** What a decision answers: the new states, and the item the reviewer goes to next (decide-and-next). */
export interface DecisionOutcome {
  itemState: string;
  caseState: string;
  queue: 'standard' | 'senior';
  next: NextItem | null;
}

type Refusal = Exclude<ReviewResult<never>, { kind: 'ok' }>;

/**
 * Applies one decision to one locked item: the state change, its audit event (into `events`), the platform
 * notification, the requester's notice (unless the caller tells the person once for several items) and feed
 * feedback. The caller re-derives the case state and appends the audit events, once for all the items it
 * decides, in its one transaction.
 */
async function applyDecision(
  tx: Tx,
  now: Date,
  staff: StaffActor,
  item: ItemRow,
  caseRow: CaseRow,
  decision: Decision,
  events: AuditEntry[],
  options: { tellRequester: boolean } = { tellRequester: true },
): Promise<Refusal | { kind: 'ok'; itemState: string; escalatedAt: Date | null }> {
  if (isSenior(caseRow, item) && !staff.seesSenior) return { kind: 'forbidden', message: 'Only senior reviewers decide items in the senior queue.' };
  const next = applyToRow(item, eventFor(decision, { kind: 'staff', id: staff.userId }), now, staff.actor);
  if (!next.ok) {
    const field = next.code.startsWith('note') || next.code.startsWith('reason_') ? 'note' : next.code === 'invalid_decline_reason' ? 'reason' : undefined;
    return field ? { kind: 'invalid', field, message: next.message } : { kind: 'conflict', code: next.code, message: next.message };
  }
  await tx.updateTable('items').set(next.update).where('id', '=', item.id).execute();
  events.push({
    actor: staff.actor,
    action: next.auditType,
    caseId: caseRow.id,
    itemId: item.id,
    reason: [next.reason, decision.decision !== 'escalate' ? decision.note?.trim() : undefined].filter(Boolean).join(': ') || null,
    data: { stateBefore: next.from, stateAfter: next.to, deadline: item.deadline_at.toISOString(), beforeDeadline: now <= item.deadline_at },
  });
  if (decision.decision === 'confirm') {
    await enqueueJobs(tx, now, [{ kind: PLATFORM_NOTIFY_JOB, payload: { itemId: item.id, event: 'item.confirmed' }, runAt: now }]);
  }
  if (decision.decision !== 'escalate' && options.tellRequester) {
    const kind = decision.decision === 'confirm' ? 'item_confirmed' : 'item_declined';
    await queueRequesterNotice(tx, now, caseRow.id, { kind, data: { caseNumber: caseRow.case_number, position: item.position + 1 } });
  }
  // The item matched hashes of followed feeds: the reviewer's decision goes back to each source as feedback.
  const feedback = feedbackFor({ decision: decision.decision, reason: decision.decision === 'decline' ? decision.reason : undefined });
  if (feedback) await queueFeedFeedback(tx, now, item.id, feedback);
  return { kind: 'ok', itemState: next.update.state, escalatedAt: next.update.escalated_at ?? null };
}

/**
 * The item a reviewer goes to after deciding (decide-and-next): the first undecided item of the queue the
 * decided item was in, in the queue's order (breached first, then the soonest deadline; a case's items in
 * their order), leaving out the items just decided. Null when that queue has nothing left to decide.
 */
export async function nextToDecide(tx: Tx, now: Date, staff: StaffActor, queue: 'standard' | 'senior', decided: readonly string[]): Promise<NextItem | null> {
  if (queue === 'senior' && !staff.seesSenior) queue = 'standard';
  let query = tx
    .selectFrom('items')
    .innerJoin('cases', 'cases.id', 'items.case_id')
    .select(['items.id', 'cases.case_number'])
    .where('items.state', '=', 'pending');
  if (decided.length > 0) query = query.where('items.id', 'not in', [...decided]);
  query =
    queue === 'standard'
      ? query.where('cases.queue', '=', 'standard').where('items.escalation_level', '=', 0).where('items.escalated_at', 'is', null)
      : query.where((eb) => eb.or([eb('cases.queue', '=', 'senior'), eb('items.escalation_level', '>', 0), eb('items.escalated_at', 'is not', null)]));
  const row = await query
    .orderBy(sql`case when items.deadline_at <= ${now} then 0 else 1 end`)
    .orderBy('items.deadline_at')
    .orderBy('items.case_id')
    .orderBy('items.position')
    .limit(1)
    .executeTakeFirst();
  return row ? { itemId: row.id, caseNumber: row.case_number } : null;
}

/**
 * Applies a reviewer's decision to one item (§3(a)(4), good-faith removal: recorded with actor and reason),
 * updates the case state and queues the platform notification, in one transaction, and names the next item to
 * decide. Whether the change is allowed is core's call.
 */
export async function decideItem(database: OpenDatabase, clock: Clock, staff: StaffActor, itemId: string, decision: Decision): Promise<ReviewResult<DecisionOutcome>> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const found = await loadItem(tx, itemId, true);
    if (!found) return { kind: 'not_found' };
    const { item, caseRow } = found;
    const wasIn = isSenior(caseRow, item) ? 'senior' : 'standard';
    const events: AuditEntry[] = [];
    const applied = await applyDecision(tx, now, staff, item, caseRow, decision, events);
    if (applied.kind !== 'ok') return applied;
    const caseState = await updateCaseState(tx, caseRow, now, staff.actor, events);
    await appendAudit(tx, now, events);
    const queue = isSenior(caseRow, { ...item, escalated_at: applied.escalatedAt }) ? 'senior' : 'standard';
    return { kind: 'ok', value: { itemState: applied.itemState, caseState, queue, next: await nextToDecide(tx, now, staff, wasIn, [item.id]) } };
  });
}

/** One decision for several items of one case: confirm them all, or decline them all with one reason. */
export type CaseDecision = ({ decision: 'confirm'; note?: string } | { decision: 'decline'; reason?: string; note?: string }) & {
  /** The items the reviewer saw and decides, so an item added to the case since is never decided unseen. */
  itemIds: readonly string[];
};

/**
 * A bulk decision on a case (issue 17: one case often lists many items): each listed item gets the same
 * decision and reason, each is audited on its own, and it all happens in one transaction, so either every item
 * is decided or none is. Every listed item must belong to the case and still wait for a decision.
 */
export async function decideCase(database: OpenDatabase, clock: Clock, staff: StaffActor, caseNumber: string, decision: CaseDecision): Promise<ReviewResult<{ caseState: string; decided: { itemId: string; itemState: string }[]; next: NextItem | null }>> {
  const now = clock.now();
  return database.transaction(async (tx): Promise<ReviewResult<{ caseState: string; decided: { itemId: string; itemState: string }[]; next: NextItem | null }>> => {
    const caseRow = await tx.selectFrom('cases').selectAll().where('case_number', '=', caseNumber).forUpdate().executeTakeFirst();
    if (!caseRow) return { kind: 'not_found' };
    const ids = [...new Set(decision.itemIds)];
    const items = await tx.selectFrom('items').selectAll().where('case_id', '=', caseRow.id).where('id', 'in', ids).orderBy('position').forUpdate().execute();
    if (items.length !== ids.length) return { kind: 'invalid', field: 'itemIds', message: 'Some of these items are not in this case. Reload the case and choose again.' };
    if (items.some((item) => item.state !== 'pending')) {
      return { kind: 'conflict', code: 'items_changed', message: 'Some of these items were decided or withdrawn since you loaded them. Reload the case and choose again.' };
    }
    const wasIn = items.some((item) => isSenior(caseRow, item)) ? 'senior' : 'standard';
    const events: AuditEntry[] = [];
    const decided: { itemId: string; itemState: string }[] = [];
    for (const item of items) {
      const applied = await applyDecision(tx, now, staff, item, caseRow, decision, events, { tellRequester: items.length === 1 });
      // Thrown, so the transaction rolls back and no item is decided.
      if (applied.kind !== 'ok') throw new RefusedBulkDecision(applied);
      decided.push({ itemId: item.id, itemState: applied.itemState });
    }
    // One message for the whole decision, not one per item: a person waiting on many parts gets one update.
    // Staff alerts and platform notices stay per item (applyDecision). A single item keeps its own message.
    if (items.length > 1) {
      await queueRequesterNotice(tx, now, caseRow.id, { kind: 'case_decided', data: { caseNumber: caseRow.case_number, outcome: decision.decision === 'confirm' ? 'confirmed' : 'declined', items: items.length } });
    }
    events.push({ actor: staff.actor, action: 'case.bulk_decision', caseId: caseRow.id, reason: decision.decision === 'decline' ? (decision.reason ?? null) : null, data: { decision: decision.decision, items: decided.length } });
    const caseState = await updateCaseState(tx, caseRow, now, staff.actor, events);
    await appendAudit(tx, now, events);
    return { kind: 'ok', value: { caseState, decided, next: await nextToDecide(tx, now, staff, wasIn, ids) } };
  }).catch((error: unknown) => {
    if (error instanceof RefusedBulkDecision) return error.refusal;
    throw error;
  });
}

/** One item of a bulk decision was refused: carries the refusal out of the rolled-back transaction. */
class RefusedBulkDecision extends Error {
  readonly refusal: Refusal;
  constructor(refusal: Refusal) {
    super(refusal.kind);
    this.refusal = refusal;
  }
}

/** Re-derives the case state from its items and records a change (and closure, which starts retention). */
export async function updateCaseState(tx: Tx, caseRow: CaseRow, now: Date, actor: string, events: AuditEntry[]): Promise<string> {
  const states = await tx.selectFrom('items').select('state').where('case_id', '=', caseRow.id).execute();
  const state = caseStateFor(states, caseRow.state);
  if (state !== caseRow.state) {
    const closed = CLOSED_CASE_STATES.includes(state);
    await tx.updateTable('cases').set({ state, closed_at: closed ? now : null }).where('id', '=', caseRow.id).execute();
    const action = ({ in_review: 'case.in_review', resolved: 'case.resolved', rejected: 'case.rejected', withdrawn: 'case.withdrawn' } as Record<string, string>)[state] ?? 'case.state_changed';
    events.push({ actor, action, caseId: caseRow.id, data: { stateBefore: caseRow.state, stateAfter: state } });
  }
  return state;
}

export interface RemovalOutcome {
  itemState: string;
  caseState: string;
}

/** How long the legal clock ran for an item just removed: from the valid request to the removal. */
export interface StoppedClock {
  jurisdiction: string;
  seconds: number;
}

/** Why an item cannot be marked removed, with its and its case's states as read under the lock. */
export type NotRemovable = { kind: 'not_removable'; code: string; message: string; current: RemovalOutcome };

/**
 * Records a removal in its own transaction, with no check of who may say it (for tests and tools that act as
 * the platform; the platform API goes through acknowledgeRemoval, staff through recordStaffRemoval).
 */
export async function recordRemoval(database: OpenDatabase, clock: Clock, itemId: string, actor: string, removedAt: Date = clock.now()): Promise<ReviewResult<RemovalOutcome>> {
  const now = clock.now();
  const result = await database.transaction((tx) => recordRemovalIn(tx, now, itemId, actor, removedAt));
  return result.kind === 'not_removable' ? { kind: 'conflict', code: result.code, message: result.message } : result;
}

/**
 * Staff record that an item no connected platform hosts is gone from the site they took it to: the item is
 * closed and its clock stops at `removedAt` (default now), with their note of how they know (§3(a)(3)(A)).
 * An item a platform hosts is that platform's to acknowledge (its deliveries stop with it), so staff cannot
 * stop its clock in its place. One transaction.
 */
export async function recordStaffRemoval(
  database: OpenDatabase,
  clock: Clock,
  staff: StaffActor,
  itemId: string,
  removal: { removedAt?: Date; note: string },
): Promise<ReviewResult<RemovalOutcome & { clock: StoppedClock }>> {
  const now = clock.now();
  return database.transaction(async (tx): Promise<ReviewResult<RemovalOutcome & { clock: StoppedClock }>> => {
    const found = await loadItem(tx, itemId, false);
    if (!found) return { kind: 'not_found' };
    if (isSenior(found.caseRow, found.item) && !staff.seesSenior) return { kind: 'forbidden', message: 'Only senior reviewers decide items in the senior queue.' };
    if (((await hostingPlatforms(tx, [found.item])).get(itemId)?.size ?? 0) > 0) {
      return { kind: 'conflict', code: 'hosted_by_platform', message: 'A connected platform hosts this item: its acknowledgement records the removal, not staff.' };
    }
    const note = removal.note.trim();
    if (!note) return { kind: 'invalid', field: 'note', message: 'Write how you know the content is gone (for example: the page now shows "not found").' };
    const result = await recordRemovalIn(tx, now, itemId, staff.actor, removal.removedAt ?? now, note);
    if (result.kind === 'not_removable') {
      return result.code === 'invalid_removal_time' ? { kind: 'invalid', field: 'removedAt', message: result.message } : { kind: 'conflict', code: result.code, message: result.message };
    }
    return result.kind === 'ok' ? { kind: 'ok', value: { ...result.value, clock: result.clock } } : result;
  });
}

/** Records a removal inside the caller's transaction (a platform's acknowledgement settles its deliveries in the same one). */
export async function recordRemovalIn(
  tx: Tx,
  now: Date,
  itemId: string,
  actor: string,
  removedAt: Date,
  note?: string,
): Promise<{ kind: 'ok'; value: RemovalOutcome; clock: StoppedClock } | { kind: 'not_found' } | NotRemovable> {
  const found = await loadItem(tx, itemId, true);
  if (!found) return { kind: 'not_found' };
  const { item, caseRow } = found;
  const next = applyToRow(item, { type: 'removed', at: removedAt }, now, null);
  if (!next.ok) return { kind: 'not_removable', code: next.code, message: next.message, current: { itemState: item.state, caseState: caseRow.state } };
  await tx.updateTable('items').set(next.update).where('id', '=', item.id).execute();
  const stoppedAt = next.update.removed_at!;
  const events: AuditEntry[] = [
    {
      actor,
      action: 'item.removed',
      caseId: caseRow.id,
      itemId: item.id,
      reason: note ?? null,
      data: { removedAt: stoppedAt.toISOString(), hoursFromReceipt: (stoppedAt.getTime() - item.received_at.getTime()) / 3_600_000, withinDeadline: stoppedAt <= item.deadline_at },
    },
  ];
  const caseState = await updateCaseState(tx, caseRow, now, actor, events);
  await appendAudit(tx, now, events);
  await queueRequesterNotice(tx, now, caseRow.id, { kind: 'item_removed', data: { caseNumber: caseRow.case_number, position: item.position + 1, at: stoppedAt.toISOString() } });
  const clock = { jurisdiction: caseRow.jurisdiction, seconds: (stoppedAt.getTime() - item.received_at.getTime()) / 1000 };
  return { kind: 'ok', value: { itemState: next.update.state, caseState }, clock };
}

export { CLOSED_CASE_STATES };
