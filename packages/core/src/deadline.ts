import { HOUR_MS } from './clock.ts';
import type { JurisdictionRules } from './jurisdiction.ts';

/**
 * The removal clock, §3(a)(3)(A): "as soon as possible, but not later than 48 hours after receiving" a valid
 * request (hours per jurisdiction). The clock runs from receipt and stops when the platform removes the item;
 * every function takes `removedAt` so a stopped clock reads the same forever after.
 */

/**
 * When an item must be removed by.
 * @example itemDeadline(new Date('2026-05-19T10:00:00Z'), rulesFor('US')) // 2026-05-21T10:00:00Z
 */
export function itemDeadline(receivedAt: Date, rules: Pick<JurisdictionRules, 'removalDeadlineHours'>): Date {
  return new Date(receivedAt.getTime() + rules.removalDeadlineHours * HOUR_MS);
}

/** Time on the clock: from receipt to removal, or to now while not removed. */
export function elapsedMs(receivedAt: Date, now: Date, removedAt?: Date): number {
  return stopTime(now, removedAt) - receivedAt.getTime();
}

/**
 * How far an item has climbed towards senior attention: 0 before the first escalation point, 1 from the first,
 * 2 from the second (US: 24 h and 36 h). A removed item keeps the level it had reached when the clock stopped.
 */
export function escalationLevel(
  receivedAt: Date,
  now: Date,
  rules: Pick<JurisdictionRules, 'escalationAfterHours'>,
  removedAt?: Date,
): 0 | 1 | 2 {
  const elapsed = elapsedMs(receivedAt, now, removedAt);
  let level = 0;
  for (const hours of rules.escalationAfterHours) {
    if (elapsed >= hours * HOUR_MS) level += 1;
  }
  return Math.min(level, 2) as 0 | 1 | 2;
}

/** Milliseconds until the deadline (negative once it has passed); frozen at removal. */
export function timeLeftMs(deadline: Date, now: Date, removedAt?: Date): number {
  return deadline.getTime() - stopTime(now, removedAt);
}

/** True when the item was removed after its deadline, or is still not removed and the deadline has passed. */
export function isBreached(deadline: Date, now: Date, removedAt?: Date): boolean {
  // "Not later than 48 hours": removal at exactly the deadline is in time.
  return timeLeftMs(deadline, now, removedAt) < 0;
}

function stopTime(now: Date, removedAt?: Date): number {
  return removedAt === undefined ? now.getTime() : removedAt.getTime();
}
