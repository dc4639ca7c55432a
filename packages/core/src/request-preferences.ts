/**
 * How the person wants to be spoken to: the language of the request (messages and pages use it), their time
 * zone (dates in messages are shown in it) and the channels they agreed to be told on. None of these is a
 * condition of a valid request (§3(a)(1)(B) asks for none of them): what cannot be used is normalised, not refused.
 */

/** The languages the public pages and the messages to the person exist in. */
export const REQUEST_LANGUAGES = ['en', 'it', 'es', 'fr', 'de'] as const;
export type RequestLanguage = (typeof REQUEST_LANGUAGES)[number];

/** The channels a person can ask to be told on. Only email today; a text-message channel would add `sms`. */
export const NOTIFY_CHANNELS = ['email'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/**
 * A language tag as a browser sends it (`it-IT`, `pt-BR`, `DE`) read as one of ours: its primary subtag when we
 * have it, else English.
 * @example
 * requestLanguage('it-IT'); // 'it'
 * requestLanguage('pt-BR'); // 'en'
 */
export function requestLanguage(tag: string | null | undefined): RequestLanguage {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (REQUEST_LANGUAGES as readonly string[]).includes(primary) ? (primary as RequestLanguage) : 'en';
}

/** An IANA time zone name the runtime knows (`Europe/Rome`), or undefined for anything else (dates then show in UTC). */
export function knownTimeZone(name: string | null | undefined): string | undefined {
  const trimmed = (name ?? '').trim();
  if (!trimmed || trimmed.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
