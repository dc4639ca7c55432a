import { randomUUID } from 'node:crypto';
import type { Tx } from './database.ts';
import { enqueueJobs } from './job-queue.ts';
import type { NotificationsTable } from './schema.ts';

/** The job that sends one notification (its payload: the notification's id, nothing else). */
export const SEND_NOTIFICATION_JOB = 'notification.send';

export interface NewNotification {
  audience: NotificationsTable['audience'];
  channel: string | null;
  kind: string;
  caseId: string | null;
  target: string | null;
  data: Record<string, unknown>;
}

/** Records notifications and queues their sending, inside the caller's transaction (the outbox). */
export async function queueNotifications(tx: Tx, now: Date, notifications: NewNotification[]): Promise<string[]> {
  if (notifications.length === 0) return [];
  const rows = notifications.map((n) => ({
    id: randomUUID(),
    audience: n.audience,
    channel: n.channel,
    kind: n.kind,
    case_id: n.caseId,
    target: n.target,
    data: JSON.stringify(n.data),
    state: 'queued' as const,
    last_error: null,
    created_at: now,
    sent_at: null,
    finished_at: null,
  }));
  await tx.insertInto('notifications').values(rows).execute();
  await enqueueJobs(tx, now, rows.map((row) => ({ kind: SEND_NOTIFICATION_JOB, payload: { notificationId: row.id }, runAt: now })));
  return rows.map((row) => row.id);
}

/** Ends a notification: sent, refused for good, given up on, or cancelled (nobody to send it to any more). */
export async function finishNotification(tx: Tx, id: string, now: Date, state: 'sent' | 'failed' | 'rejected' | 'cancelled', attempts: number, error: string | null): Promise<void> {
  await tx
    .updateTable('notifications')
    .set({ state, attempts, last_error: error, finished_at: now, sent_at: state === 'sent' ? now : null })
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt of a notification that will be tried again. */
export async function noteNotificationAttempt(tx: Tx, id: string, attempts: number, error: string): Promise<void> {
  await tx.updateTable('notifications').set({ attempts, last_error: error }).where('id', '=', id).execute();
}

/** Cancels the requester's notices still waiting for these cases (their personal data is being erased). */
export async function cancelRequesterNotices(tx: Tx, now: Date, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await tx
    .updateTable('notifications')
    .set({ state: 'cancelled', finished_at: now, last_error: 'the case’s personal data was deleted' })
    .where('case_id', 'in', caseIds)
    .where('audience', '=', 'requester')
    .where('state', '=', 'queued')
    .execute();
  await tx.deleteFrom('pin_resets').where('case_id', 'in', caseIds).execute();
}

/** Notifications for staff to look at: those that did not arrive (failed, rejected) or all, newest first. */
export async function listNotifications(tx: Tx, filter: { states: readonly NotificationsTable['state'][]; limit: number }) {
  return tx
    .selectFrom('notifications as n')
    .leftJoin('cases as c', 'c.id', 'n.case_id')
    .select(['n.id', 'n.audience', 'n.channel', 'n.kind', 'c.case_number', 'n.state', 'n.attempts', 'n.last_error', 'n.created_at', 'n.finished_at'])
    .where('n.state', 'in', [...filter.states])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(filter.limit)
    .execute();
}
