import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { Keys } from '../crypto/keys.ts';
import { checkOutboundUrl, type OutboundPolicy, type OutboundRefusal } from '../net/outbound-guard.ts';
import { postOnce, type PostOutcome } from '../net/outbound-post.ts';
import { planAfterFailure, type DeliverySchedule } from '../platform/delivery-schedule.ts';
import { signWebhook, SIGNATURE_HEADER } from '../platform/webhook-signature.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { openWebhookSecret } from './platform-accounts.ts';
import { queueStaffAlert } from './notifications.ts';
import { WEBHOOK_DELIVERY_JOB } from '../store/platform-events.ts';
import { claimLaneHeads, markJobDone, rescheduleJob } from '../store/job-queue.ts';

/** The job kind of a webhook delivery (its lanes time and trace it under this name). */
export { WEBHOOK_DELIVERY_JOB };

/** One event to deliver, leased from its platform's lane: what the attempt needs, read in the claim. */
export interface DeliveryTask {
  jobId: number;
  /** The platform's lane (its id): one delivery at a time per lane. */
  lane: string;
  eventId: string;
  platformId: string;
  url: string | null;
  sealedSecret: Uint8Array | null;
  body: string;
}

/**
 * Leases the next due event of up to `limit` platforms (not those in `skipLanes`, already being delivered to),
 * oldest first within each platform. An event already delivered (acknowledged meanwhile) or given up on, or one
 * for a disabled platform, ends here. A leased event is tried again after `leaseMs` if this process dies first.
 */
export async function claimDeliveries(database: OpenDatabase, now: Date, options: { limit: number; skipLanes: readonly string[]; leaseMs: number }): Promise<DeliveryTask[]> {
  return database.transaction(async (tx) => {
    const jobs = await claimLaneHeads(tx, now, WEBHOOK_DELIVERY_JOB, { limit: options.limit, skipLanes: options.skipLanes, leaseUntil: new Date(now.getTime() + options.leaseMs) });
    const tasks: DeliveryTask[] = [];
    for (const job of jobs) {
      const eventId = String(job.payload.eventId ?? '');
      const event = await tx.selectFrom('platform_events').select(['id', 'platform_id', 'payload', 'delivered_at', 'gave_up_at']).where('id', '=', eventId).executeTakeFirst();
      const platform = event && (await tx.selectFrom('platforms').select(['webhook_url', 'webhook_secret', 'disabled_at']).where('id', '=', event.platform_id).executeTakeFirst());
      if (!event || !platform || event.delivered_at || event.gave_up_at || platform.disabled_at) {
        await markJobDone(tx, job.id, now);
        continue;
      }
      tasks.push({ jobId: job.id, lane: job.lane, eventId, platformId: event.platform_id, url: platform.webhook_url, sealedSecret: platform.webhook_secret, body: JSON.stringify(event.payload) });
    }
    return tasks;
  });
}

/** What the platform (and the audit log) is told about a failed attempt: a category, never socket details. */
const REFUSALS: Record<OutboundRefusal, string> = {
  invalid_url: 'refused: the webhook URL is not valid',
  credentials_in_url: 'refused: the webhook URL carries credentials',
  scheme: 'refused: the webhook URL is not https',
  unresolved: 'the host name does not resolve',
  forbidden_address: 'refused: the webhook URL does not point at a public address',
};

function describeOutcome(outcome: PostOutcome, timeoutMs: number): string | undefined {
  if (outcome.kind === 'answered') return outcome.status >= 200 && outcome.status < 300 ? undefined : `the endpoint answered HTTP ${outcome.status}`;
  if (outcome.failure === 'timeout') return `no answer within ${timeoutMs} ms`;
  return outcome.failure === 'tls' ? 'TLS handshake or certificate check failed' : 'could not connect';
}

/** Resolves to the promise's value, or to `timedOut` once `signal` fires (a name lookup cannot be cancelled). */
function until<T>(promise: Promise<T>, signal: AbortSignal, timedOut: T): Promise<T> {
  if (signal.aborted) return Promise.resolve(timedOut);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(timedOut);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * One delivery attempt, outside any transaction: the URL is checked again (its name resolved now, the address
 * refused unless public or allowed by the operator) and the signed event is posted to the checked address.
 * Resolves to undefined on a 2xx answer, else to the failure's category. `timeoutMs` bounds the whole attempt;
 * `stop` ends it early without an outcome (the server is stopping: the lease brings the event back).
 */
export async function attemptDelivery(task: DeliveryTask, options: { keys: Keys; outbound: OutboundPolicy; timeoutMs: number; now: Date; stop: AbortSignal }): Promise<string | undefined> {
  if (!task.url || !task.sealedSecret) return 'the platform has not set a webhook endpoint';
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.stop]);
  const checked = await until(checkOutboundUrl(task.url, options.outbound), signal, undefined);
  if (!checked) return `no answer within ${options.timeoutMs} ms`;
  if (!checked.ok) return REFUSALS[checked.refusal];
  const secret = openWebhookSecret(options.keys, task.platformId, task.sealedSecret);
  const signature = signWebhook(secret, task.body, Math.floor(options.now.getTime() / 1000));
  const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'takedown-event-id': task.eventId, 'user-agent': 'takedown-webhooks/1' };
  return describeOutcome(await postOnce(checked.destination, task.body, headers, signal), options.timeoutMs);
}

/**
 * Records an attempt (at least once). On failure the event keeps its place at the head of its platform's lane
 * and is retried after the backoff delay; when deliveries keep failing, the item the event is about goes to a
 * person before its deadline passes (the law's clock does not stop because a webhook is down).
 */
