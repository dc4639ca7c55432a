import { DAY_MS, HOUR_MS, MINUTE_MS } from './clock.ts';

/**
 * How secrets that can be guessed (a case PIN, a staff password) are protected against guessing: a few wrong
 * guesses are free, then each one costs a wait that doubles, up to a ceiling. Nothing is ever locked for good,
 * so a stranger who keeps guessing slows only the counter they are charged to.
 * @example
 * const wait = guessWait(PIN_GUESSES_PER_CLIENT_AND_CASE, { failures: 6, lastFailureAt }, clock.now());
 * if (wait.blockedUntil) answer429(wait.blockedUntil);
 */
export interface GuessThrottleRule {
  /** Wrong guesses in a row that cost nothing. */
  freeFailures: number;
  /** The wait after the first wrong guess beyond the free ones; each further one doubles it… */
  firstWaitMs: number;
  /** …up to this. */
  maxWaitMs: number;
  /** A counter untouched this long starts again from zero (longer than `maxWaitMs`, or waiting would reset it). */
  forgetAfterMs: number;
}

/** Wrong guesses recorded against one counter. */
export interface GuessRecord {
  failures: number;
  lastFailureAt: Date;
}

/**
 * Case PINs, per client network and case number: the owner's own typing errors cost little (5 free), and an
 * address that keeps guessing one case gets about 380 guesses a year (see docs/security.md).
 */
export const PIN_GUESSES_PER_CLIENT_AND_CASE: GuessThrottleRule = { freeFailures: 5, firstWaitMs: MINUTE_MS, maxWaitMs: DAY_MS, forgetAfterMs: 30 * DAY_MS };

/**
 * Case PINs, per client network over every case number: spraying guesses over many cases is held to the same
 * pace (50 free, then the same doubling waits), so one address makes 425 guesses a year in all.
 */
export const PIN_GUESSES_PER_CLIENT: GuessThrottleRule = { freeFailures: 50, firstWaitMs: MINUTE_MS, maxWaitMs: DAY_MS, forgetAfterMs: 30 * DAY_MS };

/**
 * PIN recovery requests, per client network and case number (each request is charged, matching or not): three
 * go through at once, then each waits longer (15 minutes, doubling up to a day), so nobody can flood a person's
 * mailbox with codes.
 */
export const PIN_RESET_REQUESTS_PER_CLIENT_AND_CASE: GuessThrottleRule = { freeFailures: 2, firstWaitMs: 15 * MINUTE_MS, maxWaitMs: DAY_MS, forgetAfterMs: 7 * DAY_MS };

/**
 * Staff passwords, per account (from any address): 10 free, then waits doubling from a minute to 15 minutes,
 * so at most about 110 guesses a day against one account (NIST SP 800-63B §5.2.2 asks for a limit), and the owner is
 * never kept out longer than 15 minutes.
 */
export const STAFF_LOGINS_PER_ACCOUNT: GuessThrottleRule = { freeFailures: 10, firstWaitMs: MINUTE_MS, maxWaitMs: 15 * MINUTE_MS, forgetAfterMs: DAY_MS };

/** The wait that `failures` wrong guesses in a row have earned (0 while they are free). */
export function waitAfterFailures(rule: GuessThrottleRule, failures: number): number {
  const beyond = failures - rule.freeFailures;
  if (beyond <= 0) return 0;
  // 2^(beyond − 1) grows past any ceiling long before it loses precision; the ceiling caps it.
  return Math.min(rule.maxWaitMs, rule.firstWaitMs * 2 ** Math.min(beyond - 1, 40));
}

/** The failures that still count at `now` (a counter left alone long enough is forgotten). */
export function failuresThatCount(rule: GuessThrottleRule, record: GuessRecord | undefined, now: Date): number {
  if (!record) return 0;
  return now.getTime() - record.lastFailureAt.getTime() >= rule.forgetAfterMs ? 0 : record.failures;
}

export interface GuessWait {
  /** Set while a wait is running: no guess is checked before this time. */
  blockedUntil?: Date;
  /** Wrong guesses counted so far. */
  failures: number;
  /** What one more wrong guess would cost (0: it is still free). */
  nextWaitMs: number;
  /**
   * Wrong guesses that can still be made before one brings a wait, that one included: 1 when the next wrong
   * guess starts a wait (and from then on), 2 when one more is free, and so on. Lets a page warn in time.
   */
  triesBeforeWait: number;
  /** The wait the last of those tries brings (equal to `nextWaitMs` when `triesBeforeWait` is 1). */
  waitAfterTriesMs: number;
}

/** Where one counter stands at `now`. */
export function guessWait(rule: GuessThrottleRule, record: GuessRecord | undefined, now: Date): GuessWait {
  const failures = failuresThatCount(rule, record, now);
  const waitMs = waitAfterFailures(rule, failures);
  const until = record && waitMs > 0 ? new Date(record.lastFailureAt.getTime() + waitMs) : undefined;
  const triesBeforeWait = Math.max(1, rule.freeFailures - failures + 1);
  return {
    blockedUntil: until && until > now ? until : undefined,
    failures,
    nextWaitMs: waitAfterFailures(rule, failures + 1),
    triesBeforeWait,
    waitAfterTriesMs: waitAfterFailures(rule, failures + triesBeforeWait),
  };
}

/** The counter after one more wrong guess at `now`. */
export function recordFailure(rule: GuessThrottleRule, record: GuessRecord | undefined, now: Date): GuessRecord {
  return { failures: failuresThatCount(rule, record, now) + 1, lastFailureAt: now };
}

/** A wait in words for the people who meet it: "1 minute", "4 minutes", "2 hours", "1 day". */
export function waitInWords(ms: number): string {
  const [amount, unit] = ms >= DAY_MS ? [ms / DAY_MS, 'day'] : ms >= HOUR_MS ? [ms / HOUR_MS, 'hour'] : [Math.max(1, ms / MINUTE_MS), 'minute'];
  const whole = Math.ceil(amount);
  return `${whole} ${unit}${whole === 1 ? '' : 's'}`;
}
