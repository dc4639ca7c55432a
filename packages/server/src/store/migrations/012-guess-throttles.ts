/**
 * Guessing is slowed, never locked: one table of wrong-guess counters replaces the PIN lockout. A counter is
 * keyed by a keyed HMAC of what it counts (a case number with the client's network, a client's network, a
 * staff username), so the table holds no address, username or case number in clear. SQL accepted by
 * PostgreSQL 15 and PGlite.
 */
export const name = '012-guess-throttles';

export const statements: string[] = [
  `create table guess_failures (
  counter char(64) primary key,
  failures integer not null check (failures > 0),
  last_failure_at timestamptz not null
)`,
  `create index guess_failures_last on guess_failures (last_failure_at)`,
  `drop table pin_failures`,
];
