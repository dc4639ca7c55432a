import { appendAudit } from '../store/audit-chain.ts';
import type { Keys } from '../crypto/keys.ts';
import { planAfterFailure, type DeliverySchedule } from '../platform/delivery-schedule.ts';
import { signWebhook, SIGNATURE_HEADER } from '../platform/webhook-signature.ts';
import type { Tx } from '../store/database.ts';
import { openWebhookSecret } from './platform-accounts.ts';
import { WEBHOOK_DELIVERY_JOB } from '../store/platform-events.ts';
import { enqueueJobs } from '../store/job-queue.ts';
import type { JobHandler } from '../store/job-queue.ts';

export { WEBHOOK_DELIVERY_JOB };

export interface WebhookDeliveryOptions {
  /** The server's keys (the webhook secrets are stored encrypted with the PII key). */
  keys: Keys;
  schedule: DeliverySchedule;
}

/** Posts one event; resolves to undefined on a 2xx answer, else to what went wrong (no body content kept). */
async function post(url: string, body: string, signature: string, eventId: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'takedown-event-id': eventId, 'user-agent': 'takedown-webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? undefined : `the endpoint answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not connect (${cause ?? (error as Error).message})`;
  }
}

/**
 * Delivers one platform event (at least once). A failure is recorded on the event and a new delivery job is
 * queued after the backoff delay; when deliveries keep failing, the item the event is about goes to a person
 * before its deadline passes (the law's clock does not stop because a webhook is down).
 */
export function webhookDeliveryHandler(options: WebhookDeliveryOptions): JobHandler {
  return async (tx: Tx, job, now) => {
    const eventId = String(job.payload.eventId ?? '');
    const event = await tx.selectFrom('platform_events').selectAll().where('id', '=', eventId).forUpdate().executeTakeFirst();
    if (!event || event.delivered_at || event.gave_up_at) return;
    const platform = await tx.selectFrom('platforms').select(['id', 'webhook_url', 'webhook_secret', 'disabled_at']).where('id', '=', event.platform_id).executeTakeFirstOrThrow();
    if (platform.disabled_at) return;
    let failure: string | undefined;
    if (!platform.webhook_url || !platform.webhook_secret) {
      failure = 'the platform has not set a webhook endpoint';
    } else {
      const body = JSON.stringify(event.payload);
      const secret = openWebhookSecret(options.keys, platform.id, platform.webhook_secret);
      const signature = signWebhook(secret, body, Math.floor(now.getTime() / 1000));
      failure = await post(platform.webhook_url, body, signature, event.id, options.schedule.timeoutMs);
    }
    const attempts = event.attempts + 1;
    if (failure === undefined) {
      await tx.updateTable('platform_events').set({ attempts, last_attempt_at: now, delivered_at: now, last_error: null }).where('id', '=', event.id).execute();
      return;
    }
    const item = event.item_id
      ? await tx.selectFrom('items').select(['id', 'case_id', 'state', 'deadline_at', 'escalation_level']).where('id', '=', event.item_id).executeTakeFirst()
      : undefined;
    const open = item !== undefined && (item.state === 'pending' || item.state === 'confirmed');
    const plan = planAfterFailure({ failures: attempts, now, deadline: open ? item.deadline_at : undefined, alreadyEscalated: event.escalated_at !== null }, options.schedule);
    await tx
      .updateTable('platform_events')
      .set({ attempts, last_attempt_at: now, last_error: failure, gave_up_at: plan.retryAt ? null : now, escalated_at: plan.escalate ? now : event.escalated_at })
      .where('id', '=', event.id)
      .execute();
    if (plan.retryAt) await enqueueJobs(tx, now, [{ kind: WEBHOOK_DELIVERY_JOB, payload: { eventId: event.id }, runAt: plan.retryAt }]);
    const audit = [];
    if (plan.escalate && item && open) {
      await tx.updateTable('items').set({ escalation_level: Math.max(1, item.escalation_level) }).where('id', '=', item.id).execute();
      audit.push({ actor: 'system', action: 'item.escalated', caseId: item.case_id, itemId: item.id, reason: plan.escalationReason, data: { eventId: event.id, eventType: event.type, attempts, lastError: failure, from: item.escalation_level, to: Math.max(1, item.escalation_level) } });
    }
    if (!plan.retryAt) {
      audit.push({ actor: 'system', action: 'platform.delivery_failed', caseId: event.case_id, itemId: event.item_id, reason: `gave up after ${attempts} attempts: ${failure}`, data: { eventId: event.id, eventType: event.type } });
    }
    await appendAudit(tx, now, audit);
  };
}
