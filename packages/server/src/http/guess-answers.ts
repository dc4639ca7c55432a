import { waitInWords } from '@takedown/core';
import type { WrongPin } from '../services/requester-case.ts';
import { HttpError } from './errors.ts';

/**
 * A guess throttle's wait as a 429: when to try again, in the message (for people) and in Retry-After (for
 * programs). `what` names the secret: "wrong PINs from this address for this case number".
 */
export function waitBeforeGuessing(until: Date, now: Date, what: string): HttpError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new HttpError(429, 'too_many_attempts', `Too many ${what}. Try again after ${until.toISOString()} (in ${waitInWords(seconds * 1000)}).`, { retryAfterSeconds: seconds, retryAt: until.toISOString() });
}

/**
 * A wrong PIN, or no such case (the same answer): 404, and a warning before a throttle bites, so the owner
 * who mistypes knows what one more mistake costs.
 */
export function wrongPin(result: WrongPin): HttpError {
  const warning = result.waitUntil
    ? ` To keep cases safe from guessing, the next try from this address must wait until ${result.waitUntil.toISOString()}.`
    : result.nextWaitMs > 0
      ? ` Check both carefully: one more wrong PIN and you will have to wait ${waitInWords(result.nextWaitMs)} before you can try again.`
      : '';
  return new HttpError(404, 'not_found', `No case matches this case number and PIN.${warning}`, guessFacts(result));
}

/** A wrong guess's facts as data, for pages that word the warning in the reader's language. */
export function guessFacts(result: WrongPin): { retryAt?: string; nextWaitSeconds: number; triesBeforeWait: number; waitAfterTriesSeconds: number } {
  return {
    retryAt: result.waitUntil?.toISOString(),
    nextWaitSeconds: Math.ceil(result.nextWaitMs / 1000),
    triesBeforeWait: result.triesBeforeWait,
    waitAfterTriesSeconds: Math.ceil(result.waitAfterTriesMs / 1000),
  };
}