export async function recordDelivery(database: OpenDatabase, now: Date, task: DeliveryTask, failure: string | undefined, schedule: DeliverySchedule): Promise<void> {
  await database.transaction(async (tx) => {
    const event = await tx.selectFrom('platform_events').selectAll().where('id', '=', task.eventId).forUpdate().executeTakeFirst();
    if (!event || event.delivered_at || event.gave_up_at) {
      await markJobDone(tx, task.jobId, now);
      return;
    }
    const attempts = event.attempts + 1;
    if (failure === undefined) {
      await tx.updateTable('platform_events').set({ attempts, last_attempt_at: now, delivered_at: now, last_error: null }).where('id', '=', event.id).execute();
      await markJobDone(tx, task.jobId, now);
      return;
    }
    await recordFailure(tx, now, task, event, attempts, failure, schedule);
  });
}

/** Failed attempts in a row after which staff are told an endpoint is failing. */
const FAILING_AFTER_ATTEMPTS = 3;

type EventRow = { id: string; type: string; item_id: string | null; case_id: string | null; escalated_at: Date | null };
type AuditEntries = AuditEntry[];

async function recordFailure(tx: Tx, now: Date, task: DeliveryTask, event: EventRow, attempts: number, failure: string, schedule: DeliverySchedule): Promise<void> {
  const plan = planAfterFailure({ failures: attempts, now, alreadyEscalated: true }, schedule);
  await tx
    .updateTable('platform_events')
    .set({ attempts, last_attempt_at: now, last_error: failure, gave_up_at: plan.retryAt ? null : now })
    .where('id', '=', event.id)
    .execute();
  if (plan.retryAt) await rescheduleJob(tx, task.jobId, plan.retryAt, failure);
  else await markJobDone(tx, task.jobId, now);
  // Staff hear of an endpoint that keeps failing once when it starts to look broken, and once when it is given up on.
  if ((attempts === FAILING_AFTER_ATTEMPTS || !plan.retryAt) && !(await toldOfThisOutage(tx, now, task.platformId, event.id, !plan.retryAt))) {
    const platform = await tx.selectFrom('platforms').select('name').where('id', '=', task.platformId).executeTakeFirst();
    await queueStaffAlert(tx, now, null, { kind: 'webhook_failing', data: { platform: platform?.name ?? task.platformId, attempts, failure, gaveUp: !plan.retryAt } });
  }
  const audit: AuditEntries = await escalateWaitingItems(tx, now, task.platformId, event.id, attempts, failure, schedule);
  if (!plan.retryAt) {
    audit.push({ actor: 'system', action: 'platform.delivery_failed', caseId: event.case_id, itemId: event.item_id, reason: `gave up after ${attempts} attempts: ${failure}`, data: { eventId: event.id, eventType: event.type } });
  }
  await appendAudit(tx, now, audit);
}

/** How long one outage's alert covers: the same alert about the same platform is not repeated within it. */
const ALERT_COVERS_MS = 24 * 3_600_000;

/**
 * Whether staff were already told of this platform's failing endpoint by another of its events within the last
 * day (only one event of a lane is tried at a time, so the next one starts failing as the last is given up on).
 */
async function toldOfThisOutage(tx: Tx, now: Date, platformId: string, eventId: string, gaveUp: boolean): Promise<boolean> {
  const since = new Date(now.getTime() - ALERT_COVERS_MS);
  const earlier = await tx
    .selectFrom('platform_events')
    .select('id')
    .where('platform_id', '=', platformId)
    .where('delivered_at', 'is', null)
    .where('id', '!=', eventId)
    .where('last_attempt_at', '>=', since)
    .$if(gaveUp, (q) => q.where('gave_up_at', 'is not', null))
    .$if(!gaveUp, (q) => q.where('attempts', '>=', FAILING_AFTER_ATTEMPTS))
    .limit(1)
    .executeTakeFirst();
  return earlier !== undefined;
}

/**
 * The endpoint failed `failures` times in a row: every event still waiting for it (the one just tried and
 * those queued behind it in its lane) is as undelivered. Each open item among them goes to a person when that
 * many failures, or the next attempt's time, says so by its own deadline.
 */
async function escalateWaitingItems(tx: Tx, now: Date, platformId: string, triedEventId: string, failures: number, failure: string, schedule: DeliverySchedule): Promise<AuditEntries> {
  const waiting = await tx
    .selectFrom('platform_events as e')
    .innerJoin('items as i', 'i.id', 'e.item_id')
    .select(['e.id', 'e.type', 'i.id as item_id', 'i.case_id', 'i.deadline_at', 'i.escalation_level'])
    .where('e.platform_id', '=', platformId)
    .where('e.delivered_at', 'is', null)
    .where((eb) => eb.or([eb('e.gave_up_at', 'is', null), eb('e.id', '=', triedEventId)]))
    .where('e.escalated_at', 'is', null)
    .where('i.state', 'in', ['pending', 'confirmed'])
    .execute();
  const audit: AuditEntries = [];
  for (const event of waiting) {
    const plan = planAfterFailure({ failures, now, deadline: event.deadline_at, alreadyEscalated: false }, schedule);
    if (!plan.escalate) continue;
    const level = Math.max(1, event.escalation_level);
    await tx.updateTable('platform_events').set({ escalated_at: now }).where('id', '=', event.id).execute();
    await tx.updateTable('items').set({ escalation_level: level }).where('id', '=', event.item_id).execute();
    audit.push({ actor: 'system', action: 'item.escalated', caseId: event.case_id, itemId: event.item_id, reason: plan.escalationReason, data: { eventId: event.id, eventType: event.type, attempts: failures, lastError: failure, from: event.escalation_level, to: level } });
  }
  return audit;
}
