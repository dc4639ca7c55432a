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

/**
 * What a reviewer should see at a glance beside an item, in the queue and on the item page:
 * - `shared_copy`: the person opted in to share the picture or video, so a (blurred) copy is there to look at;
 * - `video`: the item is a video (its media type, or a video signal such as vPDQ);
 * - `minor`: the person shown was under 18 when it was made (senior review, the platform's reporting duty);
 * - `regulator_notice`: a regulator sent the notice (eSafety, Ofcom, …), where the deployment records one;
 * - `appeal`: the uploader appealed the removal and the appeal is open;
 * - `duplicate` / `resubmission`: the person asked about the same content before (see findRepeats).
 */
export const REVIEW_MARKERS = ['shared_copy', 'video', 'minor', 'regulator_notice', 'appeal', 'duplicate', 'resubmission'] as const;
export type ReviewMarker = (typeof REVIEW_MARKERS)[number];

export interface MarkerFacts {
  shareMedia: boolean;
  video: boolean;
  under18WhenMade: boolean;
  openAppeal: boolean;
  /** Undefined where the deployment keeps no record of who sent a notice. */
  regulatorNotice?: boolean;
  repeatKind?: 'duplicate' | 'resubmission';
}

/**
 * The markers for one item, always in REVIEW_MARKERS order.
 * @example reviewMarkers({ shareMedia: true, video: true, under18WhenMade: false, openAppeal: false }) // ['shared_copy', 'video']
 */
export function reviewMarkers(facts: MarkerFacts): ReviewMarker[] {
  const on: Record<ReviewMarker, boolean> = {
    shared_copy: facts.shareMedia && !facts.under18WhenMade, // imagery of a minor is never kept as a copy
    video: facts.video,
    minor: facts.under18WhenMade,
    regulator_notice: facts.regulatorNotice === true,
    appeal: facts.openAppeal,
    duplicate: facts.repeatKind === 'duplicate',
    resubmission: facts.repeatKind === 'resubmission',
  };
  return REVIEW_MARKERS.filter((marker) => on[marker]);
}

/** A case's items as the queue shows them together; `items` keep the order they came in. */
export interface CaseGroup<T> {
  caseNumber: string;
  items: T[];
}

/**
 * Groups queue items by case, keeping the queue's order: a case sits where its most urgent item would, and
 * its other items follow it. Pure; the input order is the queue order.
 * @example groupByCase([{ caseNumber: 'A' }, { caseNumber: 'B' }, { caseNumber: 'A' }]) // [A: 2 items, B: 1 item]
 */
export function groupByCase<T extends { caseNumber: string }>(items: readonly T[]): CaseGroup<T>[] {
  const groups = new Map<string, CaseGroup<T>>();
  for (const item of items) {
    const group = groups.get(item.caseNumber);
    if (group) group.items.push(item);
    else groups.set(item.caseNumber, { caseNumber: item.caseNumber, items: [item] });
  }
  return [...groups.values()];
}
