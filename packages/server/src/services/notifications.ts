import { randomInt } from 'node:crypto';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import { renderRequesterNotice, type QueuedRequesterNotice, type RequesterNotice } from '../notifications/requester-messages.ts';
import type { OutgoingMessage, SendOutcome } from '../notifications/send-outcome.ts';
import { renderStaffAlert, STAFF_ALERT_ROLES, type StaffAlert, type StaffRoute } from '../notifications/staff-alerts.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { openCasePii } from '../store/case-pii.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { leaseDueJobs, markJobDone, rescheduleJob } from '../store/job-queue.ts';
import { finishNotification, listNotifications, noteNotificationAttempt, queueNotifications, SEND_NOTIFICATION_JOB } from '../store/notifications.ts';

/** What sending needs to know, given by the edge: links, the subject override, staff routes, the retry budget. */
export interface NotifySettings {
  /** The site's public address, for links (`https://takedown.example`). */
  publicUrl: string;
  /** The operator's own subject for every message to a requester; unset: the language's neutral one. */
  subject?: string;
  staffRoutes: readonly StaffRoute[];
  /** Attempts before a message that keeps failing is given up on (and shown to staff as failed). */
  maxAttempts: number;
  /** Whether email can be sent at all (an SMTP server is configured). */
  emailConfigured: boolean;
}

/** How long a PIN recovery code works. */
export const PIN_RESET_MINUTES = 30;

/**
 * Queues a notice to the person who asked, on each channel they opted in to, inside the caller's transaction
 * (the event that causes it commits with it, or neither does). Nothing is queued for a case whose personal data
 * is gone or whose requester did not ask to be told. For other features (appeals, drafts) to call.
 * @example
 * await queueRequesterNotice(tx, now, caseId, { kind: 'appeal_received', data: { caseNumber } });
 */
export async function queueRequesterNotice(tx: Tx, now: Date, caseId: string, notice: QueuedRequesterNotice, options: { evenWithoutOptIn?: boolean } = {}): Promise<void> {
  const row = await tx.selectFrom('cases').select(['notify_channels', 'pii_deleted_at']).where('id', '=', caseId).executeTakeFirst();
  if (!row || row.pii_deleted_at) return;
  const channels = options.evenWithoutOptIn ? ['email'] : row.notify_channels;
  await queueNotifications(tx, now, channels.map((channel) => ({ audience: 'requester', channel, kind: notice.kind, caseId, target: null, data: notice.data })));
}

/**
 * Queues an alert for staff inside the caller's transaction. Which routes it goes to is decided when it is
 * sent (the routes are configuration, read at the edge), where it is copied once per route.
 */
export async function queueStaffAlert(tx: Tx, now: Date, caseId: string | null, alert: StaffAlert): Promise<void> {
  await queueNotifications(tx, now, [{ audience: 'staff', channel: null, kind: alert.kind, caseId, target: null, data: alert.data }]);
}

/** One notification leased for sending, with its message rendered. */
export interface NotificationTask {
  jobId: number;
  notificationId: string;
  kind: string;
  attempts: number;
  message: OutgoingMessage;
}

/**
 * Leases due notifications and makes each ready to leave, in one transaction: a staff alert is copied to each
 * route of its roles (the copies are sent next); a requester's notice reads the contact from the case's
 * encrypted personal data, only now, and is cancelled if that is gone (withdrawn, retention). A PIN recovery
 * code is made here and only its keyed hash is stored, so the code is never at rest in clear.
 */
export async function claimNotifications(database: OpenDatabase, keys: Keys, now: Date, settings: NotifySettings, options: { limit: number; leaseMs: number }): Promise<{ leased: number; tasks: NotificationTask[] }> {
  return database.transaction(async (tx) => {
    const jobs = await leaseDueJobs(tx, now, SEND_NOTIFICATION_JOB, { limit: options.limit, leaseUntil: new Date(now.getTime() + options.leaseMs) });
    const tasks: NotificationTask[] = [];
    for (const job of jobs) {
      const row = await tx.selectFrom('notifications').selectAll().where('id', '=', String(job.payload.notificationId ?? '')).forUpdate().executeTakeFirst();
      if (!row || row.state !== 'queued') {
        await markJobDone(tx, job.id, now);
        continue;
      }
      const prepared = row.audience === 'staff' ? await prepareStaffAlert(tx, now, row, settings) : await prepareRequesterNotice(tx, keys, now, row, settings);
      if (typeof prepared === 'string') {
        await finishNotification(tx, row.id, now, prepared === 'fanned out' ? 'sent' : 'cancelled', row.attempts, prepared === 'fanned out' ? null : prepared);
        await markJobDone(tx, job.id, now);
        continue;
      }
      if (prepared.channel === 'email' && !settings.emailConfigured) {
        await giveUp(tx, now, job.id, row, 'failed', row.attempts, 'no mail server is configured (TAKEDOWN_SMTP_URL)');
        continue;
      }
      tasks.push({ jobId: job.id, notificationId: row.id, kind: row.kind, attempts: row.attempts, message: prepared });
    }
    // `leased` counts the jobs ended here too (fanned out, cancelled): the caller claims again until none is due.
    return { leased: jobs.length, tasks };
  });
}

type NotificationRow = { id: string; audience: string; channel: string | null; kind: string; case_id: string | null; target: string | null; data: Record<string, unknown>; attempts: number };

