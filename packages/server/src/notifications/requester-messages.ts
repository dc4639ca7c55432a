import { createIntl, createIntlCache } from '@formatjs/intl';
import { requestLanguage, type RequestLanguage } from '@takedown/core';
import { de } from './catalogues/de.ts';
import { en, type Catalogue, type MessageKey } from './catalogues/en.ts';
import { es } from './catalogues/es.ts';
import { fr } from './catalogues/fr.ts';
import { it } from './catalogues/it.ts';

/** Every language's messages to the person who asked, by language. */
export const CATALOGUES: Record<RequestLanguage, Catalogue> = { en, it, es, fr, de };

/**
 * What the person can be told, and the values each message takes (stored as JSON with the queued notice: no
 * address, no PIN, no link to content). Dates are ISO strings. `pin_reset`'s code is made when the message
 * leaves and is never stored (services/pin-recovery.ts).
 */
export interface RequesterNotices {
  receipt: { caseNumber: string; items: number; deadline: string };
  item_confirmed: { caseNumber: string; position: number };
  item_declined: { caseNumber: string; position: number };
  /** A reviewer decided several parts of the case at once: one message for all of them, with how many. */
  case_decided: { caseNumber: string; outcome: 'confirmed' | 'declined'; items: number };
  item_removed: { caseNumber: string; position: number; at: string };
  /** The uploader of part `position` asked its platform to look again at the removal (never who they are). */
  appeal_received: { caseNumber: string; position: number };
  /** `unchanged`: it stays down; `changed`: a different person decided it may go back up. */
  appeal_decided: { caseNumber: string; position: number; outcome: 'unchanged' | 'changed' };
  /** DSA Art. 23: the notifier is warned before any suspension, and told of one. */
  notifier_warned: { caseNumber: string };
  notifier_suspended: { caseNumber: string; until: string };
  draft_expiring: { at: string };
  pin_reset: { caseNumber: string; code: string; minutes: number };
}
export type RequesterNoticeKind = keyof RequesterNotices;
export type RequesterNotice = { [K in RequesterNoticeKind]: { kind: K; data: RequesterNotices[K] } }[RequesterNoticeKind];
/** A notice as queued: a PIN recovery names its reset, whose code is made only when the message leaves. */
export type QueuedRequesterNotice = Exclude<RequesterNotice, { kind: 'pin_reset' }> | { kind: 'pin_reset'; data: { caseNumber: string; resetId: string } };

export const REQUESTER_NOTICE_KINDS = ['receipt', 'item_confirmed', 'item_declined', 'case_decided', 'item_removed', 'appeal_received', 'appeal_decided', 'notifier_warned', 'notifier_suspended', 'draft_expiring', 'pin_reset'] as const satisfies readonly RequesterNoticeKind[];

/** The body paragraph of each kind, and what follows it. */
const PARTS: Record<RequesterNoticeKind, { body: MessageKey; then: MessageKey[] }> = {
  receipt: { body: 'receipt', then: ['receiptPin', 'nextSteps'] },
  item_confirmed: { body: 'itemConfirmed', then: ['nextSteps'] },
  item_declined: { body: 'itemDeclined', then: ['nextSteps'] },
  case_decided: { body: 'caseDecided', then: ['nextSteps'] },
  item_removed: { body: 'itemRemoved', then: ['nextSteps'] },
  appeal_received: { body: 'appealReceived', then: ['nextSteps'] },
  appeal_decided: { body: 'appealDecided', then: ['nextSteps'] },
  notifier_warned: { body: 'notifierWarned', then: ['nextSteps'] },
  notifier_suspended: { body: 'notifierSuspended', then: ['nextSteps'] },
  draft_expiring: { body: 'draftExpiring', then: [] },
  pin_reset: { body: 'pinReset', then: ['pinResetNotYou'] },
};

/** Date and time as the reader reads them: their language's words and order, their time zone named. */
const FORMATS = { date: { when: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } } } as const;

const cache = createIntlCache();

export interface RenderOptions {
  language: string;
  /** IANA zone; undefined: UTC. */
  timeZone?: string;
  /** Where the person follows their case (`/status`) and recovers a PIN (`/recover`). */
  links: { status: string; recover: string };
  /** The operator's own subject for every message (TAKEDOWN_MAIL_SUBJECT); else the language's neutral one. */
  subject?: string;
}

/**
 * One message to the person, in their language and time zone: a neutral subject and a short plain text.
 * @example
 * renderRequesterNotice({ kind: 'item_removed', data: { caseNumber, position: 2, at } }, { language: 'it', timeZone: 'Europe/Rome', links });
 */
export function renderRequesterNotice(notice: RequesterNotice, options: RenderOptions): { subject: string; text: string } {
  const language = requestLanguage(options.language);
  const intl = createIntl({ locale: language, messages: CATALOGUES[language], timeZone: options.timeZone ?? 'UTC', formats: FORMATS, onError: (error) => { throw error; } }, cache);
  const values: Record<string, string | number | Date> = { link: notice.kind === 'pin_reset' ? options.links.recover : options.links.status };
  for (const [key, value] of Object.entries(notice.data)) values[key] = typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : value;
  const say = (key: MessageKey) => intl.formatMessage({ id: key }, values) as string;
  const parts = PARTS[notice.kind];
  const paragraphs = [say('greeting'), say(parts.body), ...parts.then.map(say), say('signOff')];
  return { subject: options.subject ?? say('subject'), text: `${paragraphs.join('\n\n')}\n` };
}
