import { describe, expect, it } from 'vitest';
import { type ComplianceItem, HOUR_MS, complianceSummary, median, nearestRank } from '../src/index.ts';

const from = new Date('2026-06-01T00:00:00Z');
const to = new Date('2026-07-01T00:00:00Z');
const t = (hours: number) => new Date(from.getTime() + hours * HOUR_MS);

function item(caseId: string, receivedHours: number, extra: Partial<ComplianceItem>): ComplianceItem {
  return { caseId, receivedAt: t(receivedHours), deadlineAt: t(receivedHours + 48), state: 'pending', ...extra };
}

describe('complianceSummary', () => {
  const items: ComplianceItem[] = [
    item('A', 0, { id: 'a1', state: 'removed', removedAt: t(10) }), // 10 h
    item('A', 0, { id: 'a2', state: 'removed', removedAt: t(20) }), // 20 h
    item('B', 5, { id: 'b1', state: 'removed', removedAt: t(5 + 50) }), // 50 h: late
    item('B', 5, { id: 'b2', state: 'declined', declineReason: 'not_intimate' }),
    item('C', 100, { id: 'c1', state: 'declined', declineReason: 'insufficient_information' }),
    item('D', 200, { id: 'd1', state: 'confirmed' }), // deadline t(248), passed by `to`
    item('E', 300, { id: 'e1', state: 'pending' }), // deadline t(348), passed
    item('F', 710, { id: 'f1', state: 'pending' }), // deadline after `to`: open
    item('G', 400, { id: 'g1', state: 'withdrawn' }),
    item('Z', -5, { id: 'z1', state: 'removed', removedAt: t(1) }), // before the period
    item('Z', 720, { id: 'z2', state: 'pending' }), // at `to`: the next period
  ];
  const summary = complianceSummary(items, from, to);

  it('counts requests and items received and valid in the period', () => {
    expect(summary).toMatchObject({ requestsReceived: 7, requestsValid: 6, itemsReceived: 9, itemsValid: 8 });
  });

  it('measures removal within the deadline over the items that were due', () => {
    expect(summary).toMatchObject({ itemsDue: 5, itemsRemoved: 3, itemsRemovedWithinDeadline: 2, removedWithinDeadlinePercent: 40, itemsOpen: 1 });
    expect(summary).toMatchObject({ itemsDeclined: 2, itemsWithdrawn: 1 });
    expect(summary.declinedByReason).toMatchObject({ not_intimate: 1, insufficient_information: 1, other: 0 });
  });

  it('reports median and p95 time to removal in ms and hours', () => {
    expect(summary.medianTimeToRemoval).toEqual({ ms: 20 * HOUR_MS, hours: 20 });
    expect(summary.p95TimeToRemoval).toEqual({ ms: 50 * HOUR_MS, hours: 50 });
  });

  it('lists each breach with its reason and how late it was', () => {
    expect(summary.breaches).toEqual([
      { id: 'b1', caseId: 'B', reason: 'removed_late', explanation: 'Removed after the deadline.', overdueMs: 2 * HOUR_MS },
      { id: 'd1', caseId: 'D', reason: 'not_removed', explanation: expect.stringMatching(/Confirmed/), overdueMs: to.getTime() - t(248).getTime() },
      { id: 'e1', caseId: 'E', reason: 'no_decision', explanation: expect.stringMatching(/No decision/), overdueMs: to.getTime() - t(348).getTime() },
    ]);
    expect(summary.breachesByReason).toEqual({ removed_late: 1, not_removed: 1, no_decision: 1 });
  });

  it('judges open items at asOf when the period has not ended', () => {
    const early = complianceSummary(items, from, to, t(250));
    expect(early.breaches.map((b) => b.id)).toEqual(['b1', 'd1']);
    expect(early.itemsOpen).toBe(2);
  });

  it('gives nulls, not NaN, for an empty period', () => {
    const empty = complianceSummary([], from, to);
    expect(empty).toMatchObject({
      requestsReceived: 0,
      itemsReceived: 0,
      removedWithinDeadlinePercent: null,
      medianTimeToRemoval: null,
      p95TimeToRemoval: null,
      breaches: [],
    });
  });
});

describe('median and nearestRank', () => {
  it('follow their textbook definitions', () => {
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeUndefined();
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 95)).toBe(95);
    expect(nearestRank([7], 95)).toBe(7);
    expect(nearestRank([1, 2], 0)).toBe(1);
  });
});
