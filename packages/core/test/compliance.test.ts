import { describe, expect, it } from 'vitest';
import { type ComplianceItem, HOUR_MS, complianceByClock, complianceSummary, median, nearestRank } from '../src/index.ts';

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

  it('counts requests, not only items: a request is on time when every due item of it was removed by its deadline', () => {
    // Due: A (both removed in time), B (one removed late), D (confirmed, not removed), E (no decision).
    expect(summary).toMatchObject({ requestsDue: 4, requestsActionedWithinDeadline: 1, requestsActionedWithinDeadlinePercent: 25 });
    // Time to action: receipt to the last removal, over requests fully acted on (A: 20 h, B: 50 h).
    expect(summary.medianTimeToAction).toEqual({ ms: 35 * HOUR_MS, hours: 35 });
    expect(summary.p95TimeToAction).toEqual({ ms: 50 * HOUR_MS, hours: 50 });
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

describe('complianceByClock', () => {
  const us = (caseId: string, receivedHours: number, extra: Partial<ComplianceItem>) => item(caseId, receivedHours, { jurisdiction: 'US', ...extra });
  const au = (caseId: string, receivedHours: number, extra: Partial<ComplianceItem>): ComplianceItem => ({ ...item(caseId, receivedHours, extra), jurisdiction: 'AU', deadlineAt: t(receivedHours + 24) });
  const items: ComplianceItem[] = [
    us('U1', 0, { id: 'u1', state: 'removed', removedAt: t(30) }), // 30 h: in time on 48 h
    us('U2', 0, { id: 'u2', state: 'removed', removedAt: t(40) }), // 40 h: in time on 48 h
    au('A1', 0, { id: 'x1', state: 'removed', removedAt: t(30) }), // 30 h: late on 24 h
    au('A2', 0, { id: 'x2', state: 'removed', removedAt: t(2) }),
    // A regulator's own period in the US jurisdiction: a clock of its own.
    { ...us('U3', 0, { id: 'u3', state: 'removed', removedAt: t(10) }), deadlineAt: t(12) },
  ];
  const clocks = complianceByClock(items, from, to);

  it('never mixes a 24-hour clock with a 48-hour one', () => {
    expect(clocks.map((c) => [c.jurisdiction, c.clockHours, c.itemsReceived])).toEqual([
      ['AU', 24, 2],
      ['US', 12, 1],
      ['US', 48, 2],
    ]);
    const au24 = clocks[0];
    expect(au24).toMatchObject({ itemsDue: 2, itemsRemovedWithinDeadline: 1, removedWithinDeadlinePercent: 50, requestsActionedWithinDeadlinePercent: 50 });
    expect(au24.breaches.map((b) => b.id)).toEqual(['x1']);
    const us48 = clocks[2];
    expect(us48).toMatchObject({ removedWithinDeadlinePercent: 100, requestsDue: 2, requestsActionedWithinDeadline: 2, breaches: [] });
    expect(us48.medianTimeToRemoval).toEqual({ ms: 35 * HOUR_MS, hours: 35 });
    expect(us48.p95TimeToAction).toEqual({ ms: 40 * HOUR_MS, hours: 40 });
  });

  it('gives no group for an empty period, and files items without a jurisdiction under unknown', () => {
    expect(complianceByClock([], from, to)).toEqual([]);
    expect(complianceByClock([item('N', 0, { state: 'pending' })], from, to).map((c) => c.jurisdiction)).toEqual(['unknown']);
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
