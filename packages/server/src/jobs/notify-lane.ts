import type { Clock } from '@takedown/core';
import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import { MailSender } from '../notifications/mail-sender.ts';
import type { NotifySettings } from '../services/notifications.ts';
import type { OpenDatabase } from '../store/database.ts';
import { NotificationDispatcher } from './notification-dispatcher.ts';
import type { JobLogger } from './worker.ts';

/** What the notification services are given of the configuration. */
export function notifySettings(config: ServerConfig): NotifySettings {
  const { notify } = config;
  return { publicUrl: notify.publicUrl, subject: notify.mailSubject, staffRoutes: notify.staffRoutes, maxAttempts: notify.maxAttempts, emailConfigured: notify.smtpUrl !== undefined };
}

/** The notification lane of the server's jobs, with an SMTP client when TAKEDOWN_SMTP_URL is set. */
export function createNotificationDispatcher(options: { config: ServerConfig; database: OpenDatabase; clock: Clock; keys: Keys; logger?: JobLogger }): NotificationDispatcher {
  const { config } = options;
  const { notify } = config;
  const mail = notify.smtpUrl ? new MailSender({ smtpUrl: notify.smtpUrl, from: notify.mailFrom, timeoutMs: notify.timeoutMs }) : undefined;
  return new NotificationDispatcher({ ...options, settings: notifySettings(config), mail, outbound: config.outbound, timeoutMs: notify.timeoutMs, pollMs: config.workerPollMs });
}
