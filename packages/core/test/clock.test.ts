import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, ManualClock, systemClock } from '../src/index.ts';

describe('Clock', () => {
  it('ManualClock moves only when told to', () => {
    const start = new Date('2026-05-19T00:00:00Z');
    const clock = new ManualClock(start);
    expect(clock.now()).toEqual(start);
    clock.advance(2 * DAY_MS);
    expect(clock.now().toISOString()).toBe('2026-05-21T00:00:00.000Z');
    clock.set(new Date('2026-05-19T12:00:00Z'));
    expect(clock.now().getTime() - start.getTime()).toBe(12 * HOUR_MS);
  });

  it('returns a fresh Date each time, so callers cannot move the clock by mutating it', () => {
    const clock = new ManualClock(new Date(0));
    clock.now().setTime(DAY_MS);
    expect(clock.now().getTime()).toBe(0);
  });

  it('refuses to run backward or to start at an invalid date', () => {
    const clock = new ManualClock(new Date(0));
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => new ManualClock(new Date('nope'))).toThrow(RangeError);
  });

  it('systemClock reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
