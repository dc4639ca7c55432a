import { timingSafeEqual } from 'node:crypto';
import { canAddItems, lookupJurisdiction, profileFor, itemDeadline, validateAddItems, type CaseState, type Clock, type FieldError, type ItemInput, type JurisdictionConfig } from '@takedown/core';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import { GuessThrottle, pinCounters } from './guess-throttles.ts';
import type { Keys } from '../crypto/keys.ts';
import type { SharedCopies } from '../media/shared-copies.ts';
import { enqueueJobs } from '../store/job-queue.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { findEarlierItems, insertItems, itemAuditData, matchJobs, pinHash, repeatKeys } from './intake.ts';
import { copyReporters } from '../store/copy-reporters.ts';
import { itemHashes, itemMediaType, type CaseRow, type ItemRow } from '../store/rows.ts';
import { applyToRow, caseStateFor, CLOSED_CASE_STATES } from '../store/transitions.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { appealsOfCase } from './appeals.ts';
import { standingForRequester } from './notifier-safeguards.ts';

/** What the requester sees of their case: states and deadlines, nothing about reviewers. */
export interface CaseStatus {
  caseNumber: string;
  state: string;
  jurisdiction: string;
  receivedAt: Date;
  items: {
    id: string;
    position: number;
    state: string;
    deadline: Date;
    url?: string;
    /** A picture or a video (from the request, or the signals it carries); absent for a link alone. */
    mediaType?: 'image' | 'video';
    /** Set when the item is a copy the sweep found: the platform whose index gave its address (its claim). */
    reportedBy?: string;
    hashes: { pdq?: string; pdqQuality?: number; md5?: string; sha256?: string };
    declineReason?: string;
    removedAt?: Date;
    /** The uploader appealed the removal (DSA Art. 20): that an appeal exists and how it ended; nothing about who. */
    appeal?: { state: string; openedAt: Date; decidedAt?: Date };
  }[];
  /** A warning or suspension of the person's contact for unfounded requests (DSA Art. 23), and whether they contested it. */
  notifier?: { warnedAt?: Date; suspendedUntil?: Date; contested: boolean };
}

/** One try at a case: its number, the PIN given, and the address it came from (guesses are counted per client). */
export interface PinAttempt {
  caseNumber: string;
  pin: string;
  client: string;
}

/**
 * A wrong PIN (or no such case: the same answer): the wait it started, if any, what one more would cost, and
 * how many more wrong PINs may be typed before one brings a wait (and that wait), so the page can warn in time.
 */
export type WrongPin = { kind: 'not_found'; waitUntil?: Date; nextWaitMs: number; triesBeforeWait: number; waitAfterTriesMs: number };

export type PinCheck = { kind: 'ok'; caseRow: CaseRow } | WrongPin | { kind: 'locked'; until: Date };

/** Compared against when the case number is unknown, so that case does the same work as a wrong PIN. */
const NO_CASE_PIN_HASH = '0'.repeat(64);

/**
 * Checks a case number + PIN inside the caller's transaction. Guesses are slowed, never locked out for good:
 * wrong PINs are counted per client network and case number, and per client network (core's
 * PIN_GUESSES_PER_CLIENT_AND_CASE and PIN_GUESSES_PER_CLIENT), so a stranger guessing a case slows only
 * themselves and its owner, from their own address, is not kept out. An unknown case number and a wrong PIN
 * run the same statements (the PIN is compared against a dummy hash, the counters and the audit log are
 * written alike) and give the same answer, so neither the answer nor its timing tells whether a case exists.
 */
