import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  ManualClock,
  byDeadline,
  elapsedMs,
  escalationLevel,
  isBreached,
  itemDeadline,
  reviewQueueFor,
  rulesFor,
  timeLeftMs,
} from '../src/index.ts';

const receivedAt = new Date('2026-05-19T10:00:00Z');
const us = rulesFor('US');
const au = rulesFor('AU');

describe('itemDeadline', () => {
  it('is receipt + 48 h in the US and + 24 h in Australia', () => {
    expect(itemDeadline(receivedAt, us).toISOString()).toBe('2026-05-21T10:00:00.000Z');
    expect(itemDeadline(receivedAt, au).toISOString()).toBe('2026-05-20T10:00:00.000Z');
  });

  it('counts elapsed hours, not calendar days (a DST change does not move it)', () => {
    // 2026-03-08 is the US spring-forward day; the legal clock is 48 real hours regardless.
    const before = new Date('2026-03-07T12:00:00-05:00');
    expect(itemDeadline(before, us).getTime() - before.getTime()).toBe(48 * HOUR_MS);
  });
});

describe('the clock over two days, run with a ManualClock', () => {
  it('escalates at 24 h and 36 h, breaches after 48 h', () => {
    const clock = new ManualClock(receivedAt);
    const deadline = itemDeadline(receivedAt, us);
    const at = (hours: number) => {
      clock.set(new Date(receivedAt.getTime() + hours * HOUR_MS));
      return {
        level: escalationLevel(receivedAt, clock.now(), us),
        left: timeLeftMs(deadline, clock.now()),
        breached: isBreached(deadline, clock.now()),
      };
    };
    expect(at(0)).toEqual({ level: 0, left: 48 * HOUR_MS, breached: false });
    expect(at(23.99).level).toBe(0);
    expect(at(24).level).toBe(1);
    expect(at(35.99).level).toBe(1);
    expect(at(36).level).toBe(2);
    expect(at(48)).toEqual({ level: 2, left: 0, breached: false }); // exactly at the deadline is in time
    clock.advance(1);
    expect(isBreached(deadline, clock.now())).toBe(true);
    expect(timeLeftMs(deadline, clock.now())).toBe(-1);
    clock.advance(5 * DAY_MS);
    expect(escalationLevel(receivedAt, clock.now(), us)).toBe(2);
  });

  it('stops when the platform removes the item', () => {
    const deadline = itemDeadline(receivedAt, us);
    const removedAt = new Date(receivedAt.getTime() + 30 * HOUR_MS);
    const later = new Date(receivedAt.getTime() + 10 * DAY_MS);
    expect(isBreached(deadline, later, removedAt)).toBe(false);
    expect(timeLeftMs(deadline, later, removedAt)).toBe(18 * HOUR_MS);
    expect(escalationLevel(receivedAt, later, us, removedAt)).toBe(1);
    expect(elapsedMs(receivedAt, later, removedAt)).toBe(30 * HOUR_MS);
  });

  it('records a late removal as a breach forever', () => {
    const deadline = itemDeadline(receivedAt, au);
    const removedAt = new Date(deadline.getTime() + HOUR_MS);
    expect(isBreached(deadline, new Date(removedAt.getTime() + DAY_MS), removedAt)).toBe(true);
  });

  it('uses the jurisdiction escalation points (Australia: 12 h and 18 h)', () => {
    expect(escalationLevel(receivedAt, new Date(receivedAt.getTime() + 12 * HOUR_MS), au)).toBe(1);
    expect(escalationLevel(receivedAt, new Date(receivedAt.getTime() + 18 * HOUR_MS), au)).toBe(2);
    expect(escalationLevel(receivedAt, new Date(receivedAt.getTime() + 40 * HOUR_MS), { escalationAfterHours: [] })).toBe(0);
  });
});

describe('review queue', () => {
  const base = { state: 'pending' as const, receivedAt };
  const at = (hours: number) => new Date(receivedAt.getTime() + hours * HOUR_MS);

  it('sends to senior when routed there, escalated by a person, or past the first escalation point', () => {
    expect(reviewQueueFor(base, 'standard', at(1), us)).toBe('standard');
    expect(reviewQueueFor(base, 'senior', at(1), us)).toBe('senior');
    expect(reviewQueueFor({ ...base, escalatedAt: at(1) }, 'standard', at(1), us)).toBe('senior');
    expect(reviewQueueFor(base, 'standard', at(24), us)).toBe('senior');
  });

  it('takes final items out of every queue', () => {
    expect(reviewQueueFor({ ...base, state: 'removed' }, 'senior', at(1), us)).toBeUndefined();
  });

  it('orders by deadline, breached first', () => {
    const item = (deadlineHours: number, receivedHours = 0) => ({
      deadlineAt: at(deadlineHours),
      receivedAt: at(receivedHours),
      name: `${deadlineHours}/${receivedHours}`,
    });
    const sorted = [item(48), item(-2), item(24, 1), item(24, 0)].sort(byDeadline).map((i) => i.name);
    expect(sorted).toEqual(['-2/0', '24/0', '24/1', '48/0']);
  });
});
