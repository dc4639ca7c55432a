import { escalationLevel } from './deadline.ts';
import { type ItemSnapshot, isFinalItemState } from './item-state.ts';
import type { JurisdictionRules } from './jurisdiction.ts';

export type ReviewQueue = 'standard' | 'senior';

/**
 * Which reviewers see an item now: senior when the request was routed there (see routeRequest), when a
 * reviewer escalated it, or when its clock passed the first escalation point (US: 24 h). Final items are in
 * no queue.
 */
export function reviewQueueFor(
  item: Pick<ItemSnapshot, 'state' | 'receivedAt' | 'escalatedAt' | 'removedAt'>,
  routedTo: ReviewQueue,
  now: Date,
  rules: Pick<JurisdictionRules, 'escalationAfterHours'>,
): ReviewQueue | undefined {
  if (isFinalItemState(item.state)) return undefined;
  if (routedTo === 'senior' || item.escalatedAt !== undefined) return 'senior';
  return escalationLevel(item.receivedAt, now, rules, item.removedAt) >= 1 ? 'senior' : 'standard';
}

/**
 * Queue order: soonest deadline first, so breached items (deadlines in the past) are on top; ties by receipt.
 * @example items.sort(byDeadline)
 */
export function byDeadline(a: Pick<ItemSnapshot, 'deadlineAt' | 'receivedAt'>, b: Pick<ItemSnapshot, 'deadlineAt' | 'receivedAt'>): number {
  return a.deadlineAt.getTime() - b.deadlineAt.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime();
}
