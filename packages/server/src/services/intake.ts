import { randomBytes, randomUUID } from 'node:crypto';
import {
  decideJurisdiction,
  generateCaseNumber,
  generatePin,
  itemDeadline,
  requestLanguage,
  routeRequest,
  type Clock,
  type JurisdictionConfig,
  type ItemInput,
  type NotifierHistory,
  type RemovalRequestInput,
  signalTypes,
  type SignalValues,
} from '@takedown/core';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import { enqueueJobs, type JobRequest } from '../store/job-queue.ts';
import { sealCasePii } from '../store/case-pii.ts';
import { queueRequesterNotice, queueStaffAlert } from './notifications.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { refuseIfSuspended } from './notifier-safeguards.ts';
import { servingPlatformJurisdictions } from '../store/platform-jurisdictions.ts';

export interface SubmittedCase {
  caseId: string;
  caseNumber: string;
  /** Shown once to the requester; only its keyed hash is stored. */
  pin: string;
  items: { id: string; deadline: Date }[];
}

/** Hash of the case PIN, keyed with a server secret so a copy of the database alone cannot brute-force PINs. */
export function pinHash(keys: Keys, caseNumber: string, pin: string): string {
  return hmacHex(keys.pin, caseNumber, pin);
}

/** The notifier fingerprint: same contact → same key, without storing the contact in clear. */
export function notifierKey(keys: Keys, contact: RemovalRequestInput['contact']): string {
  const who = contact.email ? `email:${contact.email.toLowerCase()}` : `phone:${contact.phone ?? ''}`;
  return hmacHex(keys.notifier, who);
}

/** The notifier's recent activity and past rejections, counted by fingerprint (routing safeguard, DESIGN §1). */
export async function notifierHistory(tx: Tx, notifier: string, now: Date): Promise<NotifierHistory> {
  const since = new Date(now.getTime() - 24 * 3_600_000);
  // One round trip: recent requests and their items, and past rejections.
  const row = await tx
    .selectFrom('cases')
    .leftJoin('items', (join) => join.onRef('items.case_id', '=', 'cases.id').on('cases.received_at', '>', since))
    .select((eb) => [
      eb.fn.count<string>('cases.id').distinct().filterWhere('cases.received_at', '>', since).as('requests'),
      eb.fn.count<string>('items.id').as('items'),
      eb.fn.count<string>('cases.id').distinct().filterWhere('cases.state', '=', 'rejected').as('rejected'),
    ])
    .where('cases.notifier_key', '=', notifier)
    .executeTakeFirstOrThrow();
  return { requestsLast24h: Number(row.requests), itemsLast24h: Number(row.items), rejectedRequests: Number(row.rejected) };
}

/** Kinds of job written at intake; their handlers live with the component that does the work. */
export const MATCH_ITEM_JOB = 'item.match';

export async function insertItems(
  tx: Tx,
  caseId: string,
  firstPosition: number,
  items: ItemInput[],
  receivedAt: Date,
  deadline: Date,
): Promise<{ id: string; deadline: Date }[]> {
  const rows = items.map((item, i) => ({
    id: randomUUID(),
    case_id: caseId,
    position: firstPosition + i,
    url: item.url ?? null,
    signals: signalTypes.toStored(checkedSignals(item)),
    media_type: item.mediaType ?? null,
    public_interest: item.publicInterest ?? false,
    state: 'pending',
    received_at: receivedAt,
    deadline_at: deadline,
    escalation_level: 0,
    breached_at: null,
    decided_at: null,
    decided_by: null,
    decline_reason: null,
    removed_at: null,
  }));
  if (rows.length > 0) await tx.insertInto('items').values(rows).execute();
  return rows.map((row) => ({ id: row.id, deadline }));
}

/** An item's hashes as signal values; core checked them already, so a problem here is a bug and fails the request. */
function checkedSignals(item: ItemInput): SignalValues {
  const read = signalTypes.readAll(item.hashes ?? {});
  if (read.problems.length > 0) throw new Error(`unchecked item hashes reached the store: ${read.problems.map((p) => p.field).join(', ')}`);
  return read.values;
}

/** Facts about an item that the audit skeleton keeps after retention: which identifiers it had, not their values. */
export function itemAuditData(item: ItemInput, position: number, deadline: Date): Record<string, unknown> {
  return {
    position,
    deadline: deadline.toISOString(),
    identifiedBy: [item.url ? 'url' : null, ...Object.keys(checkedSignals(item))].filter(Boolean),
    publicInterest: item.publicInterest ?? false,
  };
}

export function matchJobs(items: { id: string }[], inputs: ItemInput[], now: Date): JobRequest[] {
  return items.filter((_, i) => inputs[i].hashes !== undefined).map((item) => ({ kind: MATCH_ITEM_JOB, payload: { itemId: item.id }, runAt: now }));
}