export async function checkPin(tx: Tx, keys: Keys, now: Date, attempt: PinAttempt): Promise<PinCheck> {
  const throttle = await GuessThrottle.open(tx, pinCounters(keys, attempt.caseNumber, attempt.client));
  const blockedUntil = throttle.blockedUntil(now);
  if (blockedUntil) return { kind: 'locked', until: blockedUntil };
  const caseRow = await tx.selectFrom('cases').selectAll().where('case_number', '=', attempt.caseNumber).executeTakeFirst();
  const expected = Buffer.from(caseRow?.pin_hash ?? NO_CASE_PIN_HASH, 'hex');
  const given = Buffer.from(pinHash(keys, attempt.caseNumber, attempt.pin), 'hex');
  const matches = timingSafeEqual(expected, given);
  if (caseRow && matches) {
    await throttle.clearFirst();
    return { kind: 'ok', caseRow };
  }
  const after = await throttle.countFailure(now);
  await appendAudit(tx, now, [
    {
      actor: 'requester',
      action: 'case.pin_failed',
      caseId: caseRow?.id ?? null,
      data: { failures: after.failures, ...(after.waitUntil && { waitUntil: after.waitUntil.toISOString() }) },
    },
  ]);
  return { kind: 'not_found', waitUntil: after.waitUntil, nextWaitMs: after.nextWaitMs, triesBeforeWait: after.triesBeforeWait, waitAfterTriesMs: after.waitAfterTriesMs };
}

function statusOf(caseRow: CaseRow, items: ItemRow[], reporters: Map<string, string>, appeals: Map<string, { state: string; openedAt: Date; decidedAt?: Date }>): CaseStatus {
  return {
    caseNumber: caseRow.case_number,
    state: caseRow.state,
    jurisdiction: caseRow.jurisdiction,
    receivedAt: caseRow.received_at,
    items: items.map((item) => ({
      id: item.id,
      position: item.position,
      state: item.state,
      deadline: item.deadline_at,
      url: item.url ?? undefined,
      mediaType: itemMediaType(item),
      reportedBy: reporters.get(item.id),
      hashes: itemHashes(item),
      declineReason: item.decline_reason ?? undefined,
      removedAt: item.removed_at ?? undefined,
      appeal: appeals.get(item.id),
    })),
  };
}

/**
 * The case row read under its lock: decisions on a case (add items, withdraw) are made on this, never on the
 * row the PIN check read before the lock, which a concurrent withdrawal or addition may have changed since.
 */
export async function lockCase(tx: Tx, caseId: string): Promise<CaseRow> {
  return tx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
}

/** A case's status as the requester sees it, read inside the transaction (also after a change: withdraw-item.ts). */
export async function readStatus(tx: Tx, caseRow: CaseRow, now: Date, items?: ItemRow[]): Promise<CaseStatus> {
  const rows = items ?? (await itemsOf(tx, caseRow.id));
  const status = statusOf(caseRow, rows, await copyReporters(tx, rows.map((row) => row.id)), await appealsOfCase(tx, caseRow.id));
  const notifier = await standingForRequester(tx, caseRow.notifier_key, now);
  return notifier ? { ...status, notifier } : status;
}

async function itemsOf(tx: Tx, caseId: string): Promise<ItemRow[]> {
  return tx.selectFrom('items').selectAll().where('case_id', '=', caseId).orderBy('position').execute();
}

export type RequesterResult<T> =
  | { kind: 'ok'; value: T }
  | WrongPin
  | { kind: 'locked'; until: Date }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'closed'; state: string };

export interface RequesterContext {
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
  /** The copies shared with reviewers: a withdrawal deletes the case's. */
  sharedCopies: SharedCopies;
  /** The deployment's jurisdiction profiles (config.jurisdictions): items added later run on the case's. */
  jurisdictions?: JurisdictionConfig;
}

/** The requester's view of their case (GET /v1/cases/:caseNumber). */
export async function viewCase(ctx: RequesterContext, attempt: PinAttempt): Promise<RequesterResult<CaseStatus>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    return { kind: 'ok', value: await readStatus(tx, check.caseRow, now) };
  });
}

