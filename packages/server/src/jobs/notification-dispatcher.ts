import type { Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import type { OutboundPolicy } from '../net/outbound-guard.ts';
import { postToChat } from '../notifications/chat-sender.ts';
import type { MailSender } from '../notifications/mail-sender.ts';
import type { SendOutcome } from '../notifications/send-outcome.ts';
import { claimNotifications, recordNotificationOutcome, type NotificationTask, type NotifySettings } from '../services/notifications.ts';
import type { OpenDatabase } from '../store/database.ts';
import type { JobLogger } from './worker.ts';

export interface NotificationDispatcherOptions {
  database: OpenDatabase;
  clock: Clock;
  keys: Keys;
  settings: NotifySettings;
  /** Email; undefined when no SMTP server is configured (email notices are then recorded as failed). */
  mail?: MailSender;
  outbound: OutboundPolicy;
  /** Bounds one attempt (SMTP conversation or chat post). */
  timeoutMs: number;
  pollMs: number;
  logger?: JobLogger;
}

/** Notifications leased per round. */
const BATCH = 10;

/**
 * Sends the outbox's notifications outside any transaction: a batch is leased and rendered (one transaction),
 * each message is sent (no transaction open while a mail server or a chat webhook is waited for), and each
 * outcome is recorded (one transaction each). A message cut short by a crash or a stop is sent again when its
 * lease ends: at least once, nothing lost. Logs carry ids and kinds, never an address or a message.
 */
export class NotificationDispatcher {
  readonly #options: NotificationDispatcherOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  /** Set by stop(): messages leased but not yet sent are left to their lease, which brings them back. */
  #stopping = false;

  constructor(options: NotificationDispatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#stopping = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
    this.#options.mail?.close();
  }

  /** Sends every due notification until none is due; returns how many attempts were made. For tests and the CLI. */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      const { database, keys, clock, settings, timeoutMs } = this.#options;
      const { leased, tasks } = await claimNotifications(database, keys, clock.now(), settings, { limit: BATCH, leaseMs: timeoutMs * 3 + 5_000 });
      if (leased === 0) return count;
      for (const task of tasks) {
        if (this.#stopping) return count;
        await this.#send(task);
        count += 1;
      }
    }
  }

  async #send(task: NotificationTask): Promise<void> {
    const { database, clock, settings, logger } = this.#options;
    try {
      const outcome = await this.#attempt(task);
      await recordNotificationOutcome(database, clock.now(), task, outcome, settings.maxAttempts);
      if (outcome.kind !== 'sent') logger?.warn({ notificationId: task.notificationId, kind: task.kind, outcome: outcome.kind, reason: outcome.reason }, 'notification not sent');
    } catch (error) {
      logger?.error({ notificationId: task.notificationId, err: (error as Error).message }, 'notification error');
    }
  }

  #attempt(task: NotificationTask): Promise<SendOutcome> {
    const { mail, outbound, timeoutMs } = this.#options;
    const { message } = task;
    if (message.channel === 'chat') return postToChat(message.to, message.text, { outbound, timeoutMs });
    if (!mail) return Promise.resolve({ kind: 'retry', reason: 'no mail server is configured (TAKEDOWN_SMTP_URL)' });
    return mail.send(message.to, message.subject, message.text);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.drain()
        .then(() => undefined)
        .catch((error: Error) => this.#options.logger?.error({ err: error.message }, 'notification loop error'))
        .then(() => this.#schedule(this.#options.pollMs));
    }, delayMs);
  }
}
