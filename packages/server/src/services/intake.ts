import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import {
  findRepeats,
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
  type RepeatLink,
  repeatIdentifiers,
  signalTypes,
  type SignalValues,
} from '@takedown/core';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import { enqueueJobs, type JobRequest } from '../store/job-queue.ts';
import { sealCasePii } from '../store/case-pii.ts';
import { queueRequesterNotice, queueStaffAlert } from './notifications.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import type { CasesTable } from '../store/schema.ts';
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

/** A case row as inserted, but for its number (drawn when inserted) and its PIN's hash (keyed by that number). */
export type NewCase = Omit<Insertable<CasesTable>, 'case_number' | 'pin_hash'>;

/**
 * Inserts a case under a fresh random number and returns the number; on the rare collision it draws again
 * (ON CONFLICT keeps the transaction usable).
 */
export async function insertCaseWithFreshNumber(tx: Tx, keys: Keys, pin: string, values: NewCase): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const candidate = generateCaseNumber(randomBytes);
    const inserted = await tx
      .insertInto('cases')
      .values({ ...values, case_number: candidate, pin_hash: pinHash(keys, candidate, pin) })
      .onConflict((oc) => oc.column('case_number').doNothing())
      .returning('case_number')
      .executeTakeFirst();
    if (inserted) return candidate;
  }
  throw new Error('Could not allocate a unique case number.');
}

/** The notifier fingerprint: same contact → same key, without storing the contact in clear. */
export function notifierKey(keys: Keys, contact: RemovalRequestInput['contact']): string {
  const who = contact.email ? `email:${contact.email.toLowerCase()}` : `phone:${contact.phone ?? ''}`;
  return hmacHex(keys.notifier, who);
}

/**
 * The notifier's recent activity and past rejections, counted by fingerprint (routing safeguard, DESIGN §1).
 * Repeats are not held against a person (repeat-request.ts): items that repeated earlier ones are not counted,
 * nor requests made only of them; nor rejections of the cases this request asks about again (`forgiven`), nor
 * cases declined only as duplicates.
 */
export async function notifierHistory(tx: Tx, notifier: string, now: Date, forgiven: readonly string[] = []): Promise<NotifierHistory> {
  const since = new Date(now.getTime() - 24 * 3_600_000);
  // One round trip: recent requests and their new items, and past rejections.
  const row = await tx
    .selectFrom('cases')
    .leftJoin('items', (join) => join.onRef('items.case_id', '=', 'cases.id').on('cases.received_at', '>', since).on('items.repeat_of', 'is', null))
    .select((eb) => [
      eb.fn.count<string>('cases.id').distinct().filterWhere('items.id', 'is not', null).as('requests'),
      eb.fn.count<string>('items.id').as('items'),
      eb.fn
        .count<string>('cases.id')
        .distinct()
        .filterWhere((w) =>
          w.and([
            w('cases.state', '=', 'rejected'),
            ...(forgiven.length > 0 ? [w('cases.id', 'not in', [...forgiven])] : []),
            w.exists(
              w.selectFrom('items as declined').select('declined.id').whereRef('declined.case_id', '=', 'cases.id').where('declined.state', '=', 'declined').where('declined.decline_reason', 'is distinct from', 'duplicate'),
            ),
          ]),
        )
        .as('rejected'),
    ])
    .where('cases.notifier_key', '=', notifier)
    .executeTakeFirstOrThrow();
  return { requestsLast24h: Number(row.requests), itemsLast24h: Number(row.items), rejectedRequests: Number(row.rejected) };
}

/** Each identifier of each item, keyed with the notifier: the same person's same content meets the same key. */
export function repeatKeys(keys: Keys, notifier: string, items: readonly ItemInput[]): { key: string; fromUrl: boolean }[][] {
  return items.map((item) => repeatIdentifiers(item).map((id) => ({ key: hmacHex(keys.notifier, 'repeat', notifier, id.text), fromUrl: id.fromUrl })));
}

/** The earlier items the new ones repeat, found by their keyed identifiers (core decides duplicate or resubmission). */
export async function findEarlierItems(tx: Tx, itemKeys: readonly { key: string }[][]): Promise<(RepeatLink | undefined)[]> {
  const all = [...new Set(itemKeys.flat().map((k) => k.key))];
  if (all.length === 0) return itemKeys.map(() => undefined);
  const rows = await tx
    .selectFrom('item_repeat_keys')
    .innerJoin('items', 'items.id', 'item_repeat_keys.item_id')
    .select(['items.id', 'items.case_id', 'items.state', 'items.received_at', 'item_repeat_keys.key'])
    .where('item_repeat_keys.key', 'in', all)
    .execute();
  const earlier = new Map<string, { itemId: string; caseId: string; state: string; receivedAt: Date; keys: string[] }>();
  for (const row of rows) {
    const item = earlier.get(row.id) ?? { itemId: row.id, caseId: row.case_id, state: row.state, receivedAt: row.received_at, keys: [] };
    item.keys.push(row.key.trim());
    earlier.set(row.id, item);
  }
  return findRepeats(itemKeys.map((keys) => keys.map((k) => k.key)), [...earlier.values()]);
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
  /** Per item: its keyed identifiers and the earlier item it repeats (intake); none when adding to a case. */
  repeats?: { keys: { key: string; fromUrl: boolean }[]; link?: RepeatLink }[],
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
    repeat_of: repeats?.[i]?.link?.itemId ?? null,
    repeat_kind: repeats?.[i]?.link?.kind ?? null,
  }));
  if (rows.length > 0) await tx.insertInto('items').values(rows).execute();
  const keyRows = rows.flatMap((row, i) => [...new Map((repeats?.[i]?.keys ?? []).map((k) => [k.key, { item_id: row.id, key: k.key, from_url: k.fromUrl }])).values()]);
  if (keyRows.length > 0) await tx.insertInto('item_repeat_keys').values(keyRows).execute();
  return rows.map((row) => ({ id: row.id, deadline }));
}

/** An item's hashes as signal values; core checked them already, so a problem here is a bug and fails the request. */
function checkedSignals(item: ItemInput): SignalValues {
  const read = signalTypes.readAll(item.hashes ?? {});
  if (read.problems.length > 0) throw new Error(`unchecked item hashes reached the store: ${read.problems.map((p) => p.field).join(', ')}`);
  return read.values;
}

/** Facts about an item that the audit skeleton keeps after retention: which identifiers it had, not their values. */
export function itemAuditData(item: ItemInput, position: number, deadline: Date, repeat?: RepeatLink): Record<string, unknown> {
  return {
    ...(repeat && { repeatOf: repeat.itemId, repeatKind: repeat.kind }),
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
    // Asking again is linked to the earlier item, never counted against the person (repeat-request.ts).
    const itemKeys = repeatKeys(keys, notifier, request.items);
    const links = await findEarlierItems(tx, itemKeys);
    const forgiven = [...new Set(links.flatMap((link) => (link ? [link.caseId] : [])))];
    const repeated = links.filter(Boolean).length;
    const route = routeRequest(request, await notifierHistory(tx, notifier, receivedAt, forgiven), {}, repeated);
    const caseNumber = await insertCaseWithFreshNumber(tx, keys, pin, {
      id: caseId,
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
    });
    const items = await insertItems(tx, caseId, 0, request.items, receivedAt, deadline, itemKeys.map((k, i) => ({ keys: k, link: links[i] })));
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
        data: itemAuditData(request.items[i], i, deadline, links[i]),
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
