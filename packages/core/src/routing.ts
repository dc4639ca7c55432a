import type { RemovalRequestInput } from './request.ts';
import type { ReviewQueue } from './review-queue.ts';

/**
 * Safeguard against abuse of the process (fraudulent takedowns are a known attack on creators and the press):
 * requests that look unusual go to senior reviewers. The server counts the notifier's history by a keyed
 * hash of their contact details; this function only compares numbers.
 */
export interface NotifierHistory {
  /** Requests this notifier sent in the 24 hours before this one (not counting this one, nor requests that only repeated earlier items). */
  requestsLast24h: number;
  /** New items in those requests (repeats of earlier items not counted). */
  itemsLast24h: number;
  /**
   * Earlier requests of this notifier that ended rejected (nothing removed, something declined), not counting
   * those this request asks about again and those declined only as duplicates (see repeat-request.ts).
   */
  rejectedRequests: number;
}

/** Senior review when a count goes ABOVE its threshold. Logged with each routing decision. */
export interface RoutingThresholds {
  maxItemsPer24h: number;
  maxRequestsPer24h: number;
  maxRejectedRequests: number;
}

export const DEFAULT_ROUTING_THRESHOLDS: Readonly<RoutingThresholds> = Object.freeze({
  maxItemsPer24h: 20,
  maxRequestsPer24h: 5,
  maxRejectedRequests: 0,
});

export type RoutingReason = 'many_items' | 'many_requests' | 'past_rejections' | 'public_interest' | 'minor';

export interface Routing {
  queue: ReviewQueue;
  /** Why the request went to senior review (empty for standard). */
  reasons: RoutingReason[];
  /** The same, in sentences for reviewers and the audit log (numbers only, no personal data). */
  explanations: string[];
  /** The thresholds this decision used, for the audit log. */
  thresholds: RoutingThresholds;
}

/**
 * @example
 * const routing = routeRequest(request, { requestsLast24h: 0, itemsLast24h: 0, rejectedRequests: 0 });
 * // { queue: 'standard', reasons: [], ... }
 *
 * `repeatedItems`: how many of this request's items repeat the notifier's earlier items (a duplicate or a
 * resubmission): they are linked, not counted, so asking again never sends a person to senior review.
 */
export function routeRequest(
  request: Pick<RemovalRequestInput, 'items' | 'under18WhenMade'>,
  notifier: NotifierHistory,
  thresholds: Partial<RoutingThresholds> = {},
  repeatedItems = 0,
): Routing {
  const used: RoutingThresholds = { ...DEFAULT_ROUTING_THRESHOLDS, ...thresholds };
  const reasons: RoutingReason[] = [];
  const explanations: string[] = [];

  const newItems = Math.max(0, request.items.length - repeatedItems);
  const items = notifier.itemsLast24h + newItems;
  if (items > used.maxItemsPer24h) {
    reasons.push('many_items');
    explanations.push(`${items} items from this notifier in 24 hours (more than ${used.maxItemsPer24h}).`);
  }
  const requests = notifier.requestsLast24h + (newItems > 0 ? 1 : 0);
  if (requests > used.maxRequestsPer24h) {
    reasons.push('many_requests');
    explanations.push(`${requests} requests from this notifier in 24 hours (more than ${used.maxRequestsPer24h}).`);
  }
  if (notifier.rejectedRequests > used.maxRejectedRequests) {
    reasons.push('past_rejections');
    explanations.push(`${notifier.rejectedRequests} earlier requests from this notifier were rejected.`);
  }
  const flagged = request.items.filter((item) => item.publicInterest === true).length;
  if (flagged > 0) {
    reasons.push('public_interest');
    explanations.push(`${flagged} item${flagged === 1 ? ' is' : 's are'} flagged as possibly of public interest.`);
  }
  if (request.under18WhenMade === true) {
    // Imagery of a minor is child sexual abuse material: senior reviewers, who also see the platform's duty to
    // report it to NCMEC (18 U.S.C. § 2258A).
    reasons.push('minor');
    explanations.push('The requester says the person shown was under 18 when it was made.');
  }
  return { queue: reasons.length > 0 ? 'senior' : 'standard', reasons, explanations, thresholds: used };
}
