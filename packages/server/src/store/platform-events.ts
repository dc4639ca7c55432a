import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { enqueueJobs } from './job-queue.ts';
import type { Tx } from './database.ts';

/** Events a platform receives on its webhook. */
export const PLATFORM_EVENT_TYPES = ['item.remove', 'item.restore', 'case.withdrawn', 'check.review', 'appeal.decided'] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

/** The job that delivers one event (services/webhook-delivery.ts, run in its platform's lane by jobs/webhook-dispatcher.ts). */
export const WEBHOOK_DELIVERY_JOB = 'platform.webhook';

export interface PlatformEventInput {
  platformId: string;
  type: PlatformEventType;
  itemId?: string;
  caseId?: string;
  data: Record<string, unknown>;
}

/**
 * Records an event for a platform and queues its delivery, inside the caller's transaction: the event exists
 * if and only if the change it announces was committed. The body the platform gets is fixed here, with the
 * event id it uses to drop duplicates (delivery is at least once).
 */
export async function queuePlatformEvents(tx: Tx, now: Date, events: PlatformEventInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) {
    const id = randomUUID();
    const body = { id, type: event.type, createdAt: now.toISOString(), data: event.data };
    await tx
      .insertInto('platform_events')
      .values({
        id,
        platform_id: event.platformId,
        type: event.type,
        item_id: event.itemId ?? null,
        case_id: event.caseId ?? null,
        payload: JSON.stringify(body),
        created_at: now,
        last_attempt_at: null,
        last_error: null,
        delivered_at: null,
        escalated_at: null,
        gave_up_at: null,
      })
      .execute();
    ids.push(id);
  }
  // One lane per platform: its events arrive in order, and a slow endpoint holds back only its own.
  await enqueueJobs(tx, now, ids.map((eventId, i) => ({ kind: WEBHOOK_DELIVERY_JOB, payload: { eventId }, runAt: now, lane: events[i].platformId })));
  return ids;
}

/**
 * Platforms that take events: not disabled, with a webhook endpoint. (A platform that only checks uploads
 * has none, and must not make every confirmed item look like a failing delivery.)
 */
export async function activePlatformIds(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom('platforms').select('id').where('disabled_at', 'is', null).where('webhook_url', 'is not', null).orderBy('created_at').execute();
  return rows.map((r) => r.id);
}

/**
 * An acknowledged removal needs no more deliveries of that item's removal instruction; their delivery jobs end
 * too, so one waiting for a retry no longer holds back the platform's later events.
 */
export async function settleItemEvents(tx: Tx, now: Date, platformId: string, itemId: string): Promise<void> {
  const settled = await tx
    .updateTable('platform_events')
    .set({ delivered_at: now })
    .where('platform_id', '=', platformId)
    .where('item_id', '=', itemId)
    .where('type', '=', 'item.remove')
    .where('delivered_at', 'is', null)
    .returning('id')
    .execute();
  if (settled.length === 0) return;
  await tx
    .updateTable('jobs')
    .set({ done_at: now })
    .where('kind', '=', WEBHOOK_DELIVERY_JOB)
    .where('done_at', 'is', null)
    .where('lane', '=', platformId)
    .where(sql<string>`payload->>'eventId'`, 'in', settled.map((e) => e.id))
    .execute();
}

/**
 * Erasure (withdrawal, retention): the address of the reported content leaves the events about a case's items,
 * delivered or not. The rest (item ids, hashes, the platform's own content ids) stays: it is what the platform
 * acted on, and it names nobody.
 */
export async function forgetEventAddresses(tx: Tx, caseIds: string[], itemIds: string[]): Promise<void> {
  if (caseIds.length === 0 && itemIds.length === 0) return;
  await tx
    .updateTable('platform_events')
    .set({ payload: sql<string>`payload #- '{data,url}'` })
    .where((eb) => eb.or([...(caseIds.length > 0 ? [eb('case_id', 'in', caseIds)] : []), ...(itemIds.length > 0 ? [eb('item_id', 'in', itemIds)] : [])]))
    .where(sql<boolean>`payload->'data' ? 'url'`)
    .execute();
}
