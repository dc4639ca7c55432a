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
  /** The jurisdiction whose clock the request runs on (the case records it); grouping key with the clock length. */
  jurisdiction?: string;
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
  /**
   * Valid requests at least one of whose items had to be removed by `asOf` (the FTC's unit is the request, not
   * the item: §3(a)(3) runs from "receiving a valid removal request").
   */
  requestsDue: number;
  /** Due requests none of whose items breached: every due item removed by its deadline. */
  requestsActionedWithinDeadline: number;
  /** requestsActionedWithinDeadline / requestsDue × 100, or null when no request was due. */
  requestsActionedWithinDeadlinePercent: number | null;
  /** Receipt to the last removal, over due requests whose due items were all removed; null when none. */
  medianTimeToAction: DurationStats | null;
  p95TimeToAction: DurationStats | null;
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
  /** Per due request: whether any item breached, and the receipt-to-last-removal time while all due items are removed. */
  const dueRequests = new Map<string, { breached: boolean; actionMs: number | undefined }>();
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
    const due = item.state === 'removed' || ((item.state === 'confirmed' || item.state === 'pending') && judgedAt > deadline);
    if (due) {
      const entry = dueRequests.get(request) ?? { breached: false, actionMs: 0 };
      if (breach !== undefined) entry.breached = true;
      if (item.state === 'removed' && entry.actionMs !== undefined) {
        entry.actionMs = Math.max(entry.actionMs, (item.removedAt ?? item.deadlineAt).getTime() - item.receivedAt.getTime());
      } else {
        entry.actionMs = undefined; // an item still not removed: the request has not been fully acted on
      }
      dueRequests.set(request, entry);
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
  const requestsOnTime = [...dueRequests.values()].filter((r) => !r.breached).length;
  const actionTimes = [...dueRequests.values()].flatMap((r) => (r.actionMs === undefined ? [] : [r.actionMs])).sort((a, b) => a - b);
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
    requestsDue: dueRequests.size,
    requestsActionedWithinDeadline: requestsOnTime,
    requestsActionedWithinDeadlinePercent: dueRequests.size === 0 ? null : round2((requestsOnTime / dueRequests.size) * 100),
    medianTimeToAction: duration(median(actionTimes)),
    p95TimeToAction: duration(nearestRank(actionTimes, 95)),
    breaches,
    breachesByReason,
  };
}

/** The figures of one clock: a jurisdiction and the length of its removal deadline, never mixed with another. */
export interface ClockCompliance extends Omit<ComplianceSummary, 'from' | 'to' | 'asOf'> {
  jurisdiction: string;
  /** The removal deadline these items ran on, in whole hours from receipt (US 48, AU 24, or a regulator's period). */
  clockHours: number;
}

/**
 * The compliance report split by clock: one summary per (jurisdiction, deadline length), so that items on a
 * 24-hour clock (eSafety) are never averaged with items on a 48-hour clock (TAKE IT DOWN Act §3(a)(3)), and a
 * jurisdiction whose items ran on two clocks (a regulator's own period) shows both. Sorted by jurisdiction,
 * then by clock length. Items without a jurisdiction fall under `unknown`.
 * @example complianceByClock(items, from, to).map((c) => `${c.jurisdiction} ${c.clockHours} h: ${c.removedWithinDeadlinePercent} %`)
 */
export function complianceByClock(items: readonly ComplianceItem[], from: Date, to: Date, asOf: Date = to): ClockCompliance[] {
  const groups = new Map<string, { jurisdiction: string; clockHours: number; items: ComplianceItem[] }>();
  for (const item of items) {
    const jurisdiction = item.jurisdiction ?? 'unknown';
    const clockHours = Math.round((item.deadlineAt.getTime() - item.receivedAt.getTime()) / HOUR_MS);
    const key = `${jurisdiction}\u0000${clockHours}`;
    const group = groups.get(key) ?? { jurisdiction, clockHours, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => (a.jurisdiction === b.jurisdiction ? a.clockHours - b.clockHours : a.jurisdiction < b.jurisdiction ? -1 : 1))
    .map(({ jurisdiction, clockHours, items: groupItems }) => {
      const { from: _from, to: _to, asOf: _asOf, ...summary } = complianceSummary(groupItems, from, to, asOf);
      return { jurisdiction, clockHours, ...summary };
    })
    .filter((group) => group.itemsReceived > 0);
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