async function prepareStaffAlert(tx: Tx, now: Date, row: NotificationRow, settings: NotifySettings): Promise<OutgoingMessage | string> {
  const alert = { kind: row.kind, data: row.data } as StaffAlert;
  if (row.channel === null) {
    const roles = STAFF_ALERT_ROLES[alert.kind] ?? [];
    const routes = settings.staffRoutes.filter((route) => roles.includes(route.role));
    const targets = [...new Map(routes.map((route) => [`${route.channel} ${route.target}`, route])).values()];
    if (targets.length === 0) return 'no staff route takes this alert';
    await queueNotifications(tx, now, targets.map((route) => ({ audience: 'staff', channel: route.channel, kind: row.kind, caseId: row.case_id, target: route.target, data: row.data })));
    return 'fanned out';
  }
  const { subject, text } = renderStaffAlert(alert, `${settings.publicUrl}/review`);
  return { channel: row.channel === 'chat' ? 'chat' : 'email', to: row.target ?? '', subject, text };
}

async function prepareRequesterNotice(tx: Tx, keys: Keys, now: Date, row: NotificationRow, settings: NotifySettings): Promise<OutgoingMessage | string> {
  const caseRow = row.case_id ? await tx.selectFrom('cases').select(['id', 'pii', 'language', 'time_zone']).where('id', '=', row.case_id).executeTakeFirst() : undefined;
  if (!caseRow?.pii) return 'the case’s personal data was deleted';
  const email = openCasePii(keys.pii, caseRow.id, Buffer.from(caseRow.pii)).contact.email;
  if (row.channel !== 'email' || !email) return 'there is no address for this channel';
  let data = row.data;
  if (row.kind === 'pin_reset') {
    const reset = await tx.selectFrom('pin_resets').select(['id', 'expires_at', 'used_at']).where('id', '=', String(row.data.resetId ?? '')).executeTakeFirst();
    if (!reset || reset.used_at || reset.expires_at <= now) return 'the recovery request has expired';
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    await tx.updateTable('pin_resets').set({ code_hash: pinResetCodeHash(keys, String(row.data.caseNumber), code) }).where('id', '=', reset.id).execute();
    data = { caseNumber: row.data.caseNumber, code: `${code.slice(0, 4)} ${code.slice(4)}`, minutes: Math.max(1, Math.round((reset.expires_at.getTime() - now.getTime()) / 60_000)) };
  }
  const links = { status: `${settings.publicUrl}/status`, recover: `${settings.publicUrl}/recover` };
  const { subject, text } = renderRequesterNotice({ kind: row.kind, data } as RequesterNotice, { language: caseRow.language, timeZone: caseRow.time_zone ?? undefined, links, subject: settings.subject });
  return { channel: 'email', to: email, subject, text };
}

/** The keyed hash a PIN recovery code is stored and checked as (spaces and dashes the person types are ignored). */
export function pinResetCodeHash(keys: Keys, caseNumber: string, code: string): string {
  return hmacHex(keys.pin, 'pin reset', caseNumber, code.replace(/[\s-]/g, ''));
}

/**
 * Records how an attempt went. Sent: done. Refused for good: recorded, not tried again. Otherwise tried again
 * with a doubling delay (30 s, 1 min, 2 min… up to an hour) until `maxAttempts`, then given up on. What did not
 * arrive stays visible to staff (`GET /v1/staff/notifications`) and is in the audit log.
 */
export async function recordNotificationOutcome(database: OpenDatabase, now: Date, task: NotificationTask, outcome: SendOutcome, maxAttempts: number): Promise<void> {
  await database.transaction(async (tx) => {
    const row = await tx.selectFrom('notifications').selectAll().where('id', '=', task.notificationId).forUpdate().executeTakeFirst();
    if (!row || row.state !== 'queued') {
      await markJobDone(tx, task.jobId, now);
      return;
    }
    const attempts = row.attempts + 1;
    if (outcome.kind === 'sent') {
      await finishNotification(tx, row.id, now, 'sent', attempts, null);
      await markJobDone(tx, task.jobId, now);
    } else if (outcome.kind === 'rejected') {
      await giveUp(tx, now, task.jobId, row, 'rejected', attempts, outcome.reason);
    } else if (attempts >= maxAttempts) {
      await giveUp(tx, now, task.jobId, row, 'failed', attempts, `gave up after ${attempts} attempts: ${outcome.reason}`);
    } else {
      await noteNotificationAttempt(tx, row.id, attempts, outcome.reason);
      await rescheduleJob(tx, task.jobId, new Date(now.getTime() + retryDelayMs(attempts)), outcome.reason);
    }
  });
}

/** The wait before attempt `attempts + 1`: 30 s doubling, capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.min(attempts - 1, 10));
}

async function giveUp(tx: Tx, now: Date, jobId: number, row: NotificationRow, state: 'failed' | 'rejected', attempts: number, reason: string): Promise<void> {
  await finishNotification(tx, row.id, now, state, attempts, reason);
  await markJobDone(tx, jobId, now);
  await appendAudit(tx, now, [
    { actor: 'system', action: `notification.${state}`, caseId: row.case_id, reason, data: { notificationId: row.id, audience: row.audience, channel: row.channel, kind: row.kind, attempts } },
  ]);
}

/** What staff see of the outbox: kinds, states, case numbers and failure reasons; no address, no message. */
export interface NotificationView {
  id: string;
  audience: string;
  channel: string | null;
  kind: string;
  caseNumber: string | null;
  state: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The notifications in the given states (by default the ones that did not arrive), newest first. */
export async function listNotificationsFor(database: OpenDatabase, filter: { states: readonly ('queued' | 'sent' | 'failed' | 'rejected' | 'cancelled')[]; limit: number }): Promise<NotificationView[]> {
  const rows = await database.transaction((tx) => listNotifications(tx, filter));
  return rows.map((row) => ({
    id: row.id,
    audience: row.audience,
    channel: row.channel,
    kind: row.kind,
    caseNumber: row.case_number ?? null,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  }));
}
