import { DAY_MS } from './clock.ts';
import { type Failure, failure } from './result.ts';

/**
 * Safeguards against people who keep sending manifestly unfounded notices (DSA Art. 23(2)): first a
 * warning, then a suspension of their notices for a reasonable period. Staff mark a declined notice as
 * manifestly unfounded; this rule says what the notifier's standing becomes. A notifier is never suspended on
 * their first unfounded notice, never without a warning first, and notices about minors are never refused.
 */
export interface NotifierSafeguards {
  /** The unfounded notice (counted in the window) at which the notifier is warned. At least 1. */
  warnAfter: number;
  /** The unfounded notice at which a warned notifier is suspended. More than warnAfter, at least 2. */
  suspendAfter: number;
  /** How long a suspension lasts. */
  suspensionMs: number;
  /** Only notices marked within this period count. */
  windowMs: number;
}

/** Defaults (decisions/017-appeals-and-notifier-safeguards.md): warn at the 2nd, suspend at the 3rd, 30 days, within a year. */
export const DEFAULT_NOTIFIER_SAFEGUARDS: Readonly<NotifierSafeguards> = Object.freeze({ warnAfter: 2, suspendAfter: 3, suspensionMs: 30 * DAY_MS, windowMs: 365 * DAY_MS });

/** A configuration that would suspend on the first notice, or without a warning, is refused. */
export function checkNotifierSafeguards(s: NotifierSafeguards): { ok: true } | Failure {
  if (!(Number.isInteger(s.warnAfter) && s.warnAfter >= 1)) return failure('warn_after', 'The warning must come at the first unfounded notice or later (a whole number, at least 1).');
  if (!(Number.isInteger(s.suspendAfter) && s.suspendAfter >= 2 && s.suspendAfter > s.warnAfter)) {
    return failure('suspend_after', 'A suspension must come after the warning and never on the first unfounded notice (a whole number, at least 2 and more than the warning’s).');
  }
  if (!(s.suspensionMs > 0)) return failure('suspension', 'The suspension must last some time (at least 1 day).');
  if (!(s.windowMs > 0)) return failure('window', 'The period in which unfounded notices count must be at least 1 day.');
  return { ok: true };
}

export interface NotifierStanding {
  warnedAt: Date | null;
  suspendedUntil: Date | null;
}

/** What marking one more notice unfounded does: nothing yet, a warning, or a suspension until a date. */
export type StandingStep = { step: 'recorded' } | { step: 'warning' } | { step: 'suspension'; until: Date };

/**
 * The step after a notice is marked manifestly unfounded. `unfoundedInWindow` counts this notice too.
 * @example nextStandingStep(3, { warnedAt, suspendedUntil: null }, DEFAULT_NOTIFIER_SAFEGUARDS, now) // suspension
 */
export function nextStandingStep(unfoundedInWindow: number, standing: NotifierStanding, s: NotifierSafeguards, now: Date): StandingStep {
  if (standing.warnedAt !== null && unfoundedInWindow >= s.suspendAfter) return { step: 'suspension', until: new Date(now.getTime() + s.suspensionMs) };
  if (standing.warnedAt === null && unfoundedInWindow >= s.warnAfter) return { step: 'warning' };
  return { step: 'recorded' };
}

/** Whether a new notice from this notifier is refused now. Notices about a minor are always taken. */
export function noticeRefused(standing: NotifierStanding | undefined, now: Date, aboutMinor: boolean): { refused: false } | { refused: true; until: Date } {
  if (aboutMinor || !standing?.suspendedUntil || standing.suspendedUntil <= now) return { refused: false };
  return { refused: true, until: standing.suspendedUntil };
}
