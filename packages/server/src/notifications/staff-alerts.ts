import type { Role } from '@takedown/core';

/**
 * What staff are told, with the values each alert takes: case numbers, item numbers, counts and times, never
 * a name, a contact, a statement or a link to content. The message links to the console, where the rest is
 * behind a sign-in.
 */
export interface StaffAlerts {
  new_request: { caseNumber: string; items: number; queue: string; deadline: string };
  item_escalated: { caseNumber: string; position: number; level: number; deadline: string };
  item_breached: { caseNumber: string; position: number; deadline: string };
  webhook_failing: { platform: string; attempts: number; failure: string; gaveUp: boolean };
  appeal_overdue: { caseNumber: string; position: number; due: string };
}
export type StaffAlertKind = keyof StaffAlerts;
export type StaffAlert = { [K in StaffAlertKind]: { kind: K; data: StaffAlerts[K] } }[StaffAlertKind];

/** Where staff alerts go: a role's team mailbox or chat webhook (TAKEDOWN_STAFF_ALERTS). */
export interface StaffRoute {
  role: Role;
  channel: 'email' | 'chat';
  target: string;
}

/** Which staff routes each alert goes to, by the role the route is for (TAKEDOWN_STAFF_ALERTS names the role). */
export const STAFF_ALERT_ROLES: Record<StaffAlertKind, readonly Role[]> = {
  new_request: ['reviewer', 'senior'],
  item_escalated: ['senior', 'admin'],
  item_breached: ['senior', 'admin'],
  webhook_failing: ['admin'],
  appeal_overdue: ['senior', 'admin'],
};

/** An instant as staff read it: UTC, to the minute (staff across zones compare the same clock). */
function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One alert as a subject and a plain text (an email's, or a chat message's `text`), in English.
 * @example
 * renderStaffAlert({ kind: 'item_breached', data: { caseNumber, position: 1, deadline } }, 'https://takedown.example/review');
 */
export function renderStaffAlert(alert: StaffAlert, consoleUrl: string): { subject: string; text: string } {
  const line = describe(alert);
  return { subject: line.subject, text: `${line.text}\n\nOpen the console: ${consoleUrl}\n` };
}

function describe(alert: StaffAlert): { subject: string; text: string } {
  switch (alert.kind) {
    case 'new_request': {
      const { caseNumber, items, queue, deadline } = alert.data;
      return { subject: `New request ${caseNumber}`, text: `New request ${caseNumber}: ${items} item${items === 1 ? '' : 's'} in the ${queue} queue, due by ${utc(deadline)}.` };
    }
    case 'item_escalated': {
      const { caseNumber, position, level, deadline } = alert.data;
      return { subject: `Escalated: ${caseNumber} item ${position}`, text: `Item ${position} of ${caseNumber} is still open and was escalated (level ${level}). It is due by ${utc(deadline)}.` };
    }
    case 'item_breached': {
      const { caseNumber, position, deadline } = alert.data;
      return { subject: `Deadline passed: ${caseNumber} item ${position}`, text: `Item ${position} of ${caseNumber} was not removed by its deadline, ${utc(deadline)}.` };
    }
    case 'webhook_failing': {
      const { platform, attempts, failure, gaveUp } = alert.data;
      const what = gaveUp ? `Webhook deliveries to ${platform} were given up after ${attempts} attempts` : `Webhook deliveries to ${platform} are failing (${attempts} attempts so far)`;
      return { subject: `Webhooks failing: ${platform}`, text: `${what}: ${failure}. Items waiting on them go to a person before their deadline.` };
    }
    case 'appeal_overdue': {
      const { caseNumber, position, due } = alert.data;
      return { subject: `Appeal overdue: ${caseNumber} item ${position}`, text: `The uploader's appeal about item ${position} of ${caseNumber} was due to be decided by ${utc(due)} and is still open.` };
    }
  }
}
