import { HOUR_MS } from './clock.ts';
import { DECLINE_REASONS, type DeclineReason } from './decline-reason.ts';
import type { ItemState } from './item-state.ts';

/**
 * The compliance report: how many requests came in and how fast valid ones were acted on, against the
 * §3(a)(3)(A) deadline. Pure arithmetic over item records; the server loads them and prints the result.
 */
export interface ComplianceItem {
  /** Passed through to breaches so they can be looked up. */
  id?: string;
  /** The case (request) the item belongs to; items without one count as a request each. */
  caseId?: string;
  receivedAt: Date;
  deadlineAt: Date;
  removedAt?: Date;
  state: ItemState;
  declineReason?: DeclineReason;
}

export type BreachReason = 'removed_late' | 'not_removed' | 'no_decision';

export interface Breach {
  id?: string;
  caseId?: string;
  reason: BreachReason;
  /** In words, for the report. */
  explanation: string;
  /** How far past the deadline: at removal, or at `asOf` while still not removed. */
  overdueMs: number;
}

export interface DurationStats {
  ms: number;
  hours: number;
}

export interface ComplianceSummary {
  from: Date;
  to: Date;
  /** The moment open items were judged at (the end of the period, or now if that is earlier). */
  asOf: Date;
  requestsReceived: number;
  /** Requests with at least one valid item. */
  requestsValid: number;
  itemsReceived: number;
  /** Every item except those declined because the request did not identify them (insufficient_information). */
  itemsValid: number;
  /** Items that had to be removed by `asOf`: removed, or confirmed/pending with the deadline passed. */
  itemsDue: number;
  itemsRemoved: number;
  itemsRemovedWithinDeadline: number;
  /** itemsRemovedWithinDeadline / itemsDue × 100, or null when nothing was due. */
  removedWithinDeadlinePercent: number | null;
  /** Pending or confirmed, deadline not yet reached. */
  itemsOpen: number;
  itemsDeclined: number;
  declinedByReason: Record<DeclineReason, number>;
  itemsWithdrawn: number;
  /** Receipt to removal, over removed items; null when none were removed. */
  medianTimeToRemoval: DurationStats | null;
  p95TimeToRemoval: DurationStats | null;
  breaches: Breach[];
  breachesByReason: Record<BreachReason, number>;
}

const BREACH_EXPLANATION: Record<BreachReason, string> = {
  removed_late: 'Removed after the deadline.',
  not_removed: 'Confirmed, but the platform had not removed it by the deadline.',
  no_decision: 'No decision was made before the deadline.',
};

/**
 * Summarises the items received in [from, to). Open items are judged at `asOf` (default: `to`).
 * @example complianceSummary(items, new Date('2026-06-01Z'), new Date('2026-07-01Z')).removedWithinDeadlinePercent
 */
export function complianceSummary(items: readonly ComplianceItem[], from: Date, to: Date, asOf: Date = to): ComplianceSummary {
  const judgedAt = asOf.getTime();
  const inPeriod = items.filter((item) => item.receivedAt >= from && item.receivedAt < to);

  const requests = new Set<string>();
  const validRequests = new Set<string>();
  const declinedByReason = Object.fromEntries(DECLINE_REASONS.map((r) => [r, 0])) as Record<DeclineReason, number>;
  const breachesByReason: Record<BreachReason, number> = { removed_late: 0, not_removed: 0, no_decision: 0 };
  const breaches: Breach[] = [];
  const removalTimes: number[] = [];
  let itemsValid = 0;
  let itemsDue = 0;
  let itemsRemoved = 0;
  let onTime = 0;
  let itemsOpen = 0;
  let itemsDeclined = 0;
  let itemsWithdrawn = 0;

  inPeriod.forEach((item, index) => {
    const request = item.caseId ?? `#item-${index}`;
    requests.add(request);
    const valid = !(item.state === 'declined' && item.declineReason === 'insufficient_information');
    if (valid) {
      itemsValid += 1;
      validRequests.add(request);
    }
    const deadline = item.deadlineAt.getTime();
    let breach: BreachReason | undefined;
    let overdueMs = 0;
    switch (item.state) {
      case 'removed': {
        const removedAt = (item.removedAt ?? item.deadlineAt).getTime();
        itemsDue += 1;
        itemsRemoved += 1;
        removalTimes.push(removedAt - item.receivedAt.getTime());
        if (removedAt <= deadline) onTime += 1;
        else [breach, overdueMs] = ['removed_late', removedAt - deadline];
        break;
      }
      case 'confirmed':
      case 'pending':
        if (judgedAt > deadline) {
          itemsDue += 1;
          [breach, overdueMs] = [item.state === 'confirmed' ? 'not_removed' : 'no_decision', judgedAt - deadline];
        } else {
          itemsOpen += 1;
        }
        break;
      case 'declined':
        itemsDeclined += 1;
        if (item.declineReason !== undefined) declinedByReason[item.declineReason] += 1;
        break;
      case 'withdrawn':
        itemsWithdrawn += 1;
        break;
    }
    if (breach !== undefined) {
      breachesByReason[breach] += 1;
      const entry: Breach = { reason: breach, explanation: BREACH_EXPLANATION[breach], overdueMs };
      if (item.id !== undefined) entry.id = item.id;
      if (item.caseId !== undefined) entry.caseId = item.caseId;
      breaches.push(entry);
    }
  });

  removalTimes.sort((a, b) => a - b);
  return {
    from,
    to,
    asOf,
    requestsReceived: requests.size,
    requestsValid: validRequests.size,
    itemsReceived: inPeriod.length,
    itemsValid,
    itemsDue,
    itemsRemoved,
    itemsRemovedWithinDeadline: onTime,
    removedWithinDeadlinePercent: itemsDue === 0 ? null : round2((onTime / itemsDue) * 100),
    itemsOpen,
    itemsDeclined,
    declinedByReason,
    itemsWithdrawn,
    medianTimeToRemoval: duration(median(removalTimes)),
    p95TimeToRemoval: duration(nearestRank(removalTimes, 95)),
    breaches,
    breachesByReason,
  };
}

/** Middle value of sorted numbers (mean of the two middle ones for an even count). */
export function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile of sorted numbers by the nearest-rank method: a value that actually occurred. */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function duration(ms: number | undefined): DurationStats | null {
  return ms === undefined ? null : { ms, hours: round2(ms / HOUR_MS) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
