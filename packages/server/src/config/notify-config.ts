import { ROLES, type Role } from '@takedown/core';
import type { StaffRoute } from '../notifications/staff-alerts.ts';
import type { SettingsReader } from './settings-reader.ts';

/** Notifications: how email leaves, who on staff is told what, and the links messages carry. */
export interface NotifyConfig {
  /** The site's public address, for links in messages (TAKEDOWN_PUBLIC_URL). */
  publicUrl: string;
  /** The SMTP server (TAKEDOWN_SMTP_URL, e.g. smtp://user:pass@mail.example.org:587); unset: no email is sent. */
  smtpUrl?: string;
  /** The From line (TAKEDOWN_MAIL_FROM): a neutral name that says nothing about what the case is. */
  mailFrom: string;
  /** One subject for every message to a requester (TAKEDOWN_MAIL_SUBJECT); unset: "An update on your case", translated. */
  mailSubject?: string;
  /** Where staff alerts go, per role (TAKEDOWN_STAFF_ALERTS). */
  staffRoutes: StaffRoute[];
  /** Attempts before a message is given up on (TAKEDOWN_NOTIFY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Bounds one attempt: the SMTP conversation or the chat post (TAKEDOWN_NOTIFY_TIMEOUT_MS). */
  timeoutMs: number;
}

export const DEFAULT_NOTIFY_CONFIG: NotifyConfig = {
  publicUrl: 'http://localhost:3000',
  mailFrom: 'Case updates <no-reply@localhost>',
  staffRoutes: [],
  maxAttempts: 12,
  timeoutMs: 15_000,
};

/** Reads TAKEDOWN_PUBLIC_URL, TAKEDOWN_SMTP_URL, TAKEDOWN_MAIL_FROM, TAKEDOWN_MAIL_SUBJECT, TAKEDOWN_STAFF_ALERTS and the retry settings. */
export function readNotifyConfig(read: SettingsReader, port: number): NotifyConfig {
  const d = DEFAULT_NOTIFY_CONFIG;
  return {
    publicUrl: readPublicUrl(read, port),
    smtpUrl: readSmtpUrl(read),
    mailFrom: read.text('TAKEDOWN_MAIL_FROM')?.trim() || d.mailFrom,
    mailSubject: read.text('TAKEDOWN_MAIL_SUBJECT')?.trim() || undefined,
    staffRoutes: readStaffRoutes(read),
    maxAttempts: read.wholeNumber('TAKEDOWN_NOTIFY_MAX_ATTEMPTS', d.maxAttempts, { min: 1, max: 100, unit: 'attempts' }),
    timeoutMs: read.wholeNumber('TAKEDOWN_NOTIFY_TIMEOUT_MS', d.timeoutMs, { min: 100, unit: 'milliseconds' }),
  };
}

function readPublicUrl(read: SettingsReader, port: number): string {
  const raw = read.text('TAKEDOWN_PUBLIC_URL')?.trim();
  if (!raw) return `http://localhost:${port}`;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    read.problem('TAKEDOWN_PUBLIC_URL', `TAKEDOWN_PUBLIC_URL must be the site's address, such as https://takedown.example.org; got "${raw}".`);
    return '';
  }
  return url.href.replace(/\/+$/, '');
}

function readSmtpUrl(read: SettingsReader): string | undefined {
  const raw = read.text('TAKEDOWN_SMTP_URL')?.trim();
  if (!raw) return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    // Never echo the value: it may hold the server's password.
    read.problem('TAKEDOWN_SMTP_URL', 'TAKEDOWN_SMTP_URL must be an smtp:// or smtps:// address, such as smtp://user:password@mail.example.org:587.');
    return undefined;
  }
  return raw;
}

/**
 * TAKEDOWN_STAFF_ALERTS: comma-separated `role=address` pairs; a `mailto:` address is a team mailbox, an
 * http(s) address a chat incoming webhook (Slack, Mattermost, Matrix hookshot: JSON `{"text": …}`).
 * @example
 * TAKEDOWN_STAFF_ALERTS=reviewer=mailto:reviewers@example.org,admin=https://hooks.slack.com/services/T/B/X
 */
export function readStaffRoutes(read: SettingsReader): StaffRoute[] {
  const raw = read.text('TAKEDOWN_STAFF_ALERTS')?.trim();
  if (!raw) return [];
  const routes: StaffRoute[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    const role = part.slice(0, at).trim();
    const target = part.slice(at + 1).trim();
    const email = /^mailto:[^\s@,]+@[^\s@,]+$/i.test(target) ? target.slice('mailto:'.length) : undefined;
    const chat = /^https?:\/\//i.test(target) && URL.canParse(target) ? target : undefined;
    if (at < 1 || !(ROLES as readonly string[]).includes(role) || (!email && !chat)) {
      read.problem(
        'TAKEDOWN_STAFF_ALERTS',
        `TAKEDOWN_STAFF_ALERTS must be comma-separated role=address pairs, the role one of ${ROLES.join(', ')} and the address mailto:team@example.org or a chat webhook https://…; "${part.slice(0, Math.max(at, 0)) || part.slice(0, 20)}…" is not.`,
      );
      continue;
    }
    routes.push({ role: role as Role, channel: email ? 'email' : 'chat', target: email ?? chat! });
  }
  return routes;
}
