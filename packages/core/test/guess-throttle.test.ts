import { describe, expect, it } from 'vitest';
import {
  clientNetwork,
  DAY_MS,
  guessWait,
  MINUTE_MS,
  PIN_GUESSES_PER_CLIENT,
  PIN_GUESSES_PER_CLIENT_AND_CASE,
  recordFailure,
  STAFF_LOGINS_PER_ACCOUNT,
  waitAfterFailures,
  waitInWords,
  type GuessRecord,
  type GuessThrottleRule,
} from '../src/index.ts';

const start = new Date('2026-06-01T00:00:00Z');
const rule: GuessThrottleRule = { freeFailures: 3, firstWaitMs: MINUTE_MS, maxWaitMs: 10 * MINUTE_MS, forgetAfterMs: DAY_MS };

/** How many guesses a client that always waits exactly as long as asked gets in `periodMs`. */
function guessesWithin(r: GuessThrottleRule, periodMs: number): number {
  let record: GuessRecord | undefined;
  let now = start.getTime();
  let guesses = 0;
  for (;;) {
    const wait = guessWait(r, record, new Date(now));
    if (wait.blockedUntil) now = wait.blockedUntil.getTime();
    if (now - start.getTime() > periodMs) return guesses;
    record = recordFailure(r, record, new Date(now));
    guesses += 1;
  }
}

describe('guess throttle', () => {
  it('lets the free guesses through, then doubles the wait up to the ceiling, and never locks for good', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => waitAfterFailures(rule, n) / MINUTE_MS)).toEqual([0, 0, 0, 1, 2, 4, 8, 10, 10]);
  });

  it('blocks until the wait has passed, and warns what the next wrong guess costs', () => {
    let record: GuessRecord | undefined;
    for (let i = 0; i < 3; i++) record = recordFailure(rule, record, start);
    expect(guessWait(rule, record, start)).toEqual({ failures: 3, nextWaitMs: MINUTE_MS, blockedUntil: undefined, triesBeforeWait: 1, waitAfterTriesMs: MINUTE_MS });
    record = recordFailure(rule, record, start);
    const waiting = guessWait(rule, record, new Date(start.getTime() + 30_000));
    expect(waiting.blockedUntil).toEqual(new Date(start.getTime() + MINUTE_MS));
    expect(waiting.nextWaitMs).toBe(2 * MINUTE_MS);
    expect(guessWait(rule, record, new Date(start.getTime() + MINUTE_MS)).blockedUntil).toBeUndefined();
  });

  it('counts the tries left before a wait, so a page can warn in time', () => {
    let record: GuessRecord | undefined;
    const tries: [number, number][] = [];
    for (let i = 0; i < 6; i++) {
      record = recordFailure(rule, record, start);
      const wait = guessWait(rule, record, start);
      tries.push([wait.triesBeforeWait, wait.waitAfterTriesMs / MINUTE_MS]);
    }
    // 3 free: after 1 wrong guess, 3 more tries (the third brings 1 minute); once waits began, 1 try and a doubling wait.
    expect(tries).toEqual([[3, 1], [2, 1], [1, 1], [1, 2], [1, 4], [1, 8]]);
  });

  it('forgets a counter left alone long enough', () => {
    const record = { failures: 9, lastFailureAt: start };
    expect(guessWait(rule, record, new Date(start.getTime() + DAY_MS))).toEqual({ failures: 0, nextWaitMs: 0, blockedUntil: undefined, triesBeforeWait: 4, waitAfterTriesMs: MINUTE_MS });
    expect(recordFailure(rule, record, new Date(start.getTime() + DAY_MS)).failures).toBe(1);
  });

  it('holds the figures docs/security.md gives: guesses a year per address, per account a day', () => {
    expect(guessesWithin(PIN_GUESSES_PER_CLIENT_AND_CASE, 365 * DAY_MS)).toBe(380);
    expect(guessesWithin(PIN_GUESSES_PER_CLIENT, 365 * DAY_MS)).toBe(425);
    expect(guessesWithin(STAFF_LOGINS_PER_ACCOUNT, DAY_MS)).toBe(110);
    // Each forgets only after far longer than its longest wait, so waiting can never reset a counter.
    for (const r of [PIN_GUESSES_PER_CLIENT_AND_CASE, PIN_GUESSES_PER_CLIENT, STAFF_LOGINS_PER_ACCOUNT]) expect(r.forgetAfterMs).toBeGreaterThan(r.maxWaitMs);
  });

  it('says a wait in words', () => {
    expect([30_000, MINUTE_MS, 4 * MINUTE_MS, 120 * MINUTE_MS, DAY_MS].map(waitInWords)).toEqual(['1 minute', '1 minute', '4 minutes', '2 hours', '1 day']);
  });
});

describe('clientNetwork', () => {
  it('counts IPv4 addresses one by one and IPv6 addresses by their /56', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:1:2ff:3::4')).toBe('2001:0db8:0001:02/56');
    expect(clientNetwork('2001:db8:1:2aa::9')).toBe(clientNetwork('2001:0db8:0001:02ff:ffff:ffff:ffff:ffff'));
    expect(clientNetwork('2001:db8:1:300::9')).not.toBe(clientNetwork('2001:db8:1:2ff::9'));
    expect(clientNetwork('::1')).toBe('0000:0000:0000:00/56');
    expect(clientNetwork('64:ff9b::192.0.2.1')).toBe('0064:ff9b:0000:00/56');
  });
});