/**
 * Records a valid removal request: the case, its items with their deadlines, the routing decision, the audit
 * events and the jobs, all in one transaction (nothing half-written).
 */
export async function submitRequest(
  database: OpenDatabase,
  keys: Keys,
  clock: Clock,
  request: RemovalRequestInput,
  options: {
    demo?: boolean;
    /** More work in the same transaction (a completed draft is deleted with it). */
    also?: (tx: Tx) => Promise<void>;
    /** The deployment's jurisdiction profiles and default (config.jurisdictions); unset: the built-in ones. */
    jurisdictions?: JurisdictionConfig;
  } = {},
): Promise<SubmittedCase> {
  const receivedAt = clock.now();
  const caseId = randomUUID();
  const pin = generatePin(randomBytes);
  const notifier = notifierKey(keys, request.contact);
  const pii = sealCasePii(keys.pii, caseId, request);
  return database.transaction(async (tx) => {
    // DSA Art. 23: a suspended notifier's notice is refused (NotifierSuspendedError), never one about someone who
    // was under 18 when the images were made (the request's own answer).
    await refuseIfSuspended(tx, notifier, receivedAt, request.under18WhenMade === true);
    // The regime: the platforms' settings and the requester's stated location (`jurisdiction`), the shortest
    // clock of those that apply, else the deployment's default (core's decideJurisdiction, decisions/020).
    const platforms = await servingPlatformJurisdictions(tx, request.items.map((item) => item.url));
    const choice = decideJurisdiction({ platforms, requesterLocation: request.jurisdiction }, options.jurisdictions);
    const deadline = itemDeadline(receivedAt, choice); // §3(a)(3)(A): 48 h (US) from the valid request
    const route = routeRequest(request, await notifierHistory(tx, notifier, receivedAt));
    let caseNumber = '';
    // A fresh number on the rare collision; ON CONFLICT keeps the transaction usable.
    for (let attempt = 0; attempt < 5 && !caseNumber; attempt += 1) {
      const candidate = generateCaseNumber(randomBytes);
      const inserted = await tx
        .insertInto('cases')
        .values({
          id: caseId,
          case_number: candidate,
          pin_hash: pinHash(keys, candidate, pin),
          jurisdiction: choice.code,
          jurisdiction_reason: JSON.stringify(choice),
          state: 'received',
          queue: route.queue,
          route_reasons: JSON.stringify(route.reasons),
          requester_role: request.requester.role,
          pii,
          notifier_key: notifier,
          share_media: request.shareMedia ?? false,
          under_18_when_made: request.under18WhenMade ?? false,
          signed_at: new Date(request.signature.signedAt),
          received_at: receivedAt,
          closed_at: null,
          pii_deleted_at: null,
          demo: options.demo ?? false,
          language: requestLanguage(request.language),
          time_zone: request.timeZone ?? null,
          notify_channels: JSON.stringify(request.notify?.email && request.contact.email ? ['email'] : []),
        })
        .onConflict((oc) => oc.column('case_number').doNothing())
        .returning('case_number')
        .executeTakeFirst();
      if (inserted) caseNumber = candidate;
    }
    if (!caseNumber) throw new Error('Could not allocate a unique case number.');
    const items = await insertItems(tx, caseId, 0, request.items, receivedAt, deadline);
    await enqueueJobs(tx, receivedAt, matchJobs(items, request.items, receivedAt));
    const events: AuditEntry[] = [
      {
        actor: 'requester',
        action: 'case.received',
        caseId,
        data: {
          caseNumber,
          jurisdiction: choice.code,
          jurisdictionSource: choice.source,
          jurisdictionReason: choice.reason,
          requesterRole: request.requester.role,
          items: items.length,
          signedAt: new Date(request.signature.signedAt).toISOString(),
          demo: options.demo ?? false,
          ...(request.under18WhenMade !== undefined && { under18WhenMade: request.under18WhenMade }),
        },
      },
      // Every threshold used is logged with the routing decision (DESIGN §1).
      { actor: 'system', action: 'case.routed', caseId, reason: route.explanations.join(' ') || null, data: { queue: route.queue, reasons: route.reasons, thresholds: { ...route.thresholds } } },
      ...items.map((item, i) => ({
        actor: 'requester',
        action: 'item.received',
        caseId,
        itemId: item.id,
        data: itemAuditData(request.items[i], i, deadline),
      })),
    ];
    await appendAudit(tx, receivedAt, events);
    await options.also?.(tx);
    // The receipt says the case number, never the PIN; staff are told a request is waiting.
    await queueRequesterNotice(tx, receivedAt, caseId, { kind: 'receipt', data: { caseNumber, items: items.length, deadline: deadline.toISOString() } });
    await queueStaffAlert(tx, receivedAt, caseId, { kind: 'new_request', data: { caseNumber, items: items.length, queue: route.queue, deadline: deadline.toISOString() } });
    return { caseId, caseNumber, pin, items };
  });
}
