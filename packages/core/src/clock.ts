/**
 * Time is injected so that deadline tests can run days in milliseconds and the server has one place that
 * reads the wall clock.
 * @example
 * const clock = new ManualClock(new Date('2026-05-19T00:00:00Z'));
 * clock.advance(48 * HOUR_MS); // two days later, instantly
 */
export interface Clock {
  now(): Date;
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The real wall clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to: for tests and for replaying history. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date = new Date(0)) {
    this.currentMs = checkedTime(start);
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  /** Moves the clock forward by `ms` milliseconds (never backward: time in a case only runs one way). */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance needs a finite, non-negative number of milliseconds, not ${ms}.`);
    }
    this.currentMs += ms;
    return this.now();
  }

  /** Sets the clock to `date` (may go backward, to test clock skew). */
  set(date: Date): Date {
    this.currentMs = checkedTime(date);
    return this.now();
  }
}

function checkedTime(date: Date): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError('ManualClock needs a valid Date.');
  return ms;
}