/** Adds depictions to an open case; each new item gets its own deadline from now. */
export async function addItems(ctx: RequesterContext, attempt: PinAttempt, body: unknown): Promise<RequesterResult<CaseStatus>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const caseRow = await lockCase(tx, check.caseRow.id);
    const existing = await itemsOf(tx, caseRow.id);
    if (!canAddItems(caseRow.state as CaseState) || caseRow.pii_deleted_at) return { kind: 'closed', state: caseRow.state };
    const existingItems: ItemInput[] = existing.map((item) => ({ url: item.url ?? undefined, hashes: itemHashes(item) }));
    const validation = validateAddItems(body, { existingItems });
    if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
    // A code the configuration has since dropped: the deployment's default clock.
    const known = lookupJurisdiction(caseRow.jurisdiction, ctx.jurisdictions).ok;
    const deadline = itemDeadline(now, profileFor(known ? caseRow.jurisdiction : undefined, ctx.jurisdictions));
    // Items added later are recognised as repeats too (linked for the reviewer; nothing is routed here).
    const itemKeys = repeatKeys(ctx.keys, caseRow.notifier_key, validation.items);
    const links = await findEarlierItems(tx, itemKeys);
    const added = await insertItems(tx, caseRow.id, existing.length, validation.items, now, deadline, itemKeys.map((keys, i) => ({ keys, link: links[i] })));
    const all = await itemsOf(tx, caseRow.id);
    const state = caseStateFor(all, caseRow.state);
    await tx.updateTable('cases').set({ state, closed_at: CLOSED_CASE_STATES.includes(state) ? caseRow.closed_at : null }).where('id', '=', caseRow.id).execute();
    await enqueueJobs(tx, now, matchJobs(added, validation.items, now));
    await appendAudit(tx, now, [
      { actor: 'requester', action: 'case.items_added', caseId: caseRow.id, data: { items: added.length, stateBefore: caseRow.state, stateAfter: state } },
      ...added.map((item, i) => ({ actor: 'requester', action: 'item.received', caseId: caseRow.id, itemId: item.id, data: itemAuditData(validation.items[i], existing.length + i, deadline, links[i]) })),
    ]);
    return { kind: 'ok', value: await readStatus(tx, { ...caseRow, state }, now, all) };
  });
}

/**
 * The requester withdraws the whole case: every open item stops, and every copy of their personal data is
 * deleted at once (statements, contact, links, shared pictures, the links in platform events); the audit
 * skeleton stays.
 */
export async function withdrawCase(ctx: RequesterContext, attempt: PinAttempt): Promise<RequesterResult<CaseStatus>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const caseRow = await lockCase(tx, check.caseRow.id);
    if (CLOSED_CASE_STATES.includes(caseRow.state)) return { kind: 'closed', state: caseRow.state };
    const state = await withdrawLockedCase(tx, now, caseRow);
    await erasePersonalData(tx, now, ctx.sharedCopies, [{ caseId: caseRow.id, reason: { kind: 'withdrawn' } }]);
    return { kind: 'ok', value: await readStatus(tx, { ...caseRow, state }, now) };
  });
}

/** Stops every open item of a locked, open case and closes it as withdrawn (audited); returns the new state. */
export async function withdrawLockedCase(tx: Tx, now: Date, caseRow: CaseRow): Promise<string> {
  const items = await itemsOf(tx, caseRow.id);
  const events: AuditEntry[] = [];
  for (const item of items) {
    const next = applyToRow(item, { type: 'withdraw', actor: { kind: 'requester' } }, now, 'requester');
    if (!next.ok) continue; // already final (removed or declined): withdrawal does not undo a decision
    await tx.updateTable('items').set(next.update).where('id', '=', item.id).execute();
    item.state = next.update.state;
    events.push({ actor: 'requester', action: 'item.withdrawn', caseId: caseRow.id, itemId: item.id, data: { position: item.position } });
  }
  const state = 'withdrawn'; // the requester's choice is final for the case, whatever its items reached
  await tx.updateTable('cases').set({ state, closed_at: now }).where('id', '=', caseRow.id).execute();
  events.push({ actor: 'requester', action: 'case.withdrawn', caseId: caseRow.id, data: { stateBefore: caseRow.state, stateAfter: state, itemsWithdrawn: events.length } });
  await appendAudit(tx, now, events);
  return state;
}
